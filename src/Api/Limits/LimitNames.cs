using System.Globalization;
using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Api.Limits;

/// <summary>A limit as the invocation log names the one that refused a call: "key rpm 60", "model tpm 10000", "key budget 5 USD a month".</summary>
public static class LimitNames
{
    public static string Describe(AdmissionRequest request, LimitKind kind) => kind switch
    {
        LimitKind.ModelRequests => Requests("model", request.ModelLimit),
        LimitKind.ModelTokens => Tokens("model", request.ModelLimit),
        LimitKind.KeyRequests => Requests("key", request.KeyLimit),
        LimitKind.KeyTokens => Tokens("key", request.KeyLimit),
        LimitKind.KeyBudget when request.KeyBudget is { } budget =>
            string.Create(CultureInfo.InvariantCulture, $"key budget {budget.LimitUsd} USD a {budget.Period}"),
        LimitKind.KeyBudget => "key budget",
        _ => "limit",
    };

    private static string Requests(string scope, RateLimitConfig? limit) => limit?.MaxRequests is not { } max
        ? $"{scope} requests"
        : limit.PerSeconds == 60
            ? string.Create(CultureInfo.InvariantCulture, $"{scope} rpm {max}")
            : string.Create(CultureInfo.InvariantCulture, $"{scope} requests {max} per {limit.PerSeconds} s");

    private static string Tokens(string scope, RateLimitConfig? limit) =>
        limit?.TokensPerMinute is { } tpm ? string.Create(CultureInfo.InvariantCulture, $"{scope} tpm {tpm}") : $"{scope} tpm";
}
