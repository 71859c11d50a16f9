using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using LlmRouter.Abstractions.Configuration;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Chat.Pipelines;
using LlmRouter.Api.Errors;
using LlmRouter.Api.Json;
using LlmRouter.Grains.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmRouter.Api.Chat;

/// <summary>
/// Performs a chat call upstream and records it exactly once, however it ends (success, upstream failure, or
/// the client leaving mid-way): appended to the invocation log, then announced to every listener. A call with
/// fallbacks tries its candidates in turn while an attempt fails in a way another model may not (see
/// <see cref="FallbackPolicy"/>) and nothing has reached the client yet; each attempt is one row of the log.
/// </summary>
public sealed class ChatInvoker(
    IChatUpstream upstream, IInvocationLog log, IEnumerable<IInvocationListener> listeners, NodeInfo node, TimeProvider time, RoutingStatistics routing,
    IRouterConfigSource config)
{
    private readonly IInvocationListener[] _listeners = listeners.ToArray();

    /// <summary>A non-streamed call; the caller writes the answer in its client's format.</summary>
    public async ValueTask<UpstreamChatResult> CompleteAsync(ChatInvocation invocation, CancellationToken cancellationToken) =>
        (await CompleteRoutedAsync(invocation, cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>A non-streamed call, answering also which candidate gave the result.</summary>
    public async ValueTask<(UpstreamChatResult Result, ResolvedModel ServedBy)> CompleteRoutedAsync(ChatInvocation invocation, CancellationToken cancellationToken)
    {
        invocation = Linked(invocation);
        for (var index = 0; ; index++)
        {
            var attempt = Attempt(invocation, index);
            var started = time.GetTimestamp();
            var createdAt = time.GetUtcNow();
            var pipeline = ResponsePipelines.Resolve(attempt.EffectivePipeline);
            var result = await upstream.CompleteAsync(UpstreamRequest(attempt, pipeline), cancellationToken).ConfigureAwait(false);
            result = pipeline?.Apply(result) ?? result;
            var error = result.Error;
            var estimated = error is null && result.Usage is null;
            var usage = result.Usage ?? (estimated ? UsageEstimator.FromCompletion(attempt.Body, result.Body.Span) : default);
            var next = error is null || cancellationToken.IsCancellationRequested ? null : Next(invocation, index, error);
            var status = error is null ? 200 : ApiErrors.FromUpstream(error).Status;
            var written = Complete(Record(attempt, createdAt, started, status, error, usage, ttftMs: null, stream: false) with
            {
                Error = Describe(error, next),
                Reservation = Settled(attempt, next),
                ResponseBody = error is null ? Encoding.UTF8.GetString(result.Body.Span) : error.RawBody,
                RawResponse = result.RawUpstream,
                Attempts = result.Attempts,
                UsageEstimated = estimated,
            });
            if (next is null)
            {
                await WaitDurableAsync(written).ConfigureAwait(false);
                return (result, attempt.Model);
            }
            routing.FellBack(attempt.Model.Id, next.Id);
        }
    }

    /// <summary>
    /// A streamed call, written by <paramref name="encoder"/> chunk by chunk as the upstream sends them. The
    /// canonical body must already ask the upstream for usage (<c>stream_options.include_usage</c>). The client
    /// gets its status line only with the upstream's first event, so a candidate failing before it is replaced.
    /// </summary>
    public async Task StreamAsync(HttpContext http, ChatInvocation invocation, IStreamEncoder encoder)
    {
        invocation = Linked(invocation);
        var aborted = http.RequestAborted;
        for (var index = 0; ; index++)
        {
            var attempt = Attempt(invocation, index);
            var started = time.GetTimestamp();
            var createdAt = time.GetUtcNow();
            var pipeline = ResponsePipelines.Resolve(attempt.EffectivePipeline);
            await using var stream = await upstream.StreamAsync(UpstreamRequest(attempt, pipeline), aborted).ConfigureAwait(false);
            ResolvedModel? next;
            if (stream.Error is { } startError)
            {
                next = aborted.IsCancellationRequested ? null : Next(invocation, index, startError);
                var apiError = ApiErrors.FromUpstream(startError);
                var written = Complete(Record(attempt, createdAt, started, apiError.Status, startError, default, null, stream: true) with
                {
                    Error = Describe(startError, next),
                    Reservation = Settled(attempt, next),
                    ResponseBody = startError.RawBody,
                    Attempts = stream.Attempts,
                });
                if (next is null)
                {
                    await WaitDurableAsync(written).ConfigureAwait(false);
                    await encoder.WriteErrorResponseAsync(http, apiError).ConfigureAwait(false);
                    return;
                }
            }
            else if ((next = await RelayAsync(http, invocation, index, attempt, stream, pipeline?.Apply(stream.Chunks!) ?? stream.Chunks!, encoder, started, createdAt)
                .ConfigureAwait(false)) is null)
            {
                return;
            }
            routing.FellBack(attempt.Model.Id, next.Id);
        }
    }

    /// <summary>Relays one attempt's stream and records it; answers the next candidate when the attempt failed before the client got anything.</summary>
    private async Task<ResolvedModel?> RelayAsync(
        HttpContext http, ChatInvocation invocation, int index, ChatInvocation attempt, UpstreamStream stream, IAsyncEnumerable<ChatStreamChunk> chunks,
        IStreamEncoder encoder, long started, DateTimeOffset createdAt)
    {
        var aborted = http.RequestAborted;
        var output = new PipeTarget(http.Response.BodyWriter);
        var usage = default(TokenUsage);
        long? ttftMs = null;
        UpstreamError? failure = null;
        ResolvedModel? next = null;
        ApiError? refused = null;
        var responding = false;
        var clientGone = false;
        // The answer's text is kept for the log only up to what the log keeps.
        var text = new StringBuilder();
        var keepCharacters = config.Current.Monitoring.MaxBodyBytes + 1;
        var contentChunks = 0;
        var estimated = false;
        var recorded = false;
        try
        {
            await foreach (var chunk in chunks.ConfigureAwait(false))
            {
                if (chunk.Error is { } error)
                {
                    failure = error;
                    break;
                }
                if (!responding)
                {
                    await StartResponseAsync(http, encoder).ConfigureAwait(false);
                    responding = true;
                }
                ttftMs ??= ElapsedMs(started);
                usage = chunk.Usage ?? usage;
                if (chunk.ContentDelta is { Length: > 0 } delta)
                {
                    if (text.Length < keepCharacters)
                    {
                        text.Append(delta.AsSpan(0, (int)Math.Min(delta.Length, keepCharacters - text.Length)));
                    }
                    contentChunks++;
                }
                encoder.WriteChunk(chunk, output);
                if (!await output.FlushAsync(aborted).ConfigureAwait(false))
                {
                    clientGone = true;
                    break;
                }
            }
            if (failure is null && !clientGone)
            {
                if (!responding)
                {
                    await StartResponseAsync(http, encoder).ConfigureAwait(false);
                    responding = true;
                }
                await WaitDurableAsync(RecordAttempt()).ConfigureAwait(false);
                encoder.WriteEnd(usage, output);
                await output.FlushAsync(aborted).ConfigureAwait(false);
            }
            else if (failure is { Kind: not UpstreamErrorKind.Cancelled } && responding)
            {
                await WaitDurableAsync(RecordAttempt()).ConfigureAwait(false);
                encoder.WriteError(ApiErrors.FromUpstream(failure), output);
                await output.FlushAsync(aborted).ConfigureAwait(false);
            }
            else if (failure is { Kind: not UpstreamErrorKind.Cancelled } && !aborted.IsCancellationRequested
                && (next = Next(invocation, index, failure)) is null)
            {
                // Nothing was sent yet: the client gets a plain error answer with the right status.
                refused = ApiErrors.FromUpstream(failure);
                await WaitDurableAsync(RecordAttempt()).ConfigureAwait(false);
                await encoder.WriteErrorResponseAsync(http, refused).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            clientGone = true;
        }
        catch (Exception exception)
        {
            // A fault of the router's own (an encoder or pipeline) must not be logged as a success.
            failure = new UpstreamError(UpstreamErrorKind.Protocol, "the router failed while relaying the stream: " + exception.Message);
            throw;
        }
        finally
        {
            if (!recorded)
            {
                _ = RecordAttempt();
            }
        }
        return next;

        // Records the attempt as it stands; on the paths that answer the client, before the answer's last bytes go out.
        Task RecordAttempt()
        {
            recorded = true;
            clientGone |= aborted.IsCancellationRequested || failure?.Kind == UpstreamErrorKind.Cancelled;
            if (clientGone || failure is not null && responding)
            {
                // A broken-off stream never got its final usage: count what was streamed (about a token a chunk),
                // and estimate the prompt when the upstream reported nothing at all. An attempt that failed before
                // the client got anything is billed like a refused call.
                var counted = usage == default
                    ? UsageEstimator.Estimate(attempt.Body, contentChunks)
                    : usage with { CompletionTokens = Math.Max(usage.CompletionTokens, contentChunks) };
                estimated = counted != usage;
                usage = counted;
            }
            else if (failure is null && usage == default)
            {
                // A whole stream whose upstream never reported usage (it ignored include_usage): billed by estimate.
                usage = UsageEstimator.Estimate(attempt.Body, contentChunks);
                estimated = true;
            }
            var status = clientGone ? ApiErrors.ClientClosedRequest
                : refused?.Status ?? (next is not null ? ApiErrors.FromUpstream(failure!).Status : 200);
            return Complete(Record(attempt, createdAt, started, status, clientGone ? null : failure, usage, ttftMs, stream: true) with
            {
                Status = clientGone ? InvocationStatus.ClientClosed : failure is null ? InvocationStatus.Success : InvocationStatus.Error,
                Error = clientGone ? "the client closed the connection" : Describe(failure, next),
                Reservation = Settled(attempt, next),
                ResponseBody = text.ToString(),
                Attempts = stream.Attempts,
                UsageEstimated = estimated,
            });
        }
    }

    /// <summary>The upstream request; the client's native request goes along unless a pipeline must rewrite the canonical answer.</summary>
    private static UpstreamChatRequest UpstreamRequest(ChatInvocation invocation, IResponsePipeline? pipeline) =>
        new(invocation.Model, invocation.Body) { Native = pipeline is null ? invocation.Native : null, SessionId = invocation.Caller.SessionId };

    private static async Task StartResponseAsync(HttpContext http, IStreamEncoder encoder)
    {
        encoder.Start(http.Response);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await http.Response.StartAsync(http.RequestAborted).ConfigureAwait(false);
    }

    private static IReadOnlyList<ResolvedModel> Candidates(ChatInvocation invocation) =>
        invocation.Candidates.Count > 0 ? invocation.Candidates : [invocation.Model];

    /// <summary>A call that may try several candidates gets an id its attempts' records share.</summary>
    private static ChatInvocation Linked(ChatInvocation invocation) =>
        Candidates(invocation).Count > 1 ? invocation with { CallId = Guid.NewGuid().ToString("N") } : invocation;

    /// <summary>The invocation for the candidate at <paramref name="index"/>, its body naming that candidate's upstream model.</summary>
    private static ChatInvocation Attempt(ChatInvocation invocation, int index)
    {
        if (index == 0)
        {
            return invocation;
        }
        var model = Candidates(invocation)[index];
        invocation.Body["model"] = model.Model.UpstreamName;
        return invocation with { Model = model };
    }

    /// <summary>The candidate to try after a failed attempt, or null when the failure is final.</summary>
    private static ResolvedModel? Next(ChatInvocation invocation, int index, UpstreamError error)
    {
        var candidates = Candidates(invocation);
        return index + 1 < candidates.Count && FallbackPolicy.ShouldFallBack(error) ? candidates[index + 1] : null;
    }

    /// <summary>
    /// The admission's reservation goes with the request's last attempt only: it is settled once, against what was
    /// actually used; an attempt replaced by a fallback settles as a call that reserved nothing.
    /// </summary>
    private static Reservation? Settled(ChatInvocation attempt, ResolvedModel? next) => next is null ? attempt.Reservation : null;

    private static string? Describe(UpstreamError? error, ResolvedModel? next) =>
        error is null ? null : next is null ? error.Message : $"{error.Message} (fell back to {next.Id})";

    /// <summary>Logs <paramref name="record"/> and tells the listeners; answers when the record and its usage are durable.</summary>
    private Task Complete(InvocationRecord record)
    {
        var durable = log.Append(record);
        foreach (var listener in _listeners)
        {
            var kept = listener.OnInvocationCompleted(record);
            if (!kept.IsCompletedSuccessfully)
            {
                durable = durable.IsCompletedSuccessfully ? kept : Task.WhenAll(durable, kept);
            }
        }
        return durable;
    }

    /// <summary>
    /// Waits until the request's record is in the store before the client sees the end of its answer, so a node
    /// killed right after answering has logged and counted what it answered. A store that does not answer within
    /// <c>[monitoring] durable_log_timeout</c> (2 s) does not hold the client any longer; the log keeps retrying the
    /// record. With <c>durable_log = false</c> nothing waits.
    /// </summary>
    private async Task WaitDurableAsync(Task written)
    {
        var monitoring = config.Current.Monitoring;
        if (written.IsCompleted || !monitoring.DurableLog)
        {
            return;
        }
        try
        {
            await written.WaitAsync(TimeSpan.FromSeconds(monitoring.DurableLogTimeoutSeconds)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        catch (Exception)
        {
            // A listener that failed to keep the call has reported it in the node's log; the client still gets its answer.
        }
    }

    private InvocationRecord Record(
        ChatInvocation invocation, DateTimeOffset createdAt, long started, int httpStatus, UpstreamError? error, TokenUsage usage, long? ttftMs, bool stream)
    {
        var model = invocation.Model;
        var caller = invocation.Caller;
        return new InvocationRecord
        {
            CreatedAt = createdAt,
            Node = node.NodeId,
            ApiKeyId = caller.ApiKeyId,
            ApiKeyName = caller.ApiKeyName,
            SessionId = caller.SessionId,
            ClientFormat = invocation.ClientFormat,
            Provider = model.Provider.Name,
            Model = model.Model.Name,
            Group = invocation.Group,
            Rule = invocation.Rule,
            Status = error is null ? InvocationStatus.Success : error.Kind == UpstreamErrorKind.Cancelled ? InvocationStatus.ClientClosed : InvocationStatus.Error,
            HttpStatus = httpStatus,
            Error = error?.Message,
            PromptTokens = usage.PromptTokens,
            CompletionTokens = usage.CompletionTokens,
            Cost = model.Model.Config.CostOf(usage.PromptTokens, usage.CompletionTokens),
            LatencyMs = ElapsedMs(started),
            TimeToFirstTokenMs = ttftMs,
            Stream = stream,
            RequestBody = LoggedJson.Text(invocation.Body),
            Reservation = invocation.Reservation,
            CallId = invocation.CallId,
        };
    }

    private long ElapsedMs(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>Adapts the response's PipeWriter for encoders; a flush reports whether the client is still there.</summary>
    private sealed class PipeTarget(PipeWriter writer) : IBufferWriterTarget
    {
        public void Write(ReadOnlySpan<byte> bytes) => writer.Write(bytes);

        public async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
        {
            var flushed = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return !flushed.IsCanceled && !flushed.IsCompleted;
        }
    }
}
