using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// Grain limit state in the embedded SQLite file. Each operation is one IMMEDIATE transaction (SQLite's write lock
/// makes it atomic against every other writer of the file); the clock is the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class SqliteLimitStore(SqliteDatabase database, TimeProvider time) : ILimitStore
{
    private const string BudgetSql = "SELECT spent_nano, reserved_nano FROM limit_budgets WHERE key_id = $k AND period = $p AND period_start_us = $s";

    private static readonly long SettlementMemoryMicros = (long)TimeSpan.FromDays(1).TotalMicroseconds;

    public async ValueTask<ReservationOutcome> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        {
            await turn.BeginAsync(cancellationToken).ConfigureAwait(false);
            var now = UnixMicros.From(time.GetUtcNow());
            var windows = request.Windows;
            var tats = new long[windows.Count];
            var charged = new long[windows.Count];
            var fits = new bool[windows.Count];
            var admitted = true;
            for (var i = 0; i < windows.Count; i++)
            {
                var w = windows[i];
                tats[i] = await ScalarAsync(turn, "SELECT tat_us FROM limit_windows WHERE window_key = $k", cancellationToken, ("$k", w.Window)) ?? 0;
                charged[i] = Math.Max(tats[i], now) + w.IntervalMicros * w.Cost;
                fits[i] = charged[i] - now <= w.IntervalMicros * w.Capacity;
                admitted &= fits[i];
            }
            BudgetState? budget = null;
            var budgetFits = true;
            var periodStart = 0L;
            if (request.Budget is { } charge)
            {
                (periodStart, var periodEnd) = BudgetPeriodBounds.Of(now, charge.Period);
                var (spent, reserved) = await ReadBudgetAsync(turn.Command(BudgetSql), charge.KeyId, charge.Period, periodStart, cancellationToken).ConfigureAwait(false);
                budgetFits = spent + reserved + charge.ReserveNanoUsd <= charge.LimitNanoUsd;
                admitted &= budgetFits;
                budget = new BudgetState(spent, budgetFits ? reserved + charge.ReserveNanoUsd : reserved, periodEnd);
            }
            if (!admitted)
            {
                await turn.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return new ReservationOutcome(false, now, windows.Select((w, i) => new WindowOutcome(w.Window, fits[i], tats[i])).ToArray())
                {
                    Budget = budget,
                    BudgetAdmitted = budgetFits,
                };
            }
            for (var i = 0; i < windows.Count; i++)
            {
                await ExecuteAsync(turn,
                    "INSERT INTO limit_windows (window_key, tat_us) VALUES ($k, $t) ON CONFLICT (window_key) DO UPDATE SET tat_us = excluded.tat_us",
                    cancellationToken, ("$k", windows[i].Window), ("$t", charged[i])).ConfigureAwait(false);
            }
            if (request.Budget is { } held)
            {
                await ExecuteAsync(turn, """
                    INSERT INTO limit_budgets (key_id, period, period_start_us, spent_nano, reserved_nano) VALUES ($k, $p, $s, 0, $r)
                    ON CONFLICT (key_id, period, period_start_us) DO UPDATE SET reserved_nano = reserved_nano + excluded.reserved_nano
                    """, cancellationToken, ("$k", held.KeyId), ("$p", BudgetPeriodBounds.Name(held.Period)), ("$s", periodStart), ("$r", held.ReserveNanoUsd)).ConfigureAwait(false);
            }
            if (request.NeedsLedger)
            {
                var tokenWindows = windows.Where(w => w.Settles).ToArray();
                await ExecuteAsync(turn, """
                    INSERT INTO limit_reservations (id, created_us, token_windows, reserved_tokens, budget_key, budget_period, budget_period_start_us, reserved_nano)
                    VALUES ($id, $now, $windows, $tokens, $bk, $bp, $bs, $br)
                    """, cancellationToken,
                    ("$id", request.Id), ("$now", now), ("$windows", TokenWindowList.Write(tokenWindows)), ("$tokens", tokenWindows.FirstOrDefault()?.Cost ?? 0),
                    ("$bk", request.Budget?.KeyId), ("$bp", request.Budget is { } b ? BudgetPeriodBounds.Name(b.Period) : null),
                    ("$bs", request.Budget is null ? null : periodStart), ("$br", request.Budget?.ReserveNanoUsd ?? 0)).ConfigureAwait(false);
            }
            await turn.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new ReservationOutcome(true, now, windows.Select((w, i) => new WindowOutcome(w.Window, true, charged[i])).ToArray()) { Budget = budget };
        }
    }

    public async ValueTask SettleAsync(IReadOnlyList<UsageSettlement> settlements, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        {
            await turn.BeginAsync(cancellationToken).ConfigureAwait(false);
            var now = UnixMicros.From(time.GetUtcNow());
            foreach (var s in settlements)
            {
                var fresh = await ExecuteAsync(turn, "INSERT OR IGNORE INTO usage_settlements (id, settled_us) VALUES ($id, $now)",
                    cancellationToken, ("$id", s.Id), ("$now", now)).ConfigureAwait(false);
                if (fresh == 0)
                {
                    continue;
                }
                if (s.HasLedger)
                {
                    await SettleLedgerAsync(turn, s, cancellationToken).ConfigureAwait(false);
                }
                await CountAsync(turn, UsageScopeNames.Model, s.ModelId, s, cancellationToken).ConfigureAwait(false);
                if (s.KeyId is { } key)
                {
                    await CountAsync(turn, UsageScopeNames.ApiKey, key, s, cancellationToken).ConfigureAwait(false);
                }
                if (s.SessionId is { } session)
                {
                    await CountAsync(turn, UsageScopeNames.Session, session, s, cancellationToken).ConfigureAwait(false);
                }
            }
            await ExecuteAsync(turn,
                "DELETE FROM usage_settlements WHERE id IN (SELECT id FROM usage_settlements WHERE settled_us < $cutoff LIMIT 1000)",
                cancellationToken, ("$cutoff", now - SettlementMemoryMicros)).ConfigureAwait(false);
            await turn.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<int> ReleaseStaleAsync(DateTimeOffset olderThan, int limit, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        {
            await turn.BeginAsync(cancellationToken).ConfigureAwait(false);
            var now = UnixMicros.From(time.GetUtcNow());
            var ids = new List<string>();
            var stale = turn.Command("SELECT id FROM limit_reservations WHERE created_us < $before ORDER BY created_us, id LIMIT $limit")
                .Set("$before", UnixMicros.From(olderThan)).Set("$limit", limit);
            await using (var reader = await stale.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    ids.Add(reader.GetString(0));
                }
            }
            // The same as a settlement of unknown usage (KeepReservation, no cost) that counts nothing: an entry still in
            // the ledger was never settled, since a settlement consumes its entry in the same transaction.
            foreach (var id in ids)
            {
                await ExecuteAsync(turn, "INSERT OR IGNORE INTO usage_settlements (id, settled_us) VALUES ($id, $now)",
                    cancellationToken, ("$id", id), ("$now", now)).ConfigureAwait(false);
                await SettleLedgerAsync(turn, new UsageSettlement { Id = id, HasLedger = true, ModelId = "", KeepReservation = true }, cancellationToken)
                    .ConfigureAwait(false);
            }
            await turn.CommitAsync(cancellationToken).ConfigureAwait(false);
            return ids.Count;
        }
    }

    public async ValueTask<UsageCounters> GetUsageAsync(UsageScope scope, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT requests, prompt_tokens, completion_tokens, cost_nano FROM usage_counters WHERE scope = $s AND id = $id";
        command.Parameters.AddWithValue("$s", UsageScopeNames.ToName(scope));
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new UsageCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), NanoUsd.ToUsd(reader.GetInt64(3)))
            : UsageCounters.None;
    }

    public async ValueTask<BudgetState> GetBudgetAsync(string keyId, BudgetPeriod period, CancellationToken cancellationToken = default)
    {
        var (start, end) = BudgetPeriodBounds.Of(UnixMicros.From(time.GetUtcNow()), period);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = BudgetSql;
        var (spent, reserved) = await ReadBudgetAsync(command, keyId, period, start, cancellationToken).ConfigureAwait(false);
        return new BudgetState(spent, reserved, end);
    }


    private static async Task SettleLedgerAsync(SqliteWriteTurn turn, UsageSettlement s, CancellationToken cancellationToken)
    {
        var take = turn.Command("""
            DELETE FROM limit_reservations WHERE id = $id
            RETURNING token_windows, reserved_tokens, budget_key, budget_period, budget_period_start_us, reserved_nano
            """).Set("$id", s.Id);
        string windows;
        long reservedTokens, reservedNano;
        string? budgetKey, budgetPeriod;
        long? budgetStart;
        await using (var reader = await take.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            windows = reader.GetString(0);
            reservedTokens = reader.GetInt64(1);
            budgetKey = reader.IsDBNull(2) ? null : reader.GetString(2);
            budgetPeriod = reader.IsDBNull(3) ? null : reader.GetString(3);
            budgetStart = reader.IsDBNull(4) ? null : reader.GetInt64(4);
            reservedNano = reader.GetInt64(5);
        }
        var tokenDelta = s.KeepReservation ? 0 : s.PromptTokens + s.CompletionTokens - reservedTokens;
        foreach (var (window, interval) in TokenWindowList.Read(windows))
        {
            await ExecuteAsync(turn,
                "INSERT INTO limit_windows (window_key, tat_us) VALUES ($k, $d) ON CONFLICT (window_key) DO UPDATE SET tat_us = tat_us + excluded.tat_us",
                cancellationToken, ("$k", window), ("$d", interval * tokenDelta)).ConfigureAwait(false);
        }
        if (budgetKey is not null)
        {
            var spent = s.KeepReservation ? Math.Max(s.CostNanoUsd, reservedNano) : s.CostNanoUsd;
            await ExecuteAsync(turn, """
                INSERT INTO limit_budgets (key_id, period, period_start_us, spent_nano, reserved_nano) VALUES ($k, $p, $s, $spent, 0)
                ON CONFLICT (key_id, period, period_start_us) DO UPDATE
                SET spent_nano = spent_nano + excluded.spent_nano, reserved_nano = max(0, reserved_nano - $released)
                """, cancellationToken, ("$k", budgetKey), ("$p", budgetPeriod), ("$s", budgetStart), ("$spent", spent), ("$released", reservedNano)).ConfigureAwait(false);
        }
    }

    private static Task<int> CountAsync(SqliteWriteTurn turn, string scope, string id, UsageSettlement s, CancellationToken cancellationToken) =>
        ExecuteAsync(turn, """
            INSERT INTO usage_counters (scope, id, requests, prompt_tokens, completion_tokens, cost_nano) VALUES ($s, $id, 1, $p, $c, $cost)
            ON CONFLICT (scope, id) DO UPDATE SET requests = requests + 1, prompt_tokens = prompt_tokens + excluded.prompt_tokens,
                completion_tokens = completion_tokens + excluded.completion_tokens, cost_nano = cost_nano + excluded.cost_nano
            """, cancellationToken, ("$s", scope), ("$id", id), ("$p", s.PromptTokens), ("$c", s.CompletionTokens), ("$cost", s.CostNanoUsd));

    /// <summary>Reads a budget period's row with <paramref name="command"/> (a reader's own command, or the writer's prepared one).</summary>
    private static async Task<(long Spent, long Reserved)> ReadBudgetAsync(
        SqliteCommand command, string keyId, BudgetPeriod period, long start, CancellationToken cancellationToken)
    {
        command.Set("$k", keyId).Set("$p", BudgetPeriodBounds.Name(period)).Set("$s", start);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }

    private static async Task<long?> ScalarAsync(SqliteWriteTurn turn, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var value = await Bind(turn, sql, parameters).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<int> ExecuteAsync(SqliteWriteTurn turn, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        Bind(turn, sql, parameters).ExecuteNonQueryAsync(cancellationToken);

    /// <summary>The writer's prepared command for <paramref name="sql"/>, with this call's values bound.</summary>
    private static SqliteCommand Bind(SqliteWriteTurn turn, string sql, (string Name, object? Value)[] parameters)
    {
        var command = turn.Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Set(name, value);
        }
        return command;
    }
}
