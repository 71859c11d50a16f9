using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Providers.OpenAiCompatible;

/// <summary>
/// The OpenAI family's adapter, for upstreams that do not serve the Responses API after all: not every server of
/// type <c>openai</c> (or set <c>responses_api = true</c>) has POST /v1/responses. When one answers 404 there, the
/// call is made again translated to chat completions; once chat has served it, the provider (by name and base URL)
/// is remembered on this node and its later Responses calls go to chat directly, with one warning naming the
/// setting. When chat answers 404 as well, the model is what is missing: the client gets the Responses API's 404
/// and nothing is remembered. A request using what chat cannot carry (built-in tools, file inputs) always goes to
/// the Responses API, remembered or not, and its 404 is answered with why chat cannot serve it instead.
/// </summary>
internal sealed partial class ResponsesApiFallback(IProviderAdapter inner, ILogger<ResponsesApiFallback> logger) : IProviderAdapter
{
    private readonly ConcurrentDictionary<(string Name, string BaseUrl), bool> _withoutResponsesApi = new();

    public IReadOnlyList<string> Types => inner.Types;

    public IReadOnlyList<string> Apis => inner.Apis;

    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        SendAsync(call, c => inner.CompleteAsync(c, cancellationToken), result => result.Error, _ => ValueTask.CompletedTask, UpstreamChatResult.Failed);

    public ValueTask<UpstreamStream> StreamAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        SendAsync(call, c => inner.StreamAsync(c, cancellationToken), stream => stream.Error, stream => stream.DisposeAsync(), error => UpstreamStream.Failed(error));

    public ValueTask<UpstreamChatResult> EmbedAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        inner.EmbedAsync(call, cancellationToken);

    private async ValueTask<T> SendAsync<T>(UpstreamCall call, Func<UpstreamCall, ValueTask<T>> send,
        Func<T, UpstreamError?> errorOf, Func<T, ValueTask> discard, Func<UpstreamError, T> failed)
    {
        if (!OpenAiResponsesPassthrough.Applies(call))
        {
            return await send(call).ConfigureAwait(false);
        }
        var provider = call.Request.Model.Provider;
        var key = (provider.Name, ProviderEndpoints.BaseUrl(provider));
        var untranslatable = call.Request.Native!.Untranslatable;
        if (untranslatable.Count == 0 && _withoutResponsesApi.ContainsKey(key))
        {
            return await send(Translated(call)).ConfigureAwait(false);
        }
        var relayed = await send(call).ConfigureAwait(false);
        if (errorOf(relayed) is not { } relayError || !IsNotFound(relayError))
        {
            return relayed;
        }
        if (untranslatable.Count > 0)
        {
            await discard(relayed).ConfigureAwait(false);
            return failed(Untranslatable(call, relayError, untranslatable));
        }
        var translated = await send(Translated(call)).ConfigureAwait(false);
        var error = errorOf(translated);
        if (IsNotFound(error))
        {
            await discard(translated).ConfigureAwait(false);
            return relayed;
        }
        await discard(relayed).ConfigureAwait(false);
        if (error is null && _withoutResponsesApi.TryAdd(key, true))
        {
            LogNoResponsesApi(logger, provider.Name);
        }
        return translated;
    }

    /// <summary>The call without the client's Responses request: the canonical chat body goes to chat completions.</summary>
    private static UpstreamCall Translated(UpstreamCall call) => call with { Request = call.Request with { Native = null } };

    /// <summary>
    /// The 404 of a request chat cannot carry, saying so. Marked as the Responses API's own error, so the client gets
    /// this message rather than the upstream's body, which may only say "not found".
    /// </summary>
    private static UpstreamError Untranslatable(UpstreamCall call, UpstreamError notFound, IReadOnlyList<string> untranslatable) => notFound with
    {
        Message = $"provider '{call.ProviderName}' answered 404 to POST /v1/responses ({notFound.Message}), and this request cannot go to its "
            + $"chat completions instead: it uses what only the Responses API understands ({string.Join(", ", untranslatable)})",
        Api = WireApis.OpenAiResponses,
    };

    private static bool IsNotFound(UpstreamError? error) => error is { Kind: UpstreamErrorKind.HttpStatus, Status: 404 };

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Provider '{Provider}' answered 404 to POST /v1/responses but serves chat completions: its Responses API calls are "
        + "translated to chat from now on (set settings.responses_api = false on the provider to skip the first try)")]
    private static partial void LogNoResponsesApi(ILogger logger, string provider);
}
