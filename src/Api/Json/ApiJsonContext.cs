using System.Text.Json.Serialization;

namespace LlmRouter.Api.Json;

/// <summary>Source-generated serialization for everything the API writes itself (no reflection at run time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ClusterResponse))]
[JsonSerializable(typeof(OpenAiModelList))]
[JsonSerializable(typeof(IReadOnlyList<ModelView>))]
[JsonSerializable(typeof(InvokeResponse))]
[JsonSerializable(typeof(InvocationListResponse))]
[JsonSerializable(typeof(InvocationDetailView))]
[JsonSerializable(typeof(StatisticsResponse))]
[JsonSerializable(typeof(TimeSeriesResponse))]
[JsonSerializable(typeof(CostCurrentResponse))]
[JsonSerializable(typeof(CostDailyResponse))]
[JsonSerializable(typeof(CostSummaryResponse))]
[JsonSerializable(typeof(CostBreakdownResponse))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(BindModelResponse))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(WhoAmIResponse))]
[JsonSerializable(typeof(ApiKeyView))]
[JsonSerializable(typeof(IReadOnlyList<ApiKeyView>))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
