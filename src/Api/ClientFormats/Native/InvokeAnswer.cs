namespace LlmRouter.Api.ClientFormats.Native;

/// <summary>The native invoke answer (text, usage and the raw completion) of a successful call, naming the model that served it.</summary>
internal static class InvokeAnswer
{
    public static InvokeResponse Build(UpstreamChatResult result, ResolvedModel servedBy, long latencyMs)
    {
        using var raw = JsonDocument.Parse(result.Body);
        var text = raw.RootElement.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("message", out var message) && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
            ? content.GetString()
            : null;
        var usage = result.Usage ?? default;
        return new InvokeResponse(
            servedBy.Id, servedBy.Provider.Name, text, result.FinishReason,
            new UsageView(usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens),
            latencyMs,
            Route: null,
            raw.RootElement.Clone());
    }
}
