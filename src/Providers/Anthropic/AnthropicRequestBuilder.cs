using System.Globalization;

namespace LlmRouter.Providers.Anthropic;

/// <summary>
/// Translates a canonical (OpenAI chat) body into an Anthropic Messages body: system messages lifted into
/// <c>system</c>, tool results into user <c>tool_result</c> blocks, tool calls into <c>tool_use</c> blocks, image
/// parts into image blocks, consecutive turns of one role merged, and <c>max_tokens</c> always set.
/// </summary>
internal static class AnthropicRequestBuilder
{
    /// <summary>Anthropic requires max_tokens; this is sent when neither the client nor <c>settings.default_max_tokens</c> gives one.</summary>
    public const long DefaultMaxTokens = 4096;

    private static readonly TurnShape Shape = new("an Anthropic upstream", "content", "assistant", UserBlocks, AssistantBlocks, ToolResult);

    public static JsonObject Build(JsonObject canonical, string model, ProviderConfig provider, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = CanonicalOptions.MaxTokens(canonical) ?? DefaultMax(provider),
        };
        var (system, messages) = TurnList.Translate(canonical, Shape);
        if (system.Count > 0)
        {
            body["system"] = string.Join("\n\n", system);
        }
        body["messages"] = messages;
        if (stream)
        {
            body["stream"] = true;
        }
        if (canonical["temperature"] is JsonValue temperature && temperature.TryGetValue(out double t))
        {
            // OpenAI allows up to 2, Anthropic up to 1.
            body["temperature"] = Math.Min(t, 1.0);
        }
        CanonicalOptions.CopyNumber(canonical, "top_p", body, "top_p");
        CanonicalOptions.CopyNumber(canonical, "top_k", body, "top_k");
        if (CanonicalOptions.StopSequences(canonical) is { } stops)
        {
            body["stop_sequences"] = stops;
        }
        if (CanonicalOptions.FunctionDeclarations(canonical, "input_schema", InputSchema) is { Count: > 0 } tools)
        {
            body["tools"] = tools;
            if (ToolChoice(CanonicalOptions.ToolChoice(canonical), JsonRead.Bool(canonical["parallel_tool_calls"])) is { } choice)
            {
                body["tool_choice"] = choice;
            }
        }
        if (JsonRead.String(canonical["user"]) is { } user)
        {
            body["metadata"] = new JsonObject { ["user_id"] = user };
        }
        return body;
    }

    private static long DefaultMax(ProviderConfig provider) =>
        long.TryParse(provider.Setting("default_max_tokens"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : DefaultMaxTokens;

    private static List<JsonNode> UserBlocks(JsonNode? content)
    {
        var blocks = new List<JsonNode>();
        foreach (var part in CanonicalMessages.UserParts(content, Shape.Upstream))
        {
            if (part.Text is { } text)
            {
                AddText(blocks, text);
            }
            else
            {
                blocks.Add(Image(part.RequiredImageUrl));
            }
        }
        return blocks;
    }

    private static void AddText(List<JsonNode> blocks, string text)
    {
        // Anthropic refuses empty text blocks.
        if (text.Length > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }
    }

    private static JsonObject Image(string url)
    {
        var source = DataUrl.TryParse(url, out var mediaType, out var data)
            ? new JsonObject { ["type"] = "base64", ["media_type"] = mediaType, ["data"] = data }
            : new JsonObject { ["type"] = "url", ["url"] = url };
        return new JsonObject { ["type"] = "image", ["source"] = source };
    }

    private static List<JsonNode> AssistantBlocks(CanonicalMessage message)
    {
        var blocks = new List<JsonNode>();
        AddText(blocks, message.Text ?? "");
        foreach (var call in message.ToolCalls)
        {
            blocks.Add(new JsonObject { ["type"] = "tool_use", ["id"] = call.Id ?? "", ["name"] = call.Name, ["input"] = call.Arguments });
        }
        return blocks;
    }

    private static JsonObject ToolResult(CanonicalMessage message)
    {
        var result = new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = message.ToolCallId };
        if (message.Text is { Length: > 0 } text)
        {
            result["content"] = text;
        }
        return result;
    }

    /// <summary>Anthropic requires a schema; a tool without parameters takes an empty object.</summary>
    private static JsonNode InputSchema(JsonObject? parameters) =>
        parameters?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };

    private static JsonObject? ToolChoice(CanonicalToolChoice? choice, bool? parallel)
    {
        var result = choice?.Mode switch
        {
            ToolChoiceMode.Auto => new JsonObject { ["type"] = "auto" },
            ToolChoiceMode.Required => new JsonObject { ["type"] = "any" },
            ToolChoiceMode.None => new JsonObject { ["type"] = "none" },
            ToolChoiceMode.Function => new JsonObject { ["type"] = "tool", ["name"] = choice.Name },
            _ => null,
        };
        if (parallel == false)
        {
            result ??= new JsonObject { ["type"] = "auto" };
            if (choice?.Mode != ToolChoiceMode.None)
            {
                result["disable_parallel_tool_use"] = true;
            }
        }
        return result;
    }
}
