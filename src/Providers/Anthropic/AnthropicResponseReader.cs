namespace LlmRouter.Providers.Anthropic;

/// <summary>Translates an Anthropic Messages answer into an OpenAI chat completion.</summary>
internal static class AnthropicResponseReader
{
    /// <summary>Null when the body is not an Anthropic message.</summary>
    public static UpstreamChatResult? Read(byte[] body, long created)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (JsonRead.Property(root, "content", JsonValueKind.Array) is not { } content)
        {
            return null;
        }
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var toolCalls = new JsonArray();
        var hasText = false;
        foreach (var block in content.EnumerateArray())
        {
            switch (JsonRead.String(block, "type"))
            {
                case "text":
                    text.Append(JsonRead.String(block, "text"));
                    hasText = true;
                    break;
                case "thinking":
                    reasoning.Append(JsonRead.String(block, "thinking"));
                    break;
                case "tool_use":
                    var input = JsonRead.Property(block, "input", JsonValueKind.Object)?.GetRawText() ?? "{}";
                    toolCalls.Add(OpenAiOutput.ToolCall(JsonRead.String(block, "id") ?? "", JsonRead.String(block, "name") ?? "", input));
                    break;
            }
        }
        var usage = JsonRead.Property(root, "usage", JsonValueKind.Object) is { } u ? AnthropicUsage.Read(u) : default;
        var finishReason = AnthropicStopReasons.ToFinishReason(JsonRead.String(root, "stop_reason"));
        var message = OpenAiOutput.Message(hasText || toolCalls.Count == 0 ? text.ToString() : null, reasoning.ToString(), toolCalls);
        var completion = OpenAiOutput.Completion(
            JsonRead.String(root, "id") ?? "msg", JsonRead.String(root, "model") ?? "", created, message, finishReason, usage.Tokens, usage.CacheRead);
        return OpenAiOutput.Translated(completion, usage.Tokens, finishReason, body, WireApis.Anthropic);
    }
}
