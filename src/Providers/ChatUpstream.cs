using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Providers;

/// <summary>Dispatches a call to the adapter of the model's provider type, with its key and timeout.</summary>
public sealed class ChatUpstream : IChatUpstream
{
    private readonly Dictionary<string, IProviderAdapter> _adapters = new(StringComparer.Ordinal);
    private readonly IRouterConfigSource _config;
    private readonly RouterEnvironment _environment;

    public ChatUpstream(IEnumerable<IProviderAdapter> adapters, IRouterConfigSource config, RouterEnvironment environment)
    {
        foreach (var adapter in adapters)
        {
            foreach (var type in adapter.Types)
            {
                _adapters[type] = adapter;
            }
        }
        _config = config;
        _environment = environment;
    }

    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default) =>
        Prepare(request, out var adapter, out var call) is { } error
            ? ValueTask.FromResult(UpstreamChatResult.Failed(error))
            : adapter!.CompleteAsync(call!, cancellationToken);

    public ValueTask<UpstreamStream> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default) =>
        Prepare(request, out var adapter, out var call) is { } error
            ? ValueTask.FromResult(UpstreamStream.Failed(error))
            : adapter!.StreamAsync(call!, cancellationToken);

    private UpstreamError? Prepare(UpstreamChatRequest request, out IProviderAdapter? adapter, out UpstreamCall? call)
    {
        var provider = request.Model.Provider;
        call = null;
        if (!_adapters.TryGetValue(provider.Type, out adapter))
        {
            return new UpstreamError(UpstreamErrorKind.Protocol, $"provider type '{provider.Type}' is not supported by this build");
        }
        var key = provider.ApiKeyEnv is { Length: > 0 } name ? _environment.Get(name) : provider.ApiKey;
        var timeout = TimeSpan.FromSeconds(_config.Current.Server.DefaultTimeoutSeconds);
        call = new UpstreamCall(request, key, timeout);
        return null;
    }
}
