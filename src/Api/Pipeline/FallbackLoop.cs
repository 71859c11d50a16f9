using System.Text;
using LlmRouter.Api.Chat;
using LlmRouter.Api.Chat.Pipelines;
using LlmRouter.Api.ClientFormats;
using LlmRouter.Grains.Routing;

namespace LlmRouter.Api.Pipeline;

/// <summary>
/// Invokes a chat call upstream with its fallbacks: tries its candidates in turn while a try fails in a way another
/// model may not (see <see cref="FallbackPolicy"/>) and nothing has reached the client yet. Each try is recorded once,
/// as one row of the log (<see cref="InvocationRecorder"/>); a streamed try is relayed by <see cref="StreamRelay"/>.
/// </summary>
public sealed class FallbackLoop(IChatUpstream upstream, InvocationRecorder recorder, StreamRelay relay, RoutingStatistics routing)
{
    /// <summary>A whole answer, and the candidate that gave it; the caller writes it in its client's format.</summary>
    public ValueTask<(UpstreamChatResult Result, ResolvedModel ServedBy)> CompleteAsync(ChatInvocation invocation, CancellationToken cancellationToken) =>
        RunAsync(invocation, attempt => CompleteAttemptAsync(attempt, cancellationToken));

    /// <summary>
    /// A streamed answer, written by <paramref name="encoder"/> chunk by chunk as the upstream sends them. The canonical
    /// body must already ask the upstream for usage (<c>stream_options.include_usage</c>). The client gets its status
    /// line only with the upstream's first event, so a candidate failing before it is replaced.
    /// </summary>
    public async Task StreamAsync(HttpContext http, ChatInvocation invocation, IStreamEncoder encoder) =>
        await RunAsync(invocation, attempt => StreamAttemptAsync(http, attempt, encoder)).ConfigureAwait(false);

    /// <summary>The loop itself: each try answers its outcome, or the candidate to try next.</summary>
    private async ValueTask<T> RunAsync<T>(ChatInvocation invocation, Func<CandidateAttempt, ValueTask<(T Outcome, ResolvedModel? Next)>> tryAsync)
    {
        var attempt = CandidateAttempt.First(invocation);
        while (true)
        {
            var (outcome, next) = await tryAsync(attempt).ConfigureAwait(false);
            if (next is null)
            {
                return outcome;
            }
            routing.FellBack(attempt.Invocation.Model.Id, next.Id);
            attempt = attempt.Then(next);
        }
    }

    private async ValueTask<((UpstreamChatResult, ResolvedModel), ResolvedModel?)> CompleteAttemptAsync(CandidateAttempt attempt, CancellationToken cancellationToken)
    {
        var invocation = attempt.Invocation;
        var clock = recorder.Start();
        // Response pipelines rewrite chat answers; an embeddings answer goes back as the upstream gave it.
        var pipeline = invocation.Embedding is null ? ResponsePipelines.Resolve(invocation.EffectivePipeline) : null;
        var request = UpstreamRequest(invocation, pipeline);
        var result = invocation.Embedding is null
            ? await upstream.CompleteAsync(request, cancellationToken).ConfigureAwait(false)
            : await upstream.EmbedAsync(request, cancellationToken).ConfigureAwait(false);
        result = pipeline?.Apply(result) ?? result;
        var error = result.Error;
        var estimated = error is null && result.Usage is null;
        var usage = result.Usage ?? (!estimated ? default
            : invocation.Embedding?.EstimatedUsage ?? UsageEstimator.FromCompletion(invocation.Body, result.Body.Span));
        var next = error is null || cancellationToken.IsCancellationRequested ? null : attempt.NextAfter(error);
        var status = error is null ? 200 : ApiErrors.FromUpstream(error).Status;
        var written = recorder.Write(recorder.Record(invocation, clock, status, error, usage, ttftMs: null, stream: false) with
        {
            Error = CandidateAttempt.Describe(error, next),
            Reservation = attempt.Settled(next),
            ResponseBody = error is null ? Encoding.UTF8.GetString(result.Body.Span) : error.RawBody,
            RawResponse = result.RawUpstream,
            Attempts = result.Attempts,
            UsageEstimated = estimated,
        });
        if (next is null)
        {
            await recorder.WaitDurableAsync(written).ConfigureAwait(false);
        }
        return ((result, invocation.Model), next);
    }

    private async ValueTask<(bool, ResolvedModel?)> StreamAttemptAsync(HttpContext http, CandidateAttempt attempt, IStreamEncoder encoder)
    {
        var invocation = attempt.Invocation;
        var aborted = http.RequestAborted;
        var clock = recorder.Start();
        var pipeline = ResponsePipelines.Resolve(invocation.EffectivePipeline);
        await using var stream = await upstream.StreamAsync(UpstreamRequest(invocation, pipeline), aborted).ConfigureAwait(false);
        if (stream.Error is not { } startError)
        {
            var chunks = pipeline?.Apply(stream.Chunks!) ?? stream.Chunks!;
            return (true, await relay.RelayAsync(http, attempt, stream, chunks, encoder, clock).ConfigureAwait(false));
        }
        var next = aborted.IsCancellationRequested ? null : attempt.NextAfter(startError);
        var apiError = ApiErrors.FromUpstream(startError);
        var written = recorder.Write(recorder.Record(invocation, clock, apiError.Status, startError, default, null, stream: true) with
        {
            Error = CandidateAttempt.Describe(startError, next),
            Reservation = attempt.Settled(next),
            ResponseBody = startError.RawBody,
            Attempts = stream.Attempts,
        });
        if (next is null)
        {
            await recorder.WaitDurableAsync(written).ConfigureAwait(false);
            await encoder.WriteErrorResponseAsync(http, apiError).ConfigureAwait(false);
        }
        return (false, next);
    }

    /// <summary>The upstream request; the client's native request goes along unless a pipeline must rewrite the canonical answer.</summary>
    private static UpstreamChatRequest UpstreamRequest(ChatInvocation invocation, IResponsePipeline? pipeline) =>
        new(invocation.Model, invocation.Body) { Native = pipeline is null ? invocation.Native : null, SessionId = invocation.Caller.SessionId };
}
