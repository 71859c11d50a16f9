using System.Data.Common;
using System.Text;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Persistence.Stores;

/// <summary>
/// Usage counters in the node's database. A batch is one transaction: its settlement ids are marked first, and only
/// the ones not marked before are counted, so each id counts once however often it is retried. Rows are written in one
/// order (ids, then counters by scope and id), so batches sent at once queue on a row instead of deadlocking.
/// </summary>
public sealed class UsageCounterStore(StoreDialect dialect, TimeProvider time) : IUsageCounterStore
{
    private const int MaxAttempts = 3;

    // Rows per statement: few enough for any driver's parameter limit, and few SQL texts for SQLite's prepared commands.
    private const int RowsPerStatement = 100;

    private static readonly long SettlementMemoryMicros = (long)TimeSpan.FromDays(1).TotalMicroseconds;

    public async ValueTask AddAsync(IReadOnlyList<UsageSettlement> settlements, CancellationToken cancellationToken = default)
    {
        if (settlements.Count == 0)
        {
            return;
        }
        var ids = settlements.Select(s => s.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteAsync(settlements, ids, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DbException exception) when (exception.IsTransient && attempt < MaxAttempts)
            {
                // Rolled back as a whole; settlement ids make the retry exact.
            }
        }
    }

    public async ValueTask<UsageCounters> GetUsageAsync(UsageScope scope, string id, CancellationToken cancellationToken = default)
    {
        var counters = await dialect.ReadOneAsync(
            "SELECT requests, prompt_tokens, completion_tokens, cost_nano FROM usage_counters WHERE scope = @scope AND id = @id",
            [("@scope", UsageScopeNames.ToName(scope)), ("@id", id)],
            reader => new UsageCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), NanoUsd.ToUsd(reader.GetInt64(3))),
            cancellationToken).ConfigureAwait(false);
        return counters ?? UsageCounters.None;
    }

    private async Task WriteAsync(IReadOnlyList<UsageSettlement> settlements, string[] ids, CancellationToken cancellationToken)
    {
        var now = UnixMicros.From(time.GetUtcNow());
        await using var write = await dialect.BeginFrequentWriteAsync(cancellationToken).ConfigureAwait(false);
        await write.BeginAsync(cancellationToken).ConfigureAwait(false);
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(RowsPerStatement))
        {
            var command = write.Command(Rows("INSERT INTO usage_settlements (id, settled_us) VALUES ", chunk.Length, "(@i{0}, @now)",
                " ON CONFLICT (id) DO NOTHING RETURNING id"));
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Set("@i" + i, chunk[i]);
            }
            await using var reader = await command.Set("@now", now).ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                fresh.Add(reader.GetString(0));
            }
        }
        foreach (var chunk in Counts(settlements, fresh).Chunk(RowsPerStatement))
        {
            var command = write.Command(Rows(
                "INSERT INTO usage_counters (scope, id, requests, prompt_tokens, completion_tokens, cost_nano) VALUES ", chunk.Length,
                "(@s{0}, @g{0}, @r{0}, @p{0}, @c{0}, @k{0})", """
                 ON CONFLICT (scope, id) DO UPDATE SET requests = usage_counters.requests + excluded.requests,
                    prompt_tokens = usage_counters.prompt_tokens + excluded.prompt_tokens,
                    completion_tokens = usage_counters.completion_tokens + excluded.completion_tokens,
                    cost_nano = usage_counters.cost_nano + excluded.cost_nano
                """));
            for (var i = 0; i < chunk.Length; i++)
            {
                var ((scope, id), c) = chunk[i];
                command.Set("@s" + i, scope).Set("@g" + i, id).Set("@r" + i, c.Requests)
                    .Set("@p" + i, c.PromptTokens).Set("@c" + i, c.CompletionTokens).Set("@k" + i, c.CostNano);
            }
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        // Ids are remembered for a day, long past any retry; the oldest are forgotten a bounded slice at a time.
        await write.Command("DELETE FROM usage_settlements WHERE id IN (SELECT id FROM usage_settlements WHERE settled_us < @cutoff LIMIT 1000)")
            .Set("@cutoff", now - SettlementMemoryMicros).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await write.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fresh settlements summed per counter, each id once, in the order rows are locked: by scope, then id.</summary>
    private static KeyValuePair<(string Scope, string Id), Count>[] Counts(IReadOnlyList<UsageSettlement> settlements, HashSet<string> fresh)
    {
        var counts = new Dictionary<(string Scope, string Id), Count>();
        void Add(string scope, string id, UsageSettlement s) =>
            counts[(scope, id)] = counts.GetValueOrDefault((scope, id)).Plus(s);
        foreach (var s in settlements)
        {
            // Removing marks the id counted: a settlement listed twice in one batch counts once.
            if (!fresh.Remove(s.Id))
            {
                continue;
            }
            Add(UsageScopeNames.Model, s.ModelId, s);
            if (s.KeyId is { } key)
            {
                Add(UsageScopeNames.ApiKey, key, s);
            }
            if (s.SessionId is { } session)
            {
                Add(UsageScopeNames.Session, session, s);
            }
        }
        return counts.OrderBy(c => c.Key.Scope, StringComparer.Ordinal).ThenBy(c => c.Key.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>A multi-row statement: <paramref name="row"/> formatted with each row's index, comma-separated, between head and tail.</summary>
    private static string Rows(string head, int count, string row, string tail)
    {
        var sql = new StringBuilder(head);
        for (var i = 0; i < count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").AppendFormat(System.Globalization.CultureInfo.InvariantCulture, row, i);
        }
        return sql.Append(tail).ToString();
    }

    private readonly record struct Count(long Requests, long PromptTokens, long CompletionTokens, long CostNano)
    {
        public Count Plus(UsageSettlement s) =>
            new(Requests + 1, PromptTokens + s.PromptTokens, CompletionTokens + s.CompletionTokens, CostNano + s.CostNanoUsd);
    }
}
