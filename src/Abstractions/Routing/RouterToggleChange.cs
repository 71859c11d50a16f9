namespace LlmRouter.Abstractions.Routing;

/// <summary>One accepted toggle request, as the history keeps it.</summary>
public sealed record RouterToggleChange
{
    public long Id { get; init; }
    public required bool Value { get; init; }

    /// <summary>The state in force when the request was made.</summary>
    public required bool PreviousValue { get; init; }

    public string? Reason { get; init; }
    public string? ChangedBy { get; init; }
    public string? Node { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public required DateTimeOffset EffectiveAt { get; init; }
}
