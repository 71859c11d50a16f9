using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Abstractions.Limits;

/// <summary>Money to hold against a key's budget in the period the store's clock is in: admitted while spent + reserved + this ≤ limit.</summary>
public sealed record BudgetCharge(string KeyId, BudgetPeriod Period, long LimitNanoUsd, long ReserveNanoUsd);
