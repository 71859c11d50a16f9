namespace LlmRouter.Abstractions.Routing;

/// <summary>
/// The router toggle as the store keeps it: the latest requested <see cref="Value"/>, in force from
/// <see cref="EffectiveAt"/>; until then <see cref="PreviousValue"/> holds. Every node computes the state in force
/// from this record and its clock, so all nodes flip at the same instant.
/// </summary>
public sealed record RouterToggleState
{
    public required bool Value { get; init; }
    public required bool PreviousValue { get; init; }
    public required DateTimeOffset EffectiveAt { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
    public string? Reason { get; init; }

    /// <summary>Who asked for the change: an API key's name, or <c>local</c>.</summary>
    public string? ChangedBy { get; init; }

    /// <summary>The node that took the request.</summary>
    public string? Node { get; init; }

    /// <summary>Raised by every change, so a reader keeps the newest state it has seen.</summary>
    public long Version { get; init; }

    public bool EnabledAt(DateTimeOffset now) => now >= EffectiveAt ? Value : PreviousValue;

    public bool IsPendingAt(DateTimeOffset now) => now < EffectiveAt && Value != PreviousValue;
}
