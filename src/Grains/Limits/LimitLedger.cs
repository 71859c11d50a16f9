using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Grains.Limits;

/// <summary>
/// GCRA windows, budget and reservations over a grain's <see cref="LimitState"/>. Plain arithmetic on fields: the
/// grain's one-at-a-time turns make every operation atomic without a lock or a store round trip.
/// </summary>
internal sealed class LimitLedger(LimitState state)
{
    /// <summary>Charges every window and the budget, or none of them, and holds what settlement will trade for the actual usage.</summary>
    public ReservationOutcome Reserve(ReservationRequest request, long now)
    {
        var windows = request.Windows;
        var outcomes = new WindowOutcome[windows.Count];
        Span<long> charged = stackalloc long[windows.Count];
        var admitted = true;
        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            var tat = state.Tats.GetValueOrDefault(w.Window);
            charged[i] = Math.Max(tat, now) + w.IntervalMicros * w.Cost;
            var fits = charged[i] - now <= w.IntervalMicros * w.Capacity;
            outcomes[i] = new WindowOutcome(w.Window, fits, tat);
            admitted &= fits;
        }
        BudgetState? budget = null;
        BudgetRow? row = null;
        string? rowKey = null;
        var budgetFits = true;
        if (request.Budget is { } charge)
        {
            (rowKey, row) = CurrentRow(charge.Period, now);
            budgetFits = row.SpentNanoUsd + row.ReservedNanoUsd + charge.ReserveNanoUsd <= charge.LimitNanoUsd;
            admitted &= budgetFits;
            budget = new BudgetState(row.SpentNanoUsd, budgetFits ? row.ReservedNanoUsd + charge.ReserveNanoUsd : row.ReservedNanoUsd, row.EndMicros);
        }
        if (!admitted)
        {
            return new ReservationOutcome(false, now, outcomes) { Budget = budget, BudgetAdmitted = budgetFits };
        }
        Dictionary<string, long>? tokenWindows = null;
        long tokens = 0;
        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            state.Tats[w.Window] = charged[i];
            outcomes[i] = new WindowOutcome(w.Window, true, charged[i]);
            if (w.Settles)
            {
                tokens = tokenWindows is null ? w.Cost : tokens;
                (tokenWindows ??= new Dictionary<string, long>(1, StringComparer.Ordinal))[w.Window] = w.IntervalMicros;
            }
        }
        if (row is not null)
        {
            row.ReservedNanoUsd += request.Budget!.ReserveNanoUsd;
        }
        if (tokenWindows is not null || request.Budget is not null)
        {
            state.Held[request.Id] = new HeldReservation
            {
                CreatedMicros = now,
                TokenWindowIntervals = tokenWindows ?? [],
                Tokens = tokens,
                BudgetRow = rowKey,
                ReservedNanoUsd = request.Budget?.ReserveNanoUsd ?? 0,
            };
        }
        return new ReservationOutcome(true, now, outcomes) { Budget = budget };
    }

    /// <summary>Takes back an admitted reservation as if it had never been made (the rest of its call was refused).</summary>
    public void Undo(ReservationRequest request)
    {
        foreach (var w in request.Windows)
        {
            state.Tats[w.Window] -= w.IntervalMicros * w.Cost;
        }
        if (state.Held.Remove(request.Id, out var held) && held.BudgetRow is { } key && state.Budgets.TryGetValue(key, out var row))
        {
            row.ReservedNanoUsd = Math.Max(0, row.ReservedNanoUsd - held.ReservedNanoUsd);
        }
    }

    /// <summary>
    /// Applies one finished call: its reservation, if held here and not yet settled, becomes the actual usage. Returns
    /// false when there was nothing to settle here.
    /// </summary>
    public bool Settle(UsageReport report)
    {
        var tokens = report.PromptTokens + report.CompletionTokens;
        var cost = NanoUsd.From(report.CostUsd);
        if (report.Reservation?.Id is not { } id || !state.Held.Remove(id, out var held))
        {
            return false;
        }
        var tokenDelta = report.UsageUnknown ? 0 : tokens - held.Tokens;
        foreach (var (window, interval) in held.TokenWindowIntervals)
        {
            state.Tats[window] = state.Tats.GetValueOrDefault(window) + interval * tokenDelta;
        }
        if (held.BudgetRow is { } key && state.Budgets.TryGetValue(key, out var row))
        {
            row.SpentNanoUsd += report.UsageUnknown ? Math.Max(cost, held.ReservedNanoUsd) : cost;
            row.ReservedNanoUsd = Math.Max(0, row.ReservedNanoUsd - held.ReservedNanoUsd);
        }
        return true;
    }

    /// <summary>
    /// Releases reservations older than <paramref name="olderThan"/>, whose call never settled (its node was killed): as
    /// calls of unknown usage. Returns how many were released.
    /// </summary>
    public int ReleaseStale(long olderThan)
    {
        var stale = state.Held.Where(h => h.Value.CreatedMicros < olderThan).Select(h => h.Key).ToArray();
        foreach (var id in stale)
        {
            Settle(new UsageReport { ModelId = "", Reservation = new Reservation(id, true, 0, 0m), UsageUnknown = true });
        }
        return stale.Length;
    }

    public BudgetState Budget(BudgetPeriod period, long now)
    {
        var (start, end) = BudgetPeriodBounds.Of(now, period);
        return state.Budgets.TryGetValue(RowKey(period, start), out var row)
            ? new BudgetState(row.SpentNanoUsd, row.ReservedNanoUsd, row.EndMicros)
            : new BudgetState(0, 0, end);
    }

    /// <summary>The budget row of the period <paramref name="now"/> is in; rows of periods that have ended are dropped.</summary>
    private (string Key, BudgetRow Row) CurrentRow(BudgetPeriod period, long now)
    {
        var (start, end) = BudgetPeriodBounds.Of(now, period);
        var key = RowKey(period, start);
        if (!state.Budgets.TryGetValue(key, out var row))
        {
            foreach (var ended in state.Budgets.Where(b => b.Value.EndMicros <= now && !state.Held.Values.Any(h => h.BudgetRow == b.Key)).Select(b => b.Key).ToArray())
            {
                state.Budgets.Remove(ended);
            }
            row = new BudgetRow { EndMicros = end };
            state.Budgets[key] = row;
        }
        return (key, row);
    }

    private static string RowKey(BudgetPeriod period, long start) => BudgetPeriods.Name(period) + ":" + start;
}
