using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;
using Npgsql;
using NpgsqlTypes;

namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// Usage counters in PostgreSQL: a batch is one call of <c>llm_settle</c> (see <see cref="PostgresLimitSchema"/>), each
/// id counted once, committed without waiting for the disk flush like the invocation log it mirrors.
/// </summary>
public sealed class PostgresUsageCounterStore(PostgresDatabase database, TimeProvider? clock = null) : IUsageCounterStore
{
    private const int MaxAttempts = 3;

    public async ValueTask AddAsync(IReadOnlyList<UsageSettlement> settlements, CancellationToken cancellationToken = default)
    {
        if (settlements.Count == 0)
        {
            return;
        }
        var none = new bool[settlements.Count];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // No reservation is kept in the database any more (limit grains hold them): no ledger, no window to correct.
                await using var command = database.RelaxedDataSource.CreateCommand("SELECT count(*) FROM llm_settle($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
                var p = command.Parameters;
                p.Add(new NpgsqlParameter<string[]> { TypedValue = settlements.Select(s => s.Id).ToArray() });
                p.Add(new NpgsqlParameter<bool[]> { TypedValue = none });
                p.Add(new NpgsqlParameter<string[]> { TypedValue = settlements.Select(s => s.ModelId).ToArray() });
                p.Add(new NpgsqlParameter<string?[]> { TypedValue = settlements.Select(s => s.KeyId).ToArray() });
                p.Add(new NpgsqlParameter<string?[]> { TypedValue = settlements.Select(s => s.SessionId).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = settlements.Select(s => s.PromptTokens).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = settlements.Select(s => s.CompletionTokens).ToArray() });
                p.Add(new NpgsqlParameter<long[]> { TypedValue = settlements.Select(s => s.CostNanoUsd).ToArray() });
                p.Add(new NpgsqlParameter<bool[]> { TypedValue = none });
                p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = clock is null ? DBNull.Value : UnixMicros.From(clock.GetUtcNow()) });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = UsageScopeNames.ToName(scope) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new UsageCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), NanoUsd.ToUsd(reader.GetInt64(3)))
            : UsageCounters.None;
    }
}
