namespace LlmRouter.Providers.Wire;

/// <summary>Writes OpenAI chat-completion JSON (whole completions and stream chunks) for adapters that translate.</summary>
internal static class OpenAiOutput
{
    public static byte[] Completion(string id, string model, long created, JsonObject message, string finishReason, TokenUsage usage, long cachedTokens = 0) =>
        Bytes(new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
            ["usage"] = Usage(usage, cachedTokens),
        });

    public static JsonObject Usage(TokenUsage usage, long cachedTokens = 0)
    {
        var json = new JsonObject
        {
            ["prompt_tokens"] = usage.PromptTokens,
            ["completion_tokens"] = usage.CompletionTokens,
            ["total_tokens"] = usage.TotalTokens,
        };
        if (cachedTokens > 0)
        {
            json["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cachedTokens };
        }
        return json;
    }

    /// <summary>An assistant message: content (null when there is none), reasoning and tool calls when present.</summary>
    public static JsonObject Message(string? content, string? reasoning, JsonArray? toolCalls)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (!string.IsNullOrEmpty(reasoning))
        {
            message["reasoning_content"] = reasoning;
        }
        if (toolCalls is { Count: > 0 })
        {
            message["tool_calls"] = toolCalls;
        }
        return message;
    }

    public static JsonObject ToolCall(string id, string name, string arguments) => new()
    {
        ["id"] = id,
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
    };

    /// <summary>A translated answer: the completion with its usage and finish reason, the upstream's own body kept beside it.</summary>
    public static UpstreamChatResult Translated(byte[] completion, TokenUsage usage, string finishReason, byte[] upstreamBody, string api) => new()
    {
        Body = completion,
        Usage = usage,
        FinishReason = finishReason,
        RawUpstream = Encoding.UTF8.GetString(upstreamBody),
        RawUpstreamApi = api,
    };

    public static byte[] Bytes(JsonNode node) => JsonBytes.Of(node);
}
