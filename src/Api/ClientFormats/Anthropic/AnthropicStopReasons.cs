namespace LlmRouter.Api.ClientFormats.Anthropic;

/// <summary>An OpenAI <c>finish_reason</c> as Anthropic's <c>stop_reason</c>.</summary>
public static class AnthropicStopReasons
{
    public static string FromFinishReason(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };

    /// <summary>Anthropic message ids start with <c>msg_</c>; other upstreams' ids get the prefix.</summary>
    public static string MessageId(string? id) =>
        id is null ? "msg_router" : id.StartsWith("msg_", StringComparison.Ordinal) ? id : "msg_" + id;
}
