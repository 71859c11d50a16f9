using System.Buffers;
using System.IO.Pipelines;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.ClientFormats;
using Microsoft.AspNetCore.Http.Features;

namespace LlmRouter.Api.Pipeline;

/// <summary>
/// Relays one try's stream to the client through its encoder and records the try once, however it ends: whole, failed
/// mid-way (the client gets an error event), failed before anything was sent (a plain error answer, or the next
/// candidate), or broken off by the client.
/// </summary>
public sealed class StreamRelay(InvocationRecorder recorder)
{
    /// <summary>Answers the next candidate when the try failed before the client got anything and another may serve.</summary>
    public async Task<ResolvedModel?> RelayAsync(
        HttpContext http, CandidateAttempt attempt, UpstreamStream stream, IAsyncEnumerable<ChatStreamChunk> chunks, IStreamEncoder encoder, AttemptClock clock)
    {
        var relayed = new RelayedStream(http, encoder, new StreamTally(recorder.KeptCharacters));
        Task? recorded = null;
        try
        {
            await relayed.PumpAsync(chunks, () => recorder.ElapsedMs(clock)).ConfigureAwait(false);
            var failure = relayed.Failure;
            if (failure is null && !relayed.ClientGone)
            {
                await relayed.StartAsync().ConfigureAwait(false);
                await recorder.WaitDurableAsync(recorded = Record(attempt, stream, clock, relayed)).ConfigureAwait(false);
                // The client is told the usage it is billed for: the estimate, when the upstream reported none.
                var billed = relayed.Tally.Billed(attempt.Invocation.Body, brokenOff: false, failed: false).Usage;
                await encoder.FinishAsync(billed, http.RequestAborted).ConfigureAwait(false);
                encoder.WriteEnd(billed, relayed.Output);
                await relayed.Output.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
            else if (failure is { Kind: not UpstreamErrorKind.Cancelled } && relayed.Responding)
            {
                await recorder.WaitDurableAsync(recorded = Record(attempt, stream, clock, relayed)).ConfigureAwait(false);
                encoder.WriteError(ApiErrors.FromUpstream(failure), relayed.Output);
                await relayed.Output.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
            else if (failure is { Kind: not UpstreamErrorKind.Cancelled } && !http.RequestAborted.IsCancellationRequested
                && (relayed.Next = attempt.NextAfter(failure)) is null)
            {
                // Nothing was sent yet: the client gets a plain error answer with the right status.
                relayed.Refused = ApiErrors.FromUpstream(failure);
                await recorder.WaitDurableAsync(recorded = Record(attempt, stream, clock, relayed)).ConfigureAwait(false);
                await encoder.WriteErrorResponseAsync(http, relayed.Refused).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            relayed.ClientGone = true;
        }
        catch (Exception exception)
        {
            // A fault of the router's own (an encoder or pipeline) must not be logged as a success.
            relayed.Failure = new UpstreamError(UpstreamErrorKind.Protocol, "the router failed while relaying the stream: " + exception.Message);
            throw;
        }
        finally
        {
            if (recorded is null)
            {
                _ = Record(attempt, stream, clock, relayed);
            }
        }
        return relayed.Next;
    }

    /// <summary>Records the try as it stands; on the paths that answer the client, before the answer's last bytes go out.</summary>
    private Task Record(CandidateAttempt attempt, UpstreamStream stream, AttemptClock clock, RelayedStream relayed)
    {
        var failure = relayed.Failure;
        var clientGone = relayed.ClientGone |= relayed.Aborted || failure?.Kind == UpstreamErrorKind.Cancelled;
        var invocation = attempt.Invocation;
        var (usage, estimated) = relayed.Tally.Billed(invocation.Body, brokenOff: clientGone || failure is not null && relayed.Responding, failed: failure is not null);
        var next = relayed.Next;
        var status = clientGone ? ApiErrors.ClientClosedRequest
            : relayed.Refused?.Status ?? (next is not null ? ApiErrors.FromUpstream(failure!).Status : 200);
        return recorder.Write(recorder.Record(invocation, clock, status, clientGone ? null : failure, usage, relayed.Tally.TimeToFirstTokenMs, stream: true) with
        {
            Status = clientGone ? InvocationStatus.ClientClosed : failure is null ? InvocationStatus.Success : InvocationStatus.Error,
            Error = clientGone ? "the client closed the connection" : CandidateAttempt.Describe(failure, next),
            Reservation = attempt.Settled(next),
            ResponseBody = relayed.Tally.Text,
            Attempts = stream.Attempts,
            UsageEstimated = estimated,
        });
    }

    /// <summary>The state of one relayed stream: whether the client's answer has started, and how the stream ended.</summary>
    private sealed class RelayedStream(HttpContext http, IStreamEncoder encoder, StreamTally tally)
    {
        public StreamTally Tally { get; } = tally;

        public PipeTarget Output { get; } = new(http.Response.BodyWriter);

        /// <summary>The client's status line and headers are out: a failure can no longer be answered with a plain error.</summary>
        public bool Responding { get; private set; }

        public bool ClientGone { get; set; }

        public bool Aborted => http.RequestAborted.IsCancellationRequested;

        public UpstreamError? Failure { get; set; }

        /// <summary>The error answered when the try failed before anything was sent and no candidate is left.</summary>
        public ApiError? Refused { get; set; }

        /// <summary>The candidate to try next, when this try failed before anything was sent.</summary>
        public ResolvedModel? Next { get; set; }

        /// <summary>Relays chunks until the stream ends, fails, or the client is gone.</summary>
        public async Task PumpAsync(IAsyncEnumerable<ChatStreamChunk> chunks, Func<long> elapsedMs)
        {
            await foreach (var chunk in chunks.ConfigureAwait(false))
            {
                if (chunk.Error is { } error)
                {
                    Failure = error;
                    return;
                }
                await StartAsync().ConfigureAwait(false);
                Tally.Observe(chunk, elapsedMs());
                encoder.WriteChunk(chunk, Output);
                if (!await Output.FlushAsync(http.RequestAborted).ConfigureAwait(false))
                {
                    ClientGone = true;
                    return;
                }
            }
        }

        /// <summary>Starts the client's answer, once.</summary>
        public async Task StartAsync()
        {
            if (Responding)
            {
                return;
            }
            encoder.Start(http.Response);
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await http.Response.StartAsync(http.RequestAborted).ConfigureAwait(false);
            Responding = true;
        }
    }

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
