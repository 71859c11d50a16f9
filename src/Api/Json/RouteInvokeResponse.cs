namespace LlmRouter.Api.Json;

/// <summary>The answer of POST /route/invoke: the native invoke answer (<c>model</c> is the model that served) plus the route.</summary>
public sealed record RouteInvokeResponse(
    string Model,
    string Provider,
    string? OutputText,
    string? FinishReason,
    UsageView Usage,
    long LatencyMs,
    RouteView Route,
    JsonElement Raw);
