namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// What an admitted call holds until it is settled. <see cref="Id"/> is unique per call and makes settlement
/// idempotent; <see cref="IsHeld"/> says the store keeps a ledger entry (tokens or money were reserved) whose
/// difference to the actual usage the settlement gives back.
/// </summary>
[GenerateSerializer, Immutable, Alias("reservation")]
public sealed record Reservation(string Id, bool IsHeld, long Tokens, decimal CostUsd)
{
    /// <summary>A reservation that holds nothing, for calls no window or budget applies to.</summary>
    public static Reservation Nothing() => new(NewId(), false, 0, 0m);

    public static string NewId() => Guid.CreateVersion7().ToString("N");
}
