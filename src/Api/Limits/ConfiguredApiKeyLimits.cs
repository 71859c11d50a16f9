using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Limits;

/// <summary>Key limits from the [[api_keys]] entries of the configuration in force, matched by the key's name.</summary>
internal sealed class ConfiguredApiKeyLimits(IRouterConfigSource config) : IApiKeyLimitSource
{
    public ValueTask<ApiKeyLimits?> FindAsync(CallerIdentity caller, CancellationToken cancellationToken = default)
    {
        var key = caller.ApiKeyName is { } name ? config.Current.ApiKeys.FirstOrDefault(k => k.Name == name) : null;
        return ValueTask.FromResult(key is null ? null : new ApiKeyLimits(key.RateLimit, key.Budget));
    }
}
