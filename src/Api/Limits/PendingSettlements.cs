using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Api.Limits;

/// <summary>
/// Carries finished calls' usage to the grains that hold their reservations, many reports per grain call and with the
/// admissions bound for the same grain (see <see cref="LimitGrainCalls"/>). A grain settles a reservation id once (its
/// ledger forgets it then), so nothing counts twice. A caller (a test, a graceful stop) can wait for everything sent so far.
/// </summary>
public sealed class PendingSettlements(LimitGrainCalls calls)
{
    /// <summary>Settles <paramref name="report"/> on its model's grain; the task completes once the grain has it (or the call failed, which is logged).</summary>
    public Task SettleOnModel(UsageReport report) => Settled(calls.Model(report.ModelId), report);

    /// <summary>Settles <paramref name="report"/> on the grain of <paramref name="keyId"/>.</summary>
    public Task SettleOnKey(string keyId, UsageReport report) => Settled(calls.Key(keyId), report);

    /// <summary>Waits until every settlement sent so far has been answered (or has failed, which was logged).</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => calls.Pending().WaitAsync(cancellationToken);

    // A lost settlement was logged where its grain call failed: the caller only waits for it.
    private static async Task Settled(GrainCallBatches<LimitWork, Admission?> grain, UsageReport report) =>
        await ((Task)grain.Add(new LimitWork(null, report)).Answers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
}
