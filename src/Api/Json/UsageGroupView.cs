using System.Text.Json.Serialization;

namespace LlmRouter.Api.Json;

/// <summary>
/// One group of a breakdown: <c>key</c> names it (<c>provider/model</c>, the provider, or the API key's name; null for
/// calls without a key), and the fields that apply to the grouping are set.
/// </summary>
public sealed record UsageGroupView
{
    public string? Key { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Provider { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiKeyId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApiKeyName { get; init; }

    public long Requests { get; init; }
    public long Errors { get; init; }
    public long ClientClosed { get; init; }

    /// <summary>Calls the router refused itself: not in <see cref="Requests"/>.</summary>
    public long Rejected { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long TotalTokens { get; init; }
    public decimal Cost { get; init; }
    public double AvgLatencyMs { get; init; }
    public double ErrorRate { get; init; }
    public double RejectedRate { get; init; }
}
