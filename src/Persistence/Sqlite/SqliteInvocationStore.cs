using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// The invocation log in the embedded SQLite file: a batch is one prepared statement stepped per record and per roll-up
/// row, and one widening its hours' id bounds, in this process's write turn (reads: <see cref="InvocationStore"/>).
/// </summary>
public sealed class SqliteInvocationStore(SqliteDatabase database) : InvocationStore(database.Dialect)
{
    private static readonly string[] InsertParameters = InvocationColumns.All.Select((_, i) => $"@c{i}").ToArray();

    private static readonly string InsertSql = $"{InvocationColumns.Insert} VALUES ({string.Join(", ", InsertParameters)})";

    private static readonly Dictionary<RollupSlice, string> RollupSql = RollupSlice.All.ToDictionary(slice => slice,
        slice => $"INSERT INTO {slice.Table} ({RollupSchema.KeyColumns}, {RollupSchema.SumColumns}) " +
            $"VALUES ({string.Join(", ", Enumerable.Range(0, RollupSchema.ColumnCount).Select(i => $"$r{i}"))}) {RollupSchema.OnConflictAdd(slice.Table)}");

    private static readonly string WidenSql =
        InvocationIdBounds.Widen("invocations", "id >= @first", (a, b) => $"min({a}, {b})", (a, b) => $"max({a}, {b})");

    public override async ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default)
    {
        using var turn = await database.TakeWriteTurnAsync(cancellationToken).ConfigureAwait(false);
        await turn.BeginAsync(cancellationToken).ConfigureAwait(false);
        var command = turn.Command(InsertSql);
        var columns = InvocationColumns.All;
        long? firstId = null;
        foreach (var record in records)
        {
            // The prepared command outlives the batch: its parameters are made once and rebound by position per record.
            for (var i = 0; i < columns.Count; i++)
            {
                command.SetAt(i, InsertParameters[i], columns[i].Value(record));
            }
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            firstId ??= (long)(await turn.Command("SELECT last_insert_rowid()").ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        if (firstId is { } first)
        {
            // The write turn holds the file's write lock, so every id from the batch's first on is the batch's.
            await turn.Command(WidenSql).Set("@first", first).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await AddToRollupsAsync(turn, records, cancellationToken).ConfigureAwait(false);
        await turn.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the batch to its roll-ups (every slice), in the batch's transaction.</summary>
    private static async Task AddToRollupsAsync(SqliteWriteTurn turn, IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken)
    {
        var full = InvocationRollups.Deltas(records);
        foreach (var slice in RollupSlice.All)
        {
            var command = turn.Command(RollupSql[slice]);
            var p = command.Parameters;
            if (p.Count == 0)
            {
                for (var i = 0; i < RollupSchema.ColumnCount; i++)
                {
                    p.Add(new SqliteParameter { ParameterName = $"$r{i}" });
                }
            }
            foreach (var (key, sum) in slice.Deltas(full))
            {
                object[] values =
                [
                    key.Level, key.BucketMs, key.Provider, key.Model, key.ApiKeyId, key.ApiKeyName, sum.Requests, sum.Errors, sum.ClientClosed,
                    sum.PromptTokens, sum.CompletionTokens, sum.CostNanoUsd, sum.LatencyMsSum, sum.TtftCount, sum.TtftMsSum, sum.Rejected,
                ];
                for (var i = 0; i < values.Length; i++)
                {
                    p[i].Value = values[i];
                }
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
