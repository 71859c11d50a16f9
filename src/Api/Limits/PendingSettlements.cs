using System.Collections.Concurrent;
using LlmRouter.Abstractions.Grains;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Limits;

/// <summary>
/// Carries finished calls' usage to the grains that hold their reservations, many reports per grain call (see
/// <see cref="GrainCallBatches{TItem, TResult}"/>). A grain settles a reservation id once (its ledger forgets it then),
/// so nothing counts twice. A caller (a test, a graceful stop) can wait for everything sent so far.
/// </summary>
public sealed partial class PendingSettlements(IGrainFactory grains, ILogger<PendingSettlements> logger)
{
    private static readonly bool[] Settled = [];

    private readonly IGrainFactory _grains = grains;

    private readonly ConcurrentDictionary<string, GrainCallBatches<UsageReport, bool>> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrainCallBatches<UsageReport, bool>> _keys = new(StringComparer.Ordinal);

    /// <summary>Settles <paramref name="report"/> on its model's grain; the task completes once the grain has it (or the call failed, which is logged).</summary>
    public Task SettleOnModel(UsageReport report) =>
        _models.GetOrAdd(report.ModelId, static (id, self) => self.Batches(self._grains.GetGrain<IModelGrain>(id).SettleAsync), this).Add(report).Answers;

    /// <summary>Settles <paramref name="report"/> on the grain of <paramref name="keyId"/>.</summary>
    public Task SettleOnKey(string keyId, UsageReport report) =>
        _keys.GetOrAdd(keyId, static (id, self) => self.Batches(self._grains.GetGrain<IApiKeyGrain>(id).SettleAsync), this).Add(report).Answers;

    /// <summary>Waits until every settlement sent so far has been answered (or has failed, which was logged).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_models.Values.Concat(_keys.Values).Select(q => q.Pending())).WaitAsync(cancellationToken);

    private GrainCallBatches<UsageReport, bool> Batches(Func<UsageReport[], CancellationToken, ValueTask> settle) => new(async reports =>
    {
        try
        {
            await settle(reports, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogSettlementLost(logger, exception, reports.Length, reports[0].ModelId);
        }
        return Settled;
    });

    [LoggerMessage(Level = LogLevel.Error, Message = "The usage of {Count} calls (the first to {Model}) could not be settled on their grain")]
    private static partial void LogSettlementLost(ILogger logger, Exception exception, int count, string model);
}
