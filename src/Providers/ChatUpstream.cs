using System.Diagnostics.CodeAnalysis;
using LlmRouter.Providers.Resilience;
using Polly.CircuitBreaker;

namespace LlmRouter.Providers;

/// <summary>
/// Dispatches a call to the adapter of the model's provider (by <c>settings.api</c>, else by type), with its key
/// and timeout, through the provider's resilience pipeline. A streamed call is retried only while starting: once
/// the stream is handed back, no byte of it has gone anywhere else and nothing is retried again. What a failing
/// upstream says is cleared of secrets (<see cref="UpstreamSecretRedactor"/>) before anyone sees it.
/// </summary>
public sealed class ChatUpstream : IChatUpstream
{
    private readonly Dictionary<string, IProviderAdapter> _byType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IProviderAdapter> _byApi = new(StringComparer.Ordinal);
    private readonly IRouterConfigSource _config;
    private readonly RouterEnvironment _environment;
    private readonly ProviderResilience _resilience;
    private readonly UpstreamSecretRedactor _redactor;

    public ChatUpstream(
        IEnumerable<IProviderAdapter> adapters, IRouterConfigSource config, RouterEnvironment environment, ProviderResilience resilience, UpstreamSecretRedactor redactor)
    {
        foreach (var adapter in adapters)
        {
            foreach (var type in adapter.Types)
            {
                _byType[type] = adapter;
            }
            foreach (var api in adapter.Apis)
            {
                _byApi[api] = adapter;
            }
        }
        _config = config;
        _environment = environment;
        _resilience = resilience;
        _redactor = redactor;
    }

    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default) =>
        WholeAsync(request, static (adapter, call, token) => adapter.CompleteAsync(call, token), cancellationToken);

    public ValueTask<UpstreamChatResult> EmbedAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default) =>
        WholeAsync(request, static (adapter, call, token) => adapter.EmbedAsync(call, token), cancellationToken);

    /// <summary>A call answered whole (a completion, embeddings), through the provider's pipeline.</summary>
    private async ValueTask<UpstreamChatResult> WholeAsync(
        UpstreamChatRequest request, Func<IProviderAdapter, UpstreamCall, CancellationToken, ValueTask<UpstreamChatResult>> send, CancellationToken cancellationToken)
    {
        if (!TryPrepare(request, out var prepared, out var error))
        {
            return UpstreamChatResult.Failed(error);
        }
        var (adapter, call, lane) = prepared;
        var (outcome, attempts, refused) = await AttemptAsync(
            lane, async token => UpstreamAttempt.Of(await send(adapter, call, token).ConfigureAwait(false)), call, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return UpstreamChatResult.Failed(refused) with { Attempts = attempts };
        }
        var result = outcome!.Result!;
        return result.Error is { } failed
            ? result with { Error = _redactor.Redact(failed, call.ApiKey), Attempts = attempts }
            : result with { Attempts = attempts };
    }

    public async ValueTask<UpstreamStream> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default)
    {
        if (!TryPrepare(request, out var prepared, out var error))
        {
            return UpstreamStream.Failed(error);
        }
        var (adapter, call, lane) = prepared;
        var (outcome, attempts, refused) = await AttemptAsync(
            lane, async token => UpstreamAttempt.Of(await adapter.StreamAsync(call, token).ConfigureAwait(false)), call, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return UpstreamStream.Failed(refused, attempts);
        }
        var stream = outcome!.Stream!;
        return stream.Error is { } failed
            ? UpstreamStream.Failed(_redactor.Redact(failed, call.ApiKey), attempts)
            : new UpstreamStream(_redactor.Redact(stream.Chunks!, call.ApiKey, CancellationToken.None), stream.DisposeAsync) { Attempts = attempts };
    }

    /// <summary>Runs the tries through the provider's pipeline, counting them; a refusal when the call was not (or no longer) attempted.</summary>
    private static async ValueTask<(UpstreamAttempt? Outcome, int Attempts, UpstreamError? Refused)> AttemptAsync(
        ProviderLane lane, Func<CancellationToken, ValueTask<UpstreamAttempt>> attempt, UpstreamCall call, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            var outcome = await lane.Pipeline.ExecuteAsync(token =>
            {
                attempts++;
                return attempt(token);
            }, cancellationToken).ConfigureAwait(false);
            return (outcome, attempts, null);
        }
        catch (Exception exception) when (Refused(exception, call, cancellationToken) is { } refused)
        {
            return (null, attempts, refused);
        }
    }

    /// <summary>The call was not (or no longer) attempted: the circuit is open, or the client left while waiting to retry.</summary>
    private static UpstreamError? Refused(Exception exception, UpstreamCall call, CancellationToken cancellationToken) => exception switch
    {
        BrokenCircuitException broken => new UpstreamError(UpstreamErrorKind.Unavailable,
            $"provider '{call.ProviderName}' is failing repeatedly; calls to it are paused") { RetryAfter = broken.RetryAfter },
        OperationCanceledException when cancellationToken.IsCancellationRequested =>
            new UpstreamError(UpstreamErrorKind.Cancelled, "the client closed the connection"),
        _ => null,
    };

    /// <summary>The adapter, call and lane of a request, or why there is none.</summary>
    private bool TryPrepare(UpstreamChatRequest request, [NotNullWhen(true)] out PreparedCall? prepared, [NotNullWhen(false)] out UpstreamError? error)
    {
        var provider = request.Model.Provider;
        prepared = null;
        error = null;
        var named = provider.Setting(ProviderApis.SettingKey) is { Length: > 0 };
        IProviderAdapter? adapter;
        var found = named
            ? _byApi.TryGetValue(ProviderApis.Of(provider), out adapter)
            : _byType.TryGetValue(provider.Type, out adapter);
        if (!found)
        {
            error = new UpstreamError(UpstreamErrorKind.Protocol, named
                ? $"provider '{provider.Name}' names api '{ProviderApis.Of(provider)}', which this build does not speak (known: {string.Join(", ", _byApi.Keys)})"
                : $"provider type '{provider.Type}' is not supported by this build");
            return false;
        }
        var key = provider.ApiKeyEnv is { Length: > 0 } name ? _environment.Get(name) : provider.ApiKey;
        var lane = _resilience.For(provider);
        var server = _config.Current.Server;
        var call = new UpstreamCall(request, key, lane.Settings.Timeout)
        {
            MaxResponseBytes = server.MaxUpstreamResponseBytes,
            StreamDeadline = TimeSpan.FromSeconds(server.StreamDeadlineSeconds),
        };
        prepared = new PreparedCall(adapter!, call, lane);
        return true;
    }

    private sealed record PreparedCall(IProviderAdapter Adapter, UpstreamCall Call, ProviderLane Lane);
}
