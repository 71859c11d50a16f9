using System.Text.Json.Serialization;

namespace LlmRouter.Api.Json;

/// <summary>Source-generated serialization for the routing endpoints (/route, /router).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RouterStatusView))]
[JsonSerializable(typeof(RouterToggleResponse))]
[JsonSerializable(typeof(RouterHistoryResponse))]
[JsonSerializable(typeof(RouterMetricsResponse))]
[JsonSerializable(typeof(InvokeResponse))]
public sealed partial class RoutingJsonContext : JsonSerializerContext;
