namespace LlmRouter.Api.ClientFormats.Anthropic;

/// <summary>Writes a canonical (OpenAI) chat completion as an Anthropic Messages answer.</summary>
public static class AnthropicMessageWriter
{
    public static byte[] Write(ReadOnlyMemory<byte> completion, TokenUsage usage)
    {
        var root = JsonNode.Parse(completion.Span) as JsonObject ?? [];
        var choice = JsonNodes.First(root["choices"]);
        var message = choice?["message"];
        var content = new JsonArray();
        if (Text(message?["reasoning_content"]) is { Length: > 0 } reasoning)
        {
            content.Add(new JsonObject { ["type"] = "thinking", ["thinking"] = reasoning, ["signature"] = "" });
        }
        if (Text(message?["content"]) is { Length: > 0 } text)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }
        foreach (var call in message?["tool_calls"] as JsonArray ?? [])
        {
            content.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = Text(call?["id"]) ?? "",
                ["name"] = Text(call?["function"]?["name"]) ?? "",
                ["input"] = ToolInput(Text(call?["function"]?["arguments"])),
            });
        }
        var cached = root["usage"]?["prompt_tokens_details"]?["cached_tokens"] is JsonValue c && c.TryGetValue(out long n) ? n : 0;
        return JsonBytes.Of(new JsonObject
        {
            ["id"] = AnthropicStopReasons.MessageId(Text(root["id"])),
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = Text(root["model"]) ?? "",
            ["content"] = content,
            ["stop_reason"] = AnthropicStopReasons.FromFinishReason(Text(choice?["finish_reason"])),
            ["stop_sequence"] = null,
            ["usage"] = Usage(usage, cached),
        });
    }

    /// <summary>Anthropic counts cache reads apart from input tokens; OpenAI counts them in.</summary>
    public static JsonObject Usage(TokenUsage usage, long cachedTokens = 0) => new()
    {
        ["input_tokens"] = usage.PromptTokens - cachedTokens,
        ["output_tokens"] = usage.CompletionTokens,
        ["cache_creation_input_tokens"] = 0,
        ["cache_read_input_tokens"] = cachedTokens,
    };

    /// <summary>Tool arguments are JSON text in OpenAI and an object in Anthropic; text that is not an object is kept under "arguments".</summary>
    public static JsonObject ToolInput(string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(arguments) as JsonObject ?? new JsonObject { ["arguments"] = arguments };
        }
        catch (JsonException)
        {
            return new JsonObject { ["arguments"] = arguments };
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
