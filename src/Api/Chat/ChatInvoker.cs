using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace LlmRouter.Api.Chat;

/// <summary>
/// Performs a chat call upstream and records it in the invocation log exactly once, however it ends
/// (success, upstream failure, or the client leaving mid-way).
/// </summary>
public sealed class ChatInvoker(IChatUpstream upstream, IInvocationLog log, NodeInfo node, TimeProvider time)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>A non-streamed call; the caller writes the answer in its client's format.</summary>
    public async ValueTask<UpstreamChatResult> CompleteAsync(ChatInvocation invocation, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var createdAt = time.GetUtcNow();
        var result = await upstream.CompleteAsync(new UpstreamChatRequest(invocation.Model, invocation.Body), cancellationToken).ConfigureAwait(false);
        var usage = result.Usage ?? default;
        var status = result.Error is null ? 200 : ApiErrors.FromUpstream(result.Error).Status;
        log.Append(Record(invocation, createdAt, started, status, result.Error, usage, ttftMs: null, stream: false) with
        {
            ResponseBody = result.Error is null ? Encoding.UTF8.GetString(result.Body.Span) : result.Error.RawBody,
            RawResponse = result.RawUpstream,
        });
        return result;
    }

    /// <summary>
    /// A streamed call answered as OpenAI server-sent events, chunk by chunk as the upstream sends them. The
    /// upstream is always asked for usage; its usage-only chunk reaches the client only when the client asked.
    /// </summary>
    public async Task StreamOpenAiAsync(HttpContext http, ChatInvocation invocation)
    {
        var started = time.GetTimestamp();
        var createdAt = time.GetUtcNow();
        var clientWantsUsage = invocation.Body["stream_options"] is JsonObject options && options["include_usage"]?.GetValue<bool>() == true;
        var streamOptions = invocation.Body["stream_options"] as JsonObject ?? [];
        streamOptions["include_usage"] = true;
        invocation.Body["stream_options"] = streamOptions;

        var aborted = http.RequestAborted;
        await using var stream = await upstream.StreamAsync(new UpstreamChatRequest(invocation.Model, invocation.Body), aborted).ConfigureAwait(false);
        if (stream.Error is { } startError)
        {
            var apiError = ApiErrors.FromUpstream(startError);
            log.Append(Record(invocation, createdAt, started, apiError.Status, startError, default, null, stream: true) with { ResponseBody = startError.RawBody });
            await ErrorWriter.WriteAsync(http, apiError).ConfigureAwait(false);
            return;
        }

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var usage = default(TokenUsage);
        long? ttftMs = null;
        UpstreamError? failure = null;
        var clientGone = false;
        var text = new StringBuilder();
        var writer = response.BodyWriter;
        try
        {
            await response.StartAsync(aborted).ConfigureAwait(false);
            await foreach (var chunk in stream.Chunks!.ConfigureAwait(false))
            {
                if (chunk.Error is { } error)
                {
                    failure = error;
                    break;
                }
                ttftMs ??= ElapsedMs(started);
                if (chunk.Usage is { } reported)
                {
                    usage = reported;
                }
                text.Append(chunk.ContentDelta);
                if (chunk.IsUsageOnly && !clientWantsUsage)
                {
                    continue;
                }
                writer.Write(DataPrefix);
                writer.Write(chunk.Json.Span);
                writer.Write(EventEnd);
                var flushed = await writer.FlushAsync(aborted).ConfigureAwait(false);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    clientGone = true;
                    break;
                }
            }
            if (failure is null && !clientGone)
            {
                writer.Write(Done);
                await writer.FlushAsync(aborted).ConfigureAwait(false);
            }
            else if (failure is { Kind: not UpstreamErrorKind.Cancelled })
            {
                writer.Write(DataPrefix);
                writer.Write(ErrorWriter.Serialize(ApiErrors.FromUpstream(failure)));
                writer.Write(EventEnd);
                await writer.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            clientGone = true;
        }
        finally
        {
            clientGone |= aborted.IsCancellationRequested || failure?.Kind == UpstreamErrorKind.Cancelled;
            var status = clientGone ? ApiErrors.ClientClosedRequest : 200;
            var recorded = clientGone ? null : failure;
            log.Append(Record(invocation, createdAt, started, status, recorded, usage, ttftMs, stream: true) with
            {
                Status = clientGone ? InvocationStatus.ClientClosed : failure is null ? InvocationStatus.Success : InvocationStatus.Error,
                Error = clientGone ? "the client closed the connection" : failure?.Message,
                ResponseBody = text.ToString(),
            });
        }
    }

    private InvocationRecord Record(
        ChatInvocation invocation, DateTimeOffset createdAt, long started, int httpStatus, UpstreamError? error, TokenUsage usage, long? ttftMs, bool stream)
    {
        var model = invocation.Model;
        return new InvocationRecord
        {
            CreatedAt = createdAt,
            Node = node.NodeId,
            ClientFormat = invocation.ClientFormat,
            Provider = model.Provider.Name,
            Model = model.Model.Name,
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
        };
    }

    private long ElapsedMs(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;
}
