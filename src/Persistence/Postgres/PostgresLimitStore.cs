using System.Threading.Channels;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;
using Npgsql;
using NpgsqlTypes;

namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// Grain limit state in PostgreSQL. Reservations that arrive while another is on its way to the server are sent
/// together as one call of <c>llm_reserve</c>, which decides them in arrival order, each all-or-nothing (see
/// <see cref="PostgresLimitSchema"/>): under load a hot window row is locked once per batch instead of once per call.
/// A batch of settlements is one call of <c>llm_settle</c> (counters, ledger and budgets, durable and exactly once),
/// then, when tokens are given back, one non-durable call of <c>llm_adjust_windows</c>. The server's clock decides windows, so node clock skew
/// cannot loosen a limit; tests may pass a <see cref="TimeProvider"/> to drive the same SQL with a controlled clock.
/// </summary>
public sealed class PostgresLimitStore : ILimitStore, IAsyncDisposable
{
    private const int MaxAttempts = 3;
    private const int MaxBatch = 256;

    // Two batches in flight: one is being decided by the server while the next one gathers.
    private const int Senders = 2;

    private readonly PostgresDatabase _database;
    private readonly TimeProvider? _clock;
    private readonly Channel<PendingReservation> _pending = Channel.CreateUnbounded<PendingReservation>();
    private readonly Task[] _senders;

    public PostgresLimitStore(PostgresDatabase database, TimeProvider? clock = null)
    {
        _database = database;
        _clock = clock;
        _senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(SendLoopAsync)).ToArray();
    }

    public ValueTask<ReservationOutcome> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken = default)
    {
        var pending = new PendingReservation(request);
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);
        return new ValueTask<ReservationOutcome>(pending.Done.Task.WaitAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_senders).ConfigureAwait(false);
    }

    private async Task SendLoopAsync()
    {
        var batch = new List<PendingReservation>(MaxBatch);
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                var outcomes = await ReserveBatchAsync(batch).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(outcomes[i]);
                }
            }
            catch (Exception exception)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(exception);
                }
            }
            batch.Clear();
        }
    }

    private async Task<ReservationOutcome[]> ReserveBatchAsync(List<PendingReservation> batch)
    {
        var first = new int[batch.Count];
        var count = new int[batch.Count];
        var windows = new List<WindowCharge>();
        for (var i = 0; i < batch.Count; i++)
        {
            first[i] = windows.Count + 1;
            count[i] = batch[i].Request.Windows.Count;
            windows.AddRange(batch[i].Request.Windows);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = _database.DataSource.CreateCommand(
                    "SELECT o_call, o_window, o_admitted, o_tat, o_spent, o_reserved, o_end, o_now FROM llm_reserve($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
                var p = command.Parameters;
                p.Add(new NpgsqlParameter<string[]> { TypedValue = batch.Select(b => b.Request.Id).ToArray() });
                p.Add(new NpgsqlParameter<int[]> { TypedValue = first });
                p.Add(new NpgsqlParameter<int[]> { TypedValue = count });
                p.Add(new NpgsqlParameter<string?[]> { TypedValue = batch.Select(b => b.Request.Budget?.KeyId).ToArray() });
                p.Add(new NpgsqlParameter<string?[]> { TypedValue = batch.Select(b => b.Request.Budget is { } budget ? BudgetPeriodBounds.Name(budget.Period) : null).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = batch.Select(b => b.Request.Budget?.LimitNanoUsd ?? 0).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = batch.Select(b => b.Request.Budget?.ReserveNanoUsd ?? 0).ToArray() });
                p.Add(new NpgsqlParameter<string[]> { TypedValue = windows.Select(w => w.Window).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = windows.Select(w => w.IntervalMicros).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = windows.Select(w => w.Capacity).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = windows.Select(w => w.Cost).ToArray() });
                p.Add(new NpgsqlParameter<bool[]> { TypedValue = windows.Select(w => w.Settles).ToArray() });
                p.Add(BigInt(Now()));
                var states = batch.Select(b => new List<WindowOutcome>(b.Request.Windows.Count)).ToArray();
                var budgets = new BudgetState?[batch.Count];
                var budgetAdmitted = Enumerable.Repeat(true, batch.Count).ToArray();
                var now = 0L;
                await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
                {
                    while (await reader.ReadAsync().ConfigureAwait(false))
                    {
                        var call = reader.GetInt32(0) - 1;
                        now = reader.GetInt64(7);
                        if (!reader.IsDBNull(1))
                        {
                            states[call].Add(new WindowOutcome(reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3)));
                        }
                        else if (!reader.IsDBNull(4))
                        {
                            budgetAdmitted[call] = reader.GetBoolean(2);
                            budgets[call] = new BudgetState(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
                        }
                    }
                }
                return batch.Select((_, i) => new ReservationOutcome(budgetAdmitted[i] && states[i].TrueForAll(s => s.Admitted), now, states[i])
                {
                    Budget = budgets[i],
                    BudgetAdmitted = budgetAdmitted[i],
                }).ToArray();
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
                // Answers wait for this. A batch that settles money commits durably, then corrects the token windows
                // in a short transaction of its own (hot window rows are never locked across a disk flush). Any other
                // batch only counts usage and corrects windows, which need not wait for the disk (see
                // RelaxedDataSource; window charges already commit that way): both in one statement, one round trip.
                // Locks are taken counters first, then windows in key order, in every such transaction.
                var money = settlements.Any(s => s.HoldsMoney);
                await using var command = money
                    ? _database.DataSource.CreateCommand("SELECT o_window, o_delta FROM llm_settle($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                    : _database.RelaxedDataSource.CreateCommand("""
                        SELECT llm_adjust_windows(
                            coalesce(array_agg(o_window ORDER BY o_window COLLATE "C"), '{}'::text[]),
                            coalesce(array_agg(o_delta ORDER BY o_window COLLATE "C"), '{}'::bigint[]))
                        FROM llm_settle($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        """);
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
                if (!money)
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
                var windows = new List<string>();
                var deltas = new List<long>();
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        windows.Add(reader.GetString(0));
                        deltas.Add(reader.GetInt64(1));
                    }
                }
                if (windows.Count > 0)
                {
                    await AdjustWindowsAsync(windows, deltas, cancellationToken).ConfigureAwait(false);
                }
                return;
            }
            catch (PostgresException exception) when (exception.IsTransient && attempt < MaxAttempts)
            {
                // Rolled back as a whole; settlement ids make the retry exact.
            }
        }
    }

    /// <summary>
    /// Applies the token corrections of a settled batch. Once the settlement has committed it is never repeated, so a
    /// correction that fails here is dropped: the window then stays charged for what was reserved (stricter, not looser).
    /// </summary>
    private async Task AdjustWindowsAsync(List<string> windows, List<long> deltas, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = _database.DataSource.CreateCommand("SELECT llm_adjust_windows($1, $2)");
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = windows.ToArray() });
                command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = deltas.ToArray() });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException exception) when (exception.IsTransient && attempt < MaxAttempts)
            {
                // Rolled back as a whole; applying it again is exact.
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                return;
            }
        }
    }

    public async ValueTask<int> ReleaseStaleAsync(DateTimeOffset olderThan, int limit, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = _database.DataSource.CreateCommand("SELECT llm_release_stale($1, $2, $3)");
                command.Parameters.Add(BigInt(UnixMicros.From(olderThan)));
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
                command.Parameters.Add(BigInt(Now()));
                var released = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return Convert.ToInt32(released, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (PostgresException exception) when (exception.IsTransient && attempt < MaxAttempts)
            {
                // A deadlock with a settlement of the same id rolled the sweep back whole; running it again is exact.
            }
        }
    }

    public async ValueTask<UsageCounters> GetUsageAsync(UsageScope scope, string id, CancellationToken cancellationToken = default)
    {
        await using var command = _database.DataSource.CreateCommand(
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
        await using var command = _database.DataSource.CreateCommand("""
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

    private long? Now() => _clock is null ? null : UnixMicros.From(_clock.GetUtcNow());

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter BigInt(long? value) => new() { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)value ?? DBNull.Value };

    /// <summary>A reservation waiting for its batch.</summary>
    private sealed class PendingReservation(ReservationRequest request)
    {
        public ReservationRequest Request { get; } = request;

        public TaskCompletionSource<ReservationOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
