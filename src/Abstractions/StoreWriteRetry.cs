namespace LlmRouter.Abstractions;

/// <summary>
/// How the batched writers (invocation log, usage settlements) ride out a store that refuses writes for a while (a
/// database restarting): a batch is retried with a doubling delay (50 ms up to 2 s) for a minute, then given up.
/// <see cref="IsFailing"/> is true from the first failure to the next success, so writers can stop holding
/// requests meanwhile.
/// </summary>
public sealed class StoreWriteRetry(TimeProvider time)
{
    /// <summary>How long a batch the store refuses is retried before it is given up.</summary>
    public static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private volatile bool _failing;

    public bool IsFailing => _failing;

    /// <summary>
    /// Runs <paramref name="write"/> until it succeeds or <see cref="RetryFor"/> has passed. <paramref name="retrying"/>
    /// hears each failure that is retried (with its attempt number); <paramref name="storeFailing"/> runs when the
    /// store turns from working to failing. Answers null on success, else the last failure (the batch is lost).
    /// </summary>
    public async Task<Exception?> RunAsync(Func<ValueTask> write, Action<Exception, int> retrying, Action storeFailing)
    {
        var giveUpAt = time.GetTimestamp() + (long)(RetryFor.TotalSeconds * time.TimestampFrequency);
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write().ConfigureAwait(false);
                _failing = false;
                return null;
            }
            catch (Exception exception) when (time.GetTimestamp() < giveUpAt)
            {
                retrying(exception, attempt);
                if (!_failing)
                {
                    _failing = true;
                    storeFailing();
                }
                await Task.Delay(delay, time).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
            catch (Exception exception)
            {
                return exception;
            }
        }
    }
}
