using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Providers;

/// <summary>Everything an adapter needs for one call: the request, the upstream credential and the deadline.</summary>
public sealed record UpstreamCall(UpstreamChatRequest Request, string? ApiKey, TimeSpan Timeout)
{
    public string ProviderName => Request.Model.Provider.Name;
}
