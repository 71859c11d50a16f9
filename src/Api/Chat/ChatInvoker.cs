using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Chat.Pipelines;
using LlmRouter.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmRouter.Api.Chat;

/// <summary>
/// Performs a chat call upstream and records it exactly once, however it ends (success, upstream failure, or
/// the client leaving mid-way): appended to the invocation log, then announced to every listener.
/// </summary>
public sealed class ChatInvoker(IChatUpstream upstream, IInvocationLog log, IEnumerable<IInvocationListener> listeners, NodeInfo node, TimeProvider time)
{
    private readonly IInvocationListener[] _listeners = listeners.ToArray();

    /// <summary>A non-streamed call; the caller writes the answer in its client's format.</summary>
    public async ValueTask<UpstreamChatResult> CompleteAsync(ChatInvocation invocation, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var createdAt = time.GetUtcNow();
        var pipeline = ResponsePipelines.Resolve(invocation.EffectivePipeline);
        var result = await upstream.CompleteAsync(UpstreamRequest(invocation, pipeline), cancellationToken).ConfigureAwait(false);
        result = pipeline?.Apply(result) ?? result;
        var usage = result.Usage ?? default;
        var error = result.Error;
        var status = error is null ? 200 : ApiErrors.FromUpstream(error).Status;
        Complete(Record(invocation, createdAt, started, status, error, usage, ttftMs: null, stream: false) with
        {
            ResponseBody = error is null ? Encoding.UTF8.GetString(result.Body.Span) : error.RawBody,
            RawResponse = result.RawUpstream,
            Attempts = result.Attempts,
        });
        return result;
    }

    /// <summary>
    /// A streamed call, written by <paramref name="encoder"/> chunk by chunk as the upstream sends them. The
    /// canonical body must already ask the upstream for usage (<c>stream_options.include_usage</c>).
    /// </summary>
    public async Task StreamAsync(HttpContext http, ChatInvocation invocation, IStreamEncoder encoder)
    {
        var started = time.GetTimestamp();
        var createdAt = time.GetUtcNow();
        var aborted = http.RequestAborted;
        var pipeline = ResponsePipelines.Resolve(invocation.EffectivePipeline);
        await using var stream = await upstream.StreamAsync(UpstreamRequest(invocation, pipeline), aborted).ConfigureAwait(false);
        if (stream.Error is { } startError)
        {
            var apiError = ApiErrors.FromUpstream(startError);
            Complete(Record(invocation, createdAt, started, apiError.Status, startError, default, null, stream: true) with
            {
                ResponseBody = startError.RawBody,
                Attempts = stream.Attempts,
            });
            await encoder.WriteErrorResponseAsync(http, apiError).ConfigureAwait(false);
            return;
        }

        encoder.Start(http.Response);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var output = new PipeTarget(http.Response.BodyWriter);
        var usage = default(TokenUsage);
        long? ttftMs = null;
        UpstreamError? failure = null;
        var clientGone = false;
        var text = new StringBuilder();
        var contentChunks = 0;
        var chunks = pipeline?.Apply(stream.Chunks!) ?? stream.Chunks!;
        try
        {
            await http.Response.StartAsync(aborted).ConfigureAwait(false);
            await foreach (var chunk in chunks.ConfigureAwait(false))
            {
                if (chunk.Error is { } error)
                {
                    failure = error;
                    break;
                }
                ttftMs ??= ElapsedMs(started);
                usage = chunk.Usage ?? usage;
                if (!string.IsNullOrEmpty(chunk.ContentDelta))
                {
                    text.Append(chunk.ContentDelta);
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
                encoder.WriteEnd(usage, output);
                await output.FlushAsync(aborted).ConfigureAwait(false);
            }
            else if (failure is { Kind: not UpstreamErrorKind.Cancelled })
            {
                encoder.WriteError(ApiErrors.FromUpstream(failure), output);
                await output.FlushAsync(aborted).ConfigureAwait(false);
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
            clientGone |= aborted.IsCancellationRequested || failure?.Kind == UpstreamErrorKind.Cancelled;
            if (clientGone || failure is not null)
            {
                // A broken-off stream never got its final usage: count what was streamed (about a token a chunk),
                // and estimate the prompt when the upstream reported nothing at all.
                usage = usage == default
                    ? UsageEstimator.Estimate(invocation.Body, contentChunks)
                    : usage with { CompletionTokens = Math.Max(usage.CompletionTokens, contentChunks) };
            }
            Complete(Record(invocation, createdAt, started, clientGone ? ApiErrors.ClientClosedRequest : 200, clientGone ? null : failure, usage, ttftMs, stream: true) with
            {
                Status = clientGone ? InvocationStatus.ClientClosed : failure is null ? InvocationStatus.Success : InvocationStatus.Error,
                Error = clientGone ? "the client closed the connection" : failure?.Message,
                ResponseBody = text.ToString(),
                Attempts = stream.Attempts,
            });
        }
    }

    /// <summary>The upstream request; the client's native request goes along unless a pipeline must rewrite the canonical answer.</summary>
    private static UpstreamChatRequest UpstreamRequest(ChatInvocation invocation, IResponsePipeline? pipeline) =>
        new(invocation.Model, invocation.Body) { Native = pipeline is null ? invocation.Native : null, SessionId = invocation.Caller.SessionId };

    private void Complete(InvocationRecord record)
    {
        log.Append(record);
        foreach (var listener in _listeners)
        {
            listener.OnInvocationCompleted(record);
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
            RequestBody = invocation.Body.ToJsonString(),
            Reservation = invocation.Reservation,
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
