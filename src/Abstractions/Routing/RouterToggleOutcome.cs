namespace LlmRouter.Abstractions.Routing;

/// <summary>The answer to a toggle request: the outcome and the state after it.</summary>
[GenerateSerializer, Immutable, Alias("router-toggle-outcome")]
public sealed record RouterToggleOutcome(RouterToggleOutcomeKind Kind, RouterToggleState State)
{
    /// <summary>When the cooldown ends (set for <see cref="RouterToggleOutcomeKind.CoolingDown"/>).</summary>
    [Id(2)] public DateTimeOffset? RetryAt { get; init; }
}
