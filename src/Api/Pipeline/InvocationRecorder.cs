using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Chat;

namespace LlmRouter.Api.Pipeline;

/// <summary>
/// Records each upstream attempt of a chat call exactly once: builds its row of the invocation log, appends it and
/// announces it to every listener, and lets the caller wait until it is durable before the client sees the end.
/// </summary>
public sealed class InvocationRecorder(IInvocationLog log, IEnumerable<IInvocationListener> listeners, NodeInfo node, TimeProvider time, IRouterConfigSource config)
{
    private readonly IInvocationListener[] _listeners = listeners.ToArray();

    /// <summary>The moment an attempt starts, for its record's time and latency.</summary>
    public AttemptClock Start() => new(time.GetTimestamp(), time.GetUtcNow());

    /// <summary>Milliseconds since <paramref name="clock"/> started.</summary>
    public long ElapsedMs(AttemptClock clock) => (long)time.GetElapsedTime(clock.Started).TotalMilliseconds;

    /// <summary>The characters of an answer's text the log keeps, and one more to tell it was cut.</summary>
    public long KeptCharacters => config.Current.Monitoring.MaxBodyBytes + 1;

    /// <summary>Logs <paramref name="record"/> and tells the listeners; answers when the record and its usage are durable.</summary>
    public Task Write(InvocationRecord record)
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
    public async Task WaitDurableAsync(Task written)
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

    /// <summary>The record of one attempt; callers add what only they know (response body, estimate, reservation).</summary>
    public InvocationRecord Record(
        ChatInvocation invocation, AttemptClock clock, int httpStatus, UpstreamError? error, TokenUsage usage, long? ttftMs, bool stream)
    {
        var model = invocation.Model;
        var caller = invocation.Caller;
        return new InvocationRecord
        {
            CreatedAt = clock.CreatedAt,
            Node = node.NodeId,
            ApiKeyId = caller.ApiKeyId,
            ApiKeyName = caller.ApiKeyName,
            SessionId = caller.SessionId,
            ClientFormat = invocation.ClientFormat,
            Endpoint = invocation.Endpoint,
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
            LatencyMs = ElapsedMs(clock),
            TimeToFirstTokenMs = ttftMs,
            Stream = stream,
            RequestBody = LoggedJson.Text(invocation.Body),
            Reservation = invocation.Reservation,
            CallId = invocation.CallId,
        };
    }
}

/// <summary>When an attempt started: a timestamp for its latency and the wall-clock time for its record.</summary>
public readonly record struct AttemptClock(long Started, DateTimeOffset CreatedAt);
