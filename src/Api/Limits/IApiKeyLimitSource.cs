using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Limits;

/// <summary>Finds the rate limit and budget of the key a call was made with.</summary>
public interface IApiKeyLimitSource
{
    ValueTask<ApiKeyLimits?> FindAsync(CallerIdentity caller, CancellationToken cancellationToken = default);
}
