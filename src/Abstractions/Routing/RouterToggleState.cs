namespace LlmRouter.Abstractions.Routing;

/// <summary>
/// The router toggle as its grain (<see cref="Grains.IRouterToggleGrain"/>) keeps it: the latest requested <see cref="Value"/>, in force from
/// <see cref="EffectiveAt"/>; until then <see cref="PreviousValue"/> holds. Every node computes the state in force
/// from this record and its clock, so all nodes flip at the same instant.
/// </summary>
[GenerateSerializer, Immutable, Alias("router-toggle-state")]
public sealed record RouterToggleState
{
    [Id(0)] public required bool Value { get; init; }
    [Id(1)] public required bool PreviousValue { get; init; }
    [Id(2)] public required DateTimeOffset EffectiveAt { get; init; }
    [Id(3)] public required DateTimeOffset ChangedAt { get; init; }
    [Id(4)] public string? Reason { get; init; }

    /// <summary>Who asked for the change: an API key's name, or <c>local</c>.</summary>
    [Id(5)] public string? ChangedBy { get; init; }

    /// <summary>The node that took the request.</summary>
    [Id(6)] public string? Node { get; init; }

    /// <summary>Raised by every change, so a reader keeps the newest state it has seen.</summary>
    [Id(7)] public long Version { get; init; }

    public bool EnabledAt(DateTimeOffset now) => now >= EffectiveAt ? Value : PreviousValue;

    public bool IsPendingAt(DateTimeOffset now) => now < EffectiveAt && Value != PreviousValue;
}
