namespace LlmRouter.Api.Json;

/// <summary>The answer of the native POST /models/{provider}/{model}/invoke.</summary>
public sealed record InvokeResponse(
    string Model,
    string Provider,
    string? OutputText,
    string? FinishReason,
    UsageView Usage,
    long LatencyMs,
    JsonElement Raw);
