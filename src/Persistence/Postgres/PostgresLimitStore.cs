using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;
using Npgsql;
using NpgsqlTypes;

namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// Grain limit state in PostgreSQL: a reservation is one call of <c>llm_reserve</c>, a batch of settlements one call of
/// <c>llm_settle</c> (see <see cref="PostgresLimitSchema"/>). The server's clock decides windows, so node clock skew
/// cannot loosen a limit; tests may pass a <see cref="TimeProvider"/> to drive the same SQL with a controlled clock.
/// </summary>
public sealed class PostgresLimitStore(PostgresDatabase database, TimeProvider? clock = null) : ILimitStore
{
    private const int MaxAttempts = 3;

    public async ValueTask<ReservationOutcome> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken = default)
    {
        var windows = request.Windows;
        var budget = request.Budget;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = database.DataSource.CreateCommand(
                    "SELECT o_window, o_admitted, o_tat, o_spent, o_reserved, o_end, o_now FROM llm_reserve($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
                var p = command.Parameters;
                p.Add(Text(request.Id));
                p.Add(new NpgsqlParameter<string[]> { TypedValue = windows.Select(w => w.Window).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = windows.Select(w => w.IntervalMicros).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = windows.Select(w => w.Capacity).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = windows.Select(w => w.Cost).ToArray() });
                p.Add(new NpgsqlParameter<bool[]> { TypedValue = windows.Select(w => w.Settles).ToArray() });
                p.Add(Text(budget?.KeyId));
                p.Add(Text(budget is null ? null : BudgetPeriodBounds.Name(budget.Period)));
                p.Add(BigInt(budget?.LimitNanoUsd));
                p.Add(BigInt(budget?.ReserveNanoUsd));
                p.Add(BigInt(Now()));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var states = new List<WindowOutcome>(windows.Count);
                BudgetState? budgetState = null;
                var budgetAdmitted = true;
                var now = 0L;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    now = reader.GetInt64(6);
                    if (!reader.IsDBNull(0))
                    {
                        states.Add(new WindowOutcome(reader.GetString(0), reader.GetBoolean(1), reader.GetInt64(2)));
                    }
                    else if (budget is not null)
                    {
                        budgetAdmitted = reader.GetBoolean(1);
                        budgetState = new BudgetState(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
                    }
                }
                var admitted = budgetAdmitted && states.TrueForAll(s => s.Admitted);
                return new ReservationOutcome(admitted, now, states) { Budget = budgetState, BudgetAdmitted = budgetAdmitted };
            }
            catch (PostgresException exception) when (exception.IsTransient && attempt < MaxAttempts)
            {
                // A deadlock or serialization failure rolled the whole call back; running it again is safe.
            }
        }
    }

    public async ValueTask SettleAsync(IReadOnlyList<UsageSettlement> settlements, CancellationToken cancellationToken = default)
    {
        if (settlements.Count == 0)
        {
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = database.DataSource.CreateCommand("SELECT llm_settle($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
                var p = command.Parameters;
                p.Add(new NpgsqlParameter<string[]> { TypedValue = settlements.Select(s => s.Id).ToArray() });
                p.Add(new NpgsqlParameter<bool[]> { TypedValue = settlements.Select(s => s.HasLedger).ToArray() });
                p.Add(new NpgsqlParameter<string[]> { TypedValue = settlements.Select(s => s.ModelId).ToArray() });
                p.Add(new NpgsqlParameter<string?[]> { TypedValue = settlements.Select(s => s.KeyId).ToArray() });
                p.Add(new NpgsqlParameter<string?[]> { TypedValue = settlements.Select(s => s.SessionId).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = settlements.Select(s => s.PromptTokens).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = settlements.Select(s => s.CompletionTokens).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = settlements.Select(s => s.CostNanoUsd).ToArray() });
                p.Add(new NpgsqlParameter<bool[]> { TypedValue = settlements.Select(s => s.KeepReservation).ToArray() });
                p.Add(BigInt(Now()));
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException exception) when (exception.IsTransient && attempt < MaxAttempts)
            {
                // Rolled back as a whole; settlement ids make the retry exact.
            }
        }
    }

    public async ValueTask<UsageCounters> GetUsageAsync(UsageScope scope, string id, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT requests, prompt_tokens, completion_tokens, cost_nano FROM usage_counters WHERE scope = $1 AND id = $2");
        command.Parameters.Add(Text(UsageScopeNames.ToName(scope)));
        command.Parameters.Add(Text(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new UsageCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), NanoUsd.ToUsd(reader.GetInt64(3)))
            : UsageCounters.None;
    }

    public async ValueTask<BudgetState> GetBudgetAsync(string keyId, BudgetPeriod period, CancellationToken cancellationToken = default)
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT coalesce(b.spent_nano, 0), coalesce(b.reserved_nano, 0), bounds.end_us
            FROM llm_period_bounds(coalesce($3, llm_now_us()), $2) AS bounds
            LEFT JOIN limit_budgets b ON b.key_id = $1 AND b.period = $2 AND b.period_start_us = bounds.start_us
            """);
        command.Parameters.Add(Text(keyId));
        command.Parameters.Add(Text(BudgetPeriodBounds.Name(period)));
        command.Parameters.Add(BigInt(Now()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new BudgetState(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private long? Now() => clock is null ? null : UnixMicros.From(clock.GetUtcNow());

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter BigInt(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };
}
