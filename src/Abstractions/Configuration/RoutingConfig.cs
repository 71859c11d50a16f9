namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [routing] table: the router toggle's initial state, delay and cooldown, and how many candidates one request may try.</summary>
public sealed record RoutingConfig
{
    /// <summary>The toggle's state until it is first changed; from then on the store's state holds for every node.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>How long after a toggle request the new state takes effect, on every node at the same instant.</summary>
    public double ToggleDelaySeconds { get; init; } = 5;

    /// <summary>How long after one toggle request the next is refused.</summary>
    public double ToggleCooldownSeconds { get; init; } = 30;

    /// <summary>Candidates tried per request: the first choice plus fallbacks.</summary>
    public int MaxAttempts { get; init; } = 4;
}
