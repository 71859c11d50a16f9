namespace LlmRouter.Abstractions.Invocations;

/// <summary>
/// One group of a breakdown. Which names are set depends on the dimension: provider and model for
/// <see cref="UsageDimension.Model"/>, provider for <see cref="UsageDimension.Provider"/>, key id and name for
/// <see cref="UsageDimension.ApiKey"/> (both null for calls made without a key).
/// </summary>
public sealed record UsageGroup(UsageTotals Totals)
{
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public string? ApiKeyId { get; init; }
    public string? ApiKeyName { get; init; }
}
