namespace LlmRouter.Abstractions.Routing;

/// <summary>The answer to a toggle request: the outcome and the state after it.</summary>
public sealed record RouterToggleOutcome(RouterToggleOutcomeKind Kind, RouterToggleState State)
{
    /// <summary>When the cooldown ends (set for <see cref="RouterToggleOutcomeKind.CoolingDown"/>).</summary>
    public DateTimeOffset? RetryAt { get; init; }
}
