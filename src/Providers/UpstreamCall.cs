namespace LlmRouter.Providers;

/// <summary>Everything an adapter needs for one call: the request, the upstream credential and the deadline.</summary>
public sealed record UpstreamCall(UpstreamChatRequest Request, string? ApiKey, TimeSpan Timeout)
{
    /// <summary>The largest answer read: a whole body, or one event of a stream.</summary>
    public long MaxResponseBytes { get; init; } = ServerConfig.DefaultMaxUpstreamResponseBytes;

    /// <summary>The longest a streamed answer may last in all.</summary>
    public TimeSpan StreamDeadline { get; init; } = TimeSpan.FromSeconds(ServerConfig.DefaultStreamDeadlineSeconds);

    public string ProviderName => Request.Model.Provider.Name;
}
