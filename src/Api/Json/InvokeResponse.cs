using System.Text.Json.Serialization;

namespace LlmRouter.Api.Json;

/// <summary>
/// The answer of the native POST /models/{provider}/{model}/invoke, and of POST /route/invoke, where <c>model</c> is the
/// model that served and <see cref="Route"/> tells how it was picked (absent from a direct invoke).
/// </summary>
public sealed record InvokeResponse(
    string Model,
    string Provider,
    string? OutputText,
    string? FinishReason,
    UsageView Usage,
    long LatencyMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RouteView? Route,
    JsonElement Raw);
