using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Api.Limits;

/// <summary>The limits bound to one API key.</summary>
public sealed record ApiKeyLimits(RateLimitConfig? RateLimit, BudgetConfig? Budget);
