using System.Collections.Concurrent;
using LlmRouter.Abstractions.Grains;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Limits;

/// <summary>
/// Carries finished calls' usage to the grains that hold their reservations, many reports per grain call: while one
/// batch to a grain is on its way, the reports that follow wait and leave together when it returns. At low load a
/// report leaves at once; under load one grain call carries all that arrived during the last one. A grain settles a
/// reservation id once (its ledger forgets it then), so nothing counts twice. A caller (a test, a graceful stop) can
/// wait for everything sent so far.
/// </summary>
public sealed partial class PendingSettlements(IGrainFactory grains, ILogger<PendingSettlements> logger)
{
    private readonly ConcurrentDictionary<string, GrainQueue> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrainQueue> _keys = new(StringComparer.Ordinal);

    /// <summary>Settles <paramref name="report"/> on its model's grain; the task completes once the grain has it (or the call failed, which is logged).</summary>
    public Task SettleOnModel(UsageReport report) =>
        _models.GetOrAdd(report.ModelId, static (id, grains) => new GrainQueue(grains.GetGrain<IModelGrain>(id).SettleAsync), grains).Add(report, logger);

    /// <summary>Settles <paramref name="report"/> on the grain of <paramref name="keyId"/>.</summary>
    public Task SettleOnKey(string keyId, UsageReport report) =>
        _keys.GetOrAdd(keyId, static (id, grains) => new GrainQueue(grains.GetGrain<IApiKeyGrain>(id).SettleAsync), grains).Add(report, logger);

    /// <summary>Waits until every settlement sent so far has been answered (or has failed, which was logged).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_models.Values.Concat(_keys.Values).Select(q => q.Pending())).WaitAsync(cancellationToken);

    /// <summary>The reports on their way to one grain and the ones waiting for them.</summary>
    private sealed class GrainQueue(Func<UsageReport[], CancellationToken, ValueTask> settle)
    {
        private readonly Lock _lock = new();
        private Batch? _sending;
        private Batch? _next;

        public Task Add(UsageReport report, ILogger logger)
        {
            Batch batch;
            lock (_lock)
            {
                if (_sending is not null)
                {
                    _next ??= new Batch();
                    _next.Reports.Add(report);
                    return _next.Done.Task;
                }
                batch = _sending = new Batch();
                batch.Reports.Add(report);
            }
            _ = SendAsync(batch, logger);
            return batch.Done.Task;
        }

        public Task Pending()
        {
            lock (_lock)
            {
                return _next?.Done.Task ?? _sending?.Done.Task ?? Task.CompletedTask;
            }
        }

        private async Task SendAsync(Batch batch, ILogger logger)
        {
            while (true)
            {
                try
                {
                    await settle([.. batch.Reports], default).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    LogSettlementLost(logger, exception, batch.Reports.Count, batch.Reports[0].ModelId);
                }
                batch.Done.TrySetResult();
                lock (_lock)
                {
                    if (_next is null)
                    {
                        _sending = null;
                        return;
                    }
                    batch = _sending = _next;
                    _next = null;
                }
            }
        }
    }

    private sealed class Batch
    {
        public List<UsageReport> Reports { get; } = [];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The usage of {Count} calls (the first to {Model}) could not be settled on their grain")]
    private static partial void LogSettlementLost(ILogger logger, Exception exception, int count, string model);
}
