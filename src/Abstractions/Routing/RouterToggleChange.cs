namespace LlmRouter.Abstractions.Routing;

/// <summary>One accepted toggle request, as the history keeps it.</summary>
[GenerateSerializer, Immutable, Alias("router-toggle-change")]
public sealed record RouterToggleChange
{
    [Id(0)] public long Id { get; init; }
    [Id(1)] public required bool Value { get; init; }

    /// <summary>The state in force when the request was made.</summary>
    [Id(2)] public required bool PreviousValue { get; init; }

    [Id(3)] public string? Reason { get; init; }
    [Id(4)] public string? ChangedBy { get; init; }
    [Id(5)] public string? Node { get; init; }
    [Id(6)] public required DateTimeOffset RequestedAt { get; init; }
    [Id(7)] public required DateTimeOffset EffectiveAt { get; init; }
}
