namespace LlmRouter.Providers.Anthropic;

/// <summary>Anthropic's <c>stop_reason</c> as an OpenAI <c>finish_reason</c>.</summary>
internal static class AnthropicStopReasons
{
    public static string ToFinishReason(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };
}
