using System.Collections.Concurrent;

namespace LlmRouter.Api.Limits;

/// <summary>Settlements sent to grains and not yet answered, so a caller (a test, a graceful stop) can wait for them.</summary>
public sealed class PendingSettlements
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();

    public void Track(Task settlement)
    {
        if (settlement.IsCompleted)
        {
            return;
        }
        _pending.TryAdd(settlement, 0);
        settlement.ContinueWith(done => _pending.TryRemove(done, out _), TaskScheduler.Default);
    }

    /// <summary>Waits until every settlement sent so far has been answered (or has failed, which its sender logged).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_pending.Keys.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(cancellationToken);
}
