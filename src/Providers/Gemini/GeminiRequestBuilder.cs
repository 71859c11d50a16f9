namespace LlmRouter.Providers.Gemini;

/// <summary>
/// Translates a canonical (OpenAI chat) body into a Gemini <c>GenerateContentRequest</c>: roles user/model,
/// system text in <c>systemInstruction</c>, sampling in <c>generationConfig</c>, tools as function declarations,
/// tool calls and results as <c>functionCall</c> / <c>functionResponse</c> parts, images as inline or file data.
/// </summary>
internal static class GeminiRequestBuilder
{
    private static readonly TurnShape Shape = new("a Gemini upstream", "parts", "model", UserParts, ModelParts, FunctionResponse);

    public static JsonObject Build(JsonObject canonical)
    {
        var body = new JsonObject();
        var (system, contents) = TurnList.Translate(canonical, Shape);
        body["contents"] = contents;
        if (system.Count > 0)
        {
            body["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray([.. system.Select(t => (JsonNode)new JsonObject { ["text"] = t })]) };
        }
        if (GenerationConfig(canonical) is { Count: > 0 } config)
        {
            body["generationConfig"] = config;
        }
        if (CanonicalOptions.FunctionDeclarations(canonical, "parameters", p => p is null ? null : GeminiSchema.From(p)) is { Count: > 0 } declarations)
        {
            body["tools"] = new JsonArray(new JsonObject { ["functionDeclarations"] = declarations });
            if (ToolConfig(CanonicalOptions.ToolChoice(canonical)) is { } toolConfig)
            {
                body["toolConfig"] = toolConfig;
            }
        }
        return body;
    }

    private static List<JsonNode> UserParts(JsonNode? content)
    {
        var parts = new List<JsonNode>();
        foreach (var part in CanonicalMessages.UserParts(content, Shape.Upstream))
        {
            parts.Add(part.Text is { } text ? new JsonObject { ["text"] = text } : Image(part.RequiredImageUrl));
        }
        return parts;
    }

    private static JsonObject Image(string url)
    {
        if (DataUrl.TryParse(url, out var mediaType, out var data))
        {
            return new JsonObject { ["inlineData"] = new JsonObject { ["mimeType"] = mediaType, ["data"] = data } };
        }
        return new JsonObject { ["fileData"] = new JsonObject { ["mimeType"] = GuessImageType(url), ["fileUri"] = url } };
    }

    private static string GuessImageType(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".webp" => "image/webp",
            ".gif" => "image/gif",
            ".heic" => "image/heic",
            _ => "image/jpeg",
        };
    }

    private static List<JsonNode> ModelParts(CanonicalMessage message)
    {
        var parts = new List<JsonNode>();
        if (message.Text is { Length: > 0 } text)
        {
            parts.Add(new JsonObject { ["text"] = text });
        }
        foreach (var call in message.ToolCalls)
        {
            parts.Add(new JsonObject { ["functionCall"] = new JsonObject { ["name"] = call.Name, ["args"] = call.Arguments } });
        }
        return parts;
    }

    /// <summary>Gemini names the function a result belongs to (OpenAI names the call id) and wants an object back.</summary>
    private static JsonObject FunctionResponse(CanonicalMessage message)
    {
        var id = message.ToolCallId;
        var name = message.ToolName ?? JsonRead.String(message.Source["name"]) ?? id;
        var text = message.Text ?? "";
        JsonObject response;
        try
        {
            response = JsonNode.Parse(text) as JsonObject ?? new JsonObject { ["content"] = text };
        }
        catch (JsonException)
        {
            response = new JsonObject { ["content"] = text };
        }
        return new JsonObject { ["functionResponse"] = new JsonObject { ["name"] = name, ["response"] = response } };
    }

    private static JsonObject GenerationConfig(JsonObject canonical)
    {
        var config = new JsonObject();
        CanonicalOptions.CopyNumber(canonical, "temperature", config, "temperature");
        CanonicalOptions.CopyNumber(canonical, "top_p", config, "topP");
        CanonicalOptions.CopyNumber(canonical, "top_k", config, "topK");
        CanonicalOptions.CopyNumber(canonical, "seed", config, "seed");
        CanonicalOptions.CopyNumber(canonical, "n", config, "candidateCount");
        CanonicalOptions.CopyNumber(canonical, "presence_penalty", config, "presencePenalty");
        CanonicalOptions.CopyNumber(canonical, "frequency_penalty", config, "frequencyPenalty");
        if (CanonicalOptions.MaxTokens(canonical) is { } max)
        {
            config["maxOutputTokens"] = max;
        }
        if (CanonicalOptions.StopSequences(canonical) is { } stops)
        {
            config["stopSequences"] = stops;
        }
        var (format, schema) = CanonicalOptions.ResponseFormat(canonical);
        if (format is not null)
        {
            config["responseMimeType"] = "application/json";
        }
        if (schema is not null)
        {
            config["responseSchema"] = GeminiSchema.From(schema);
        }
        return config;
    }

    private static JsonObject? ToolConfig(CanonicalToolChoice? choice)
    {
        var config = choice?.Mode switch
        {
            ToolChoiceMode.Auto => new JsonObject { ["mode"] = "AUTO" },
            ToolChoiceMode.Required => new JsonObject { ["mode"] = "ANY" },
            ToolChoiceMode.None => new JsonObject { ["mode"] = "NONE" },
            ToolChoiceMode.Function => new JsonObject { ["mode"] = "ANY", ["allowedFunctionNames"] = new JsonArray(choice.Name) },
            _ => null,
        };
        return config is null ? null : new JsonObject { ["functionCallingConfig"] = config };
    }
}
