using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Embeddings;
using LlmRouter.Abstractions.LocalModels;
using LlmRouter.LocalModels.Grains;
using LlmRouter.LocalModels.Placement;
using LlmRouter.Providers;
using LlmRouter.Providers.Embeddings;

namespace LlmRouter.LocalModels;

/// <summary>
/// The <c>llamacpp</c> provider type: local GGUF models, served by the model's grain on a gpu silo that hosts it,
/// wherever this node is. The session (the caller's, else the body's OpenAI <c>user</c> field) picks the grain's
/// activation, so a conversation stays where its KV cache is. While a dead gpu silo is being declared dead, calls
/// that reached nobody yet are tried again, then land on a surviving host.
/// </summary>
public sealed partial class LlamaCppAdapter(IGrainFactory grains, ILogger<LlamaCppAdapter> logger) : IProviderAdapter
{
    /// <summary>How long a call keeps trying while the cluster notices a dead gpu silo and places the grain anew.</summary>
    private static readonly TimeSpan SiloLossWait = TimeSpan.FromSeconds(20);

    public IReadOnlyList<string> Types { get; } = [ProviderTypes.LlamaCpp];

    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        var (grain, request) = Address(call.Request);
        return CallAsync(call, async token => (await grain.CompleteAsync(request, token).ConfigureAwait(false)).ToResult(), cancellationToken);
    }

    /// <summary>Embeddings from the model's grain, written as OpenAI's embeddings list in the encoding the client asked for.</summary>
    public ValueTask<UpstreamChatResult> EmbedAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        var body = call.Request.Body;
        if (EmbeddingInput.Read(body["input"], out var problem) is not { } input)
        {
            return ValueTask.FromResult(UpstreamChatResult.Failed(LocalErrors.Invalid("input", problem!)));
        }
        var grain = Address(call.Request).Grain;
        var dimensions = body["dimensions"] is JsonValue size && size.TryGetValue(out int wanted) ? wanted : (int?)null;
        var request = new LocalEmbeddingRequest { Texts = input.Texts, Tokens = input.Tokens, Dimensions = dimensions };
        var format = body["encoding_format"] is JsonValue encoding && encoding.TryGetValue(out string? name) ? name : null;
        return CallAsync(call, async token =>
        {
            var answer = await grain.EmbedAsync(request, token).ConfigureAwait(false);
            return answer.Error is { } error
                ? UpstreamChatResult.Failed(error.ToUpstream())
                : new UpstreamChatResult { Body = OpenAiEmbeddingList.Write(answer.Vectors, call.Request.Model.Model.UpstreamName, answer.Usage ?? default, format), Usage = answer.Usage };
        }, cancellationToken);
    }

    /// <summary>A whole call to the model's grain, tried again while the silo holding it may be dying.</summary>
    private async ValueTask<UpstreamChatResult> CallAsync(UpstreamCall call, Func<CancellationToken, Task<UpstreamChatResult>> send, CancellationToken cancellationToken)
    {
        long? failingSince = null;
        while (true)
        {
            try
            {
                return await send(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failingSince ??= Stopwatch.GetTimestamp();
                if (!Retries(exception, failingSince.Value))
                {
                    return UpstreamChatResult.Failed(Error(exception, call.Request.Model.Id));
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask<UpstreamStream> StreamAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        var (grain, request) = Address(call.Request);
        long? failingSince = null;
        while (true)
        {
            var chunks = grain.StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                // The first chunk is the role chunk, or the refusal: nothing has reached the client before it.
                if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                {
                    await chunks.DisposeAsync().ConfigureAwait(false);
                    return UpstreamStream.Failed(LocalErrors.Failed(call.Request.Model.Id, "the stream ended before its first chunk"));
                }
                if (chunks.Current.Error is { } refused)
                {
                    await chunks.DisposeAsync().ConfigureAwait(false);
                    return UpstreamStream.Failed(refused.ToUpstream());
                }
                return new UpstreamStream(ReadAsync(chunks, call.Request.Model.Id), chunks.DisposeAsync);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                await chunks.DisposeAsync().ConfigureAwait(false);
                failingSince ??= Stopwatch.GetTimestamp();
                if (!Retries(exception, failingSince.Value))
                {
                    return UpstreamStream.Failed(Error(exception, call.Request.Model.Id));
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private (ILocalModelGrain Grain, LocalChatRequest Request) Address(UpstreamChatRequest request)
    {
        var session = request.SessionId ?? (request.Body["user"] is JsonValue user && user.GetValueKind() == JsonValueKind.String ? user.GetValue<string>() : null);
        return (grains.GetGrain<ILocalModelGrain>(LocalModelGrainKey.For(request.Model.Id, session)), new LocalChatRequest { Body = request.Body.ToJsonString() });
    }

    /// <summary>True while the silo holding the grain may be dying: until the cluster declares it dead, calls to it are refused.</summary>
    private static bool Retries(Exception exception, long failingSince) =>
        !IsNoHost(exception) && exception is OrleansMessageRejectionException or TimeoutException && Stopwatch.GetElapsedTime(failingSince) < SiloLossWait;

    private UpstreamError Error(Exception exception, string modelId)
    {
        if (IsNoHost(exception))
        {
            return LocalErrors.Unavailable($"no live GPU node hosts local model '{modelId}'");
        }
        LogUnreachable(logger, exception, modelId);
        return LocalErrors.Unavailable($"no GPU node hosting local model '{modelId}' could be reached");
    }

    // Placement runs on the silo that received the call; its exception comes back as itself, or as a rejection naming it.
    private static bool IsNoHost(Exception exception) =>
        exception is NoGpuHostException || exception.InnerException is NoGpuHostException
        || exception.Message.Contains(nameof(NoGpuHostException), StringComparison.Ordinal);

    /// <summary>The chunks after the first; the gpu silo going away mid-stream ends the stream with an error chunk.</summary>
    private async IAsyncEnumerable<ChatStreamChunk> ReadAsync(IAsyncEnumerator<LocalChatChunk> chunks, string modelId)
    {
        while (true)
        {
            yield return chunks.Current.ToChunk();
            bool more;
            UpstreamError? lost = null;
            try
            {
                more = await chunks.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogStreamLost(logger, exception, modelId);
                (more, lost) = (false, LocalErrors.Failed(modelId, "the GPU node serving the stream went away"));
            }
            if (lost is not null)
            {
                yield return new ChatStreamChunk { Error = lost };
            }
            if (!more)
            {
                yield break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A stream of local model {Model} broke off: the gpu node serving it went away")]
    private static partial void LogStreamLost(ILogger logger, Exception exception, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The grain of local model {Model} could not be reached")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string model);
}
