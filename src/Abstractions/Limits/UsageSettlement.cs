namespace LlmRouter.Abstractions.Limits;

/// <summary>
/// One invocation to settle, applied at most once per <see cref="Id"/>. Counters add the actual figures; when
/// <see cref="HasLedger"/>, the ledger entry of the same id is consumed: token windows move by T·(actual − reserved)
/// and the budget trades the reserved money for the actual cost.
/// </summary>
public sealed record UsageSettlement
{
    public required string Id { get; init; }
    public bool HasLedger { get; init; }
    public required string ModelId { get; init; }
    public string? KeyId { get; init; }
    public string? SessionId { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long CostNanoUsd { get; init; }

    /// <summary>Keep the reservation in full on windows and budget (usage unknown).</summary>
    public bool KeepReservation { get; init; }

    /// <summary>The ledger entry holds money (a budget reservation): its settlement must reach the disk before anyone relies on it.</summary>
    public bool HoldsMoney { get; init; }
}
