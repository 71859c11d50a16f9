using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Providers.Wire;

namespace LlmRouter.Providers.Gemini;

/// <summary>
/// Translates a canonical (OpenAI chat) body into a Gemini <c>GenerateContentRequest</c>: roles user/model,
/// system text in <c>systemInstruction</c>, sampling in <c>generationConfig</c>, tools as function declarations,
/// tool calls and results as <c>functionCall</c> / <c>functionResponse</c> parts, images as inline or file data.
/// </summary>
internal static class GeminiRequestBuilder
{
    /// <summary>JSON Schema keywords Gemini's OpenAPI-subset schemas refuse.</summary>
    private static readonly string[] UnsupportedSchemaKeys = ["$schema", "$id", "$comment", "additionalProperties", "strict"];

    public static JsonObject Build(JsonObject canonical)
    {
        var body = new JsonObject();
        var (system, contents) = Contents(canonical["messages"] as JsonArray ?? []);
        body["contents"] = contents;
        if (system.Count > 0)
        {
            body["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray([.. system.Select(t => (JsonNode)new JsonObject { ["text"] = t })]) };
        }
        if (GenerationConfig(canonical) is { Count: > 0 } config)
        {
            body["generationConfig"] = config;
        }
        if (Tools(canonical["tools"]) is { Count: > 0 } declarations)
        {
            body["tools"] = new JsonArray(new JsonObject { ["functionDeclarations"] = declarations });
            if (ToolConfig(canonical["tool_choice"]) is { } toolConfig)
            {
                body["toolConfig"] = toolConfig;
            }
        }
        return body;
    }

    private static (List<string> System, JsonArray Contents) Contents(JsonArray messages)
    {
        var system = new List<string>();
        var contents = new JsonArray();
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in messages)
        {
            if (node is not JsonObject message)
            {
                continue;
            }
            var role = JsonRead.String(message["role"]);
            switch (role)
            {
                case "system" or "developer":
                    if (JsonRead.Text(message["content"]) is { Length: > 0 } text)
                    {
                        system.Add(text);
                    }
                    break;
                case "user":
                    Append(contents, "user", UserParts(message["content"]));
                    break;
                case "assistant":
                    Append(contents, "model", ModelParts(message, toolNames));
                    break;
                case "tool":
                    Append(contents, "user", [FunctionResponse(message, toolNames)]);
                    break;
                default:
                    throw new TranslationFailure($"messages with role '{role}' cannot be sent to a Gemini upstream");
            }
        }
        return (system, contents);
    }

    private static void Append(JsonArray contents, string role, List<JsonNode> parts)
    {
        if (parts.Count == 0)
        {
            return;
        }
        if (contents.Count > 0 && contents[^1] is JsonObject last && JsonRead.String(last["role"]) == role && last["parts"] is JsonArray existing)
        {
            foreach (var part in parts)
            {
                existing.Add(part);
            }
            return;
        }
        contents.Add(new JsonObject { ["role"] = role, ["parts"] = new JsonArray([.. parts]) });
    }

    private static List<JsonNode> UserParts(JsonNode? content)
    {
        var parts = new List<JsonNode>();
        if (JsonRead.String(content) is { } text)
        {
            parts.Add(new JsonObject { ["text"] = text });
            return parts;
        }
        if (content is not JsonArray items)
        {
            return parts;
        }
        foreach (var item in items)
        {
            var type = JsonRead.String(item?["type"]);
            switch (type)
            {
                case "text":
                    parts.Add(new JsonObject { ["text"] = JsonRead.String(item!["text"]) ?? "" });
                    break;
                case "image_url":
                    parts.Add(Image(JsonRead.String(item!["image_url"]?["url"]) ?? JsonRead.String(item["image_url"])));
                    break;
                default:
                    throw new TranslationFailure($"content parts of type '{type}' cannot be sent to a Gemini upstream");
            }
        }
        return parts;
    }

    private static JsonObject Image(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            throw new TranslationFailure("an image_url part has no url");
        }
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

    private static List<JsonNode> ModelParts(JsonObject message, Dictionary<string, string> toolNames)
    {
        var parts = new List<JsonNode>();
        if (JsonRead.Text(message["content"]) is { Length: > 0 } text)
        {
            parts.Add(new JsonObject { ["text"] = text });
        }
        if (message["tool_calls"] is JsonArray calls)
        {
            foreach (var call in calls)
            {
                var name = JsonRead.String(call?["function"]?["name"]) ?? "";
                if (JsonRead.String(call?["id"]) is { } id)
                {
                    toolNames[id] = name;
                }
                parts.Add(new JsonObject
                {
                    ["functionCall"] = new JsonObject
                    {
                        ["name"] = name,
                        ["args"] = ToolArguments.Parse(JsonRead.String(call?["function"]?["arguments"])),
                    },
                });
            }
        }
        return parts;
    }

    /// <summary>Gemini names the function a result belongs to (OpenAI names the call id) and wants an object back.</summary>
    private static JsonObject FunctionResponse(JsonObject message, Dictionary<string, string> toolNames)
    {
        var id = JsonRead.String(message["tool_call_id"]) ?? "";
        var name = toolNames.GetValueOrDefault(id) ?? JsonRead.String(message["name"]) ?? id;
        var text = JsonRead.Text(message["content"]) ?? "";
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
        Copy(canonical, "temperature", config, "temperature");
        Copy(canonical, "top_p", config, "topP");
        Copy(canonical, "top_k", config, "topK");
        Copy(canonical, "seed", config, "seed");
        Copy(canonical, "n", config, "candidateCount");
        Copy(canonical, "presence_penalty", config, "presencePenalty");
        Copy(canonical, "frequency_penalty", config, "frequencyPenalty");
        if ((JsonRead.Long(canonical["max_completion_tokens"]) ?? JsonRead.Long(canonical["max_tokens"])) is { } max)
        {
            config["maxOutputTokens"] = max;
        }
        switch (canonical["stop"])
        {
            case JsonValue stop when JsonRead.String(stop) is { } single:
                config["stopSequences"] = new JsonArray(single);
                break;
            case JsonArray stops:
                config["stopSequences"] = stops.DeepClone();
                break;
        }
        switch (JsonRead.String(canonical["response_format"]?["type"]))
        {
            case "json_object":
                config["responseMimeType"] = "application/json";
                break;
            case "json_schema":
                config["responseMimeType"] = "application/json";
                if (canonical["response_format"]?["json_schema"]?["schema"] is JsonObject schema)
                {
                    config["responseSchema"] = Schema(schema);
                }
                break;
        }
        return config;
    }

    private static void Copy(JsonObject from, string name, JsonObject to, string target)
    {
        if (from[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            to[target] = value.DeepClone();
        }
    }

    private static JsonArray? Tools(JsonNode? tools)
    {
        if (tools is not JsonArray list)
        {
            return null;
        }
        var declarations = new JsonArray();
        foreach (var tool in list)
        {
            if (JsonRead.String(tool?["type"]) != "function" || tool!["function"] is not JsonObject function)
            {
                continue;
            }
            var declaration = new JsonObject { ["name"] = JsonRead.String(function["name"]) ?? "" };
            if (JsonRead.String(function["description"]) is { } description)
            {
                declaration["description"] = description;
            }
            if (function["parameters"] is JsonObject parameters)
            {
                declaration["parameters"] = Schema(parameters);
            }
            declarations.Add(declaration);
        }
        return declarations;
    }

    private static JsonObject Schema(JsonObject schema)
    {
        var copy = (JsonObject)schema.DeepClone();
        Strip(copy);
        return copy;
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in UnsupportedSchemaKeys)
                {
                    obj.Remove(key);
                }
                foreach (var (_, value) in obj)
                {
                    Strip(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strip(item);
                }
                break;
        }
    }

    private static JsonObject? ToolConfig(JsonNode? choice)
    {
        var config = JsonRead.String(choice) switch
        {
            "auto" => new JsonObject { ["mode"] = "AUTO" },
            "required" => new JsonObject { ["mode"] = "ANY" },
            "none" => new JsonObject { ["mode"] = "NONE" },
            _ when JsonRead.String(choice?["function"]?["name"]) is { } name => new JsonObject { ["mode"] = "ANY", ["allowedFunctionNames"] = new JsonArray(name) },
            _ => null,
        };
        return config is null ? null : new JsonObject { ["functionCallingConfig"] = config };
    }
}
