using LlmRouter.Abstractions.Limits;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Grains.Limits;

/// <summary>
/// What the model and key grains share: their <see cref="LimitState"/> held in memory and written behind at most
/// <see cref="LimitGrainOptions.PersistInterval"/> after it changed, and again when the grain deactivates. A write
/// works on a copy and interleaves with calls, so admission never waits for the store, even a slow or absent one.
/// </summary>
public abstract partial class LimitGrain(
    IPersistentState<LimitState> state, IUsageCounterStore counters, LimitGrainOptions options, TimeProvider time, ILogger logger) : Grain
{
    private LimitState _live = new();
    private WindowKeys? _keys;
    private bool _dirty;
    private bool _writing;

    internal LimitLedger Ledger => new(_live);

    /// <summary>The grain's window names, made once.</summary>
    private protected WindowKeys Keys => _keys ??= NewKeys(this.GetPrimaryKeyString());

    protected long Now => GcraWindow.ToMicros(time.GetUtcNow());

    /// <summary>Which usage counters are this grain's.</summary>
    protected abstract UsageScope Scope { get; }

    private protected abstract WindowKeys NewKeys(string id);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _live = state.State.Copy();
        this.RegisterGrainTimer(PersistAsync, new GrainTimerCreationOptions(options.PersistInterval, options.PersistInterval) { Interleave = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        while (_writing)
        {
            await Task.Delay(10, cancellationToken);
        }
        await PersistAsync(cancellationToken);
    }

    /// <summary>The grain's usage counters, which are kept with the invocation log (see <see cref="IUsageCounterStore"/>).</summary>
    public ValueTask<UsageCounters> GetUsageAsync(CancellationToken cancellationToken = default) =>
        counters.GetUsageAsync(Scope, this.GetPrimaryKeyString(), cancellationToken);

    /// <summary>Admits a call against <paramref name="plan"/> under <paramref name="id"/>; <paramref name="charged"/> is what an undo takes back.</summary>
    internal Admission Admit(AdmissionPlan plan, string id, out ReservationRequest? charged)
    {
        charged = null;
        if (plan.IsEmpty)
        {
            return new Admission { IsAcquired = true, Reservation = new Reservation(id, false, 0, 0m) };
        }
        if (plan.RefuseOversized() is { } oversized)
        {
            return oversized;
        }
        var request = plan.ToReservation(id);
        var outcome = Ledger.Reserve(request, Now);
        if (outcome.Admitted)
        {
            charged = request;
            _dirty = true;
        }
        return plan.Interpret(outcome, id);
    }

    internal void Undo(ReservationRequest charged)
    {
        Ledger.Undo(charged);
        _dirty = true;
    }

    protected void Settle(UsageReport[] reports)
    {
        var ledger = Ledger;
        foreach (var report in reports)
        {
            _dirty |= ledger.Settle(report);
        }
    }

    private async Task PersistAsync(CancellationToken cancellationToken)
    {
        if (Ledger.ReleaseStale(Now - GcraWindow.ToMicros(DateTimeOffset.UnixEpoch + options.MaxCallAge)) is > 0 and var released)
        {
            LogReleased(logger, released, this.GetPrimaryKeyString());
            _dirty = true;
        }
        // One write at a time (each carries the etag the previous one returned); a tick during a write waits for the next.
        if (!_dirty || _writing)
        {
            return;
        }
        _dirty = false;
        _writing = true;
        try
        {
            state.State = _live.Copy();
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Kept in memory and tried again at the next tick.
            _dirty = true;
            LogPersistFailed(logger, exception, this.GetPrimaryKeyString());
        }
        finally
        {
            _writing = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the limit state of {Grain} failed; retrying at the next interval")]
    private static partial void LogPersistFailed(ILogger logger, Exception exception, string grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released {Count} reservations of {Grain} that no call settled (kept as spent, usage unknown)")]
    private static partial void LogReleased(ILogger logger, int count, string grain);
}
