using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>Usage counters in the embedded SQLite file: a batch is one IMMEDIATE transaction, each id counted once.</summary>
public sealed class SqliteUsageCounterStore(SqliteDatabase database, TimeProvider time) : IUsageCounterStore
{
    private static readonly long SettlementMemoryMicros = (long)TimeSpan.FromDays(1).TotalMicroseconds;

    public async ValueTask AddAsync(IReadOnlyList<UsageSettlement> settlements, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await turn.BeginAsync(cancellationToken).ConfigureAwait(false);
        var now = UnixMicros.From(time.GetUtcNow());
        foreach (var s in settlements)
        {
            var fresh = await turn.Command("INSERT OR IGNORE INTO usage_settlements (id, settled_us) VALUES ($id, $now)")
                .Set("$id", s.Id).Set("$now", now).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (fresh == 0)
            {
                continue;
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
        await turn.Command("DELETE FROM usage_settlements WHERE id IN (SELECT id FROM usage_settlements WHERE settled_us < $cutoff LIMIT 1000)")
            .Set("$cutoff", now - SettlementMemoryMicros).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await turn.CommitAsync(cancellationToken).ConfigureAwait(false);
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

    private static Task<int> CountAsync(SqliteWriteTurn turn, string scope, string id, UsageSettlement s, CancellationToken cancellationToken) =>
        turn.Command("""
            INSERT INTO usage_counters (scope, id, requests, prompt_tokens, completion_tokens, cost_nano) VALUES ($s, $id, 1, $p, $c, $cost)
            ON CONFLICT (scope, id) DO UPDATE SET requests = requests + 1, prompt_tokens = prompt_tokens + excluded.prompt_tokens,
                completion_tokens = completion_tokens + excluded.completion_tokens, cost_nano = cost_nano + excluded.cost_nano
            """).Set("$s", scope).Set("$id", id).Set("$p", s.PromptTokens).Set("$c", s.CompletionTokens).Set("$cost", s.CostNanoUsd)
            .ExecuteNonQueryAsync(cancellationToken);
}
