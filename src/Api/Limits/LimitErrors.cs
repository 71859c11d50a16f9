using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Api.Limits;

/// <summary>The errors admission answers with, shaped like OpenAI's own 429s.</summary>
public static class LimitErrors
{
    public static ApiError Refused(Admission admission) => admission.RefusedBy switch
    {
        LimitKind.KeyBudget => new(429, "insufficient_quota", admission.Message!, Code: "insufficient_quota") { RetryAfter = admission.RetryAfter },
        LimitKind.ModelTokens or LimitKind.KeyTokens =>
            new(429, "tokens", admission.Message!, Code: "rate_limit_exceeded") { RetryAfter = admission.RetryAfter },
        _ => new(429, "requests", admission.Message!, Code: "rate_limit_exceeded") { RetryAfter = admission.RetryAfter },
    };

    public static ApiError StoreUnavailable() =>
        new(503, "server_error", "The router cannot check rate limits right now; try again shortly.", Code: "limit_store_unavailable")
        {
            RetryAfter = TimeSpan.FromSeconds(1),
        };
}
