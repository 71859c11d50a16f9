using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// A call asking to be let through: the model it targets, the limits in force for the model and the key (from the
/// configuration snapshot or key record the caller already holds), and what to reserve until it is settled.
/// </summary>
[GenerateSerializer, Immutable, Alias("admission-request")]
public sealed record AdmissionRequest
{
    /// <summary>The model as <c>"provider/model"</c>.</summary>
    [Id(0)] public required string ModelId { get; init; }

    [Id(1)] public RateLimitConfig? ModelLimit { get; init; }
    [Id(2)] public RateLimitConfig? KeyLimit { get; init; }
    [Id(3)] public BudgetConfig? KeyBudget { get; init; }
    [Id(4)] public string? SessionId { get; init; }

    /// <summary>Tokens held against token windows until settlement: the prompt estimate plus the completion ceiling.</summary>
    [Id(5)] public long ReserveTokens { get; init; }

    /// <summary>Money held against the key's budget until settlement.</summary>
    [Id(6)] public decimal ReserveCostUsd { get; init; }

    /// <summary>The reservation id to hold under (the key's grain passes its own to the model's); null makes a new one.</summary>
    [Id(7)] public string? ReservationId { get; init; }

    /// <summary>
    /// Whether any window or budget applies to the call. One that holds nothing (a model without limits, called
    /// without a key or with a key that has neither limits nor a budget) is admitted without asking a grain.
    /// </summary>
    public bool IsLimited => HasWindow(ModelLimit) || HasWindow(KeyLimit) || KeyBudget is not null;

    private static bool HasWindow(RateLimitConfig? limit) => limit?.MaxRequests is not null || limit?.TokensPerMinute is not null;
}
