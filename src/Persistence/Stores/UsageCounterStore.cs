using System.Data.Common;
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

    private static readonly long SettlementMemoryMicros = (long)TimeSpan.FromDays(1).TotalMicroseconds;

    // Answers the ids not marked before: the settlements this batch counts.
    private static readonly MultiRowInsert MarkSettled = new(
        "INSERT INTO usage_settlements (id, settled_us)", ["i", "t"], "ON CONFLICT (id) DO NOTHING RETURNING id");

    private static readonly MultiRowInsert AddCounts = new(
        "INSERT INTO usage_counters (scope, id, requests, prompt_tokens, completion_tokens, cost_nano)", ["s", "g", "r", "p", "c", "k"], """
        ON CONFLICT (scope, id) DO UPDATE SET requests = usage_counters.requests + excluded.requests,
            prompt_tokens = usage_counters.prompt_tokens + excluded.prompt_tokens,
            completion_tokens = usage_counters.completion_tokens + excluded.completion_tokens,
            cost_nano = usage_counters.cost_nano + excluded.cost_nano
        """);

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
        foreach (var chunk in ids.Chunk(dialect.RowsPerStatement))
        {
            var command = MarkSettled.Command(write, [.. chunk.Select(id => new object?[] { id, now })]);
            if (chunk.Length == 1)
            {
                // One row: whether it was inserted is the count of rows changed, without a reader's cost.
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    fresh.Add(chunk[0]);
                }
                continue;
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                fresh.Add(reader.GetString(0));
            }
        }
        foreach (var chunk in Counts(settlements, fresh).Chunk(dialect.RowsPerStatement))
        {
            await AddCounts.Command(write, [.. chunk.Select(c => new object?[] { c.Key.Scope, c.Key.Id, c.Value.Requests, c.Value.PromptTokens, c.Value.CompletionTokens, c.Value.CostNano })])
                .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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

    private readonly record struct Count(long Requests, long PromptTokens, long CompletionTokens, long CostNano)
    {
        public Count Plus(UsageSettlement s) =>
            new(Requests + 1, PromptTokens + s.PromptTokens, CompletionTokens + s.CompletionTokens, CostNano + s.CostNanoUsd);
    }
}
