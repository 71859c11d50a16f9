using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// A call asking to be let through: the model it targets, the limits in force for the model and the key (from the
/// configuration snapshot or key record the caller already holds), and what to reserve until it is settled.
/// </summary>
public sealed record AdmissionRequest
{
    /// <summary>The model as <c>"provider/model"</c>.</summary>
    public required string ModelId { get; init; }

    public RateLimitConfig? ModelLimit { get; init; }
    public RateLimitConfig? KeyLimit { get; init; }
    public BudgetConfig? KeyBudget { get; init; }
    public string? SessionId { get; init; }

    /// <summary>Tokens held against token windows until settlement: the prompt estimate plus the completion ceiling.</summary>
    public long ReserveTokens { get; init; }

    /// <summary>Money held against the key's budget until settlement.</summary>
    public decimal ReserveCostUsd { get; init; }
}
