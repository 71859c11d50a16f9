namespace LlmRouter.Providers.Wire;

/// <summary>
/// Builds the OpenAI <c>chat.completion.chunk</c> stream of one translated call: the first chunk carries the
/// assistant role, the finish chunk the finish reason, and a last usage-only chunk the usage (as
/// <c>stream_options.include_usage</c> asks).
/// </summary>
internal sealed class OpenAiChunkWriter(string id, string model, long created)
{
    private bool _roleSent;

    public string Id { get; set; } = id;
    public string Model { get; set; } = model;

    public ChatStreamChunk Delta(JsonObject delta, string? finishReason = null, TokenUsage? usage = null)
    {
        if (!_roleSent)
        {
            delta["role"] = "assistant";
            _roleSent = true;
        }
        var content = JsonRead.String(delta["content"]);
        var chunk = Frame(new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["delta"] = delta,
            ["logprobs"] = null,
            ["finish_reason"] = finishReason,
        }));
        return new ChatStreamChunk
        {
            Json = OpenAiOutput.Bytes(chunk),
            ContentDelta = string.IsNullOrEmpty(content) ? null : content,
            FinishReason = finishReason,
            Usage = usage,
        };
    }

    /// <summary>A delta of content and reasoning increments, each left out when empty.</summary>
    public static JsonObject TextDelta(string content, string reasoning)
    {
        var delta = new JsonObject();
        if (content.Length > 0)
        {
            delta["content"] = content;
        }
        if (reasoning.Length > 0)
        {
            delta["reasoning_content"] = reasoning;
        }
        return delta;
    }

    /// <summary>A delta of one tool call's fields (the first carries id, type and name; the rest argument pieces).</summary>
    public static JsonObject ToolCallDelta(int index, JsonObject fields)
    {
        fields.Insert(0, "index", index);
        return new JsonObject { ["tool_calls"] = new JsonArray(fields) };
    }

    public ChatStreamChunk UsageOnly(TokenUsage usage, long cachedTokens = 0)
    {
        var chunk = Frame([]);
        chunk["usage"] = OpenAiOutput.Usage(usage, cachedTokens);
        return new ChatStreamChunk { Json = OpenAiOutput.Bytes(chunk), Usage = usage, IsUsageOnly = true };
    }

    private JsonObject Frame(JsonArray choices) => new()
    {
        ["id"] = Id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = Model,
        ["choices"] = choices,
    };
}
