using System.Globalization;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Tests.Sqlite;

/// <summary>
/// The writer connection behind write turns: a failed turn leaves nothing half-written and the writer usable, a broken
/// writer is replaced, turns never interleave, and disposal closes it after the turn in progress.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class SqliteWriterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch.AddDays(20000);

    private const string InsertProbe = "INSERT INTO probe (x) VALUES ($x)";

    private readonly TempDirectory _directory = new();
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = new SqliteDatabase(_directory.File("writer.db"));
        await _database.MigrateAsync();
        await ExecuteAsync("CREATE TABLE probe (x INTEGER NOT NULL CHECK (x > 0))");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_statement_failing_mid_transaction_rolls_back_the_turn_and_the_writer_stays_usable()
    {
        SqliteConnection first;
        using (var turn = await _database.TakeWriteTurnAsync())
        {
            first = turn.Connection;
            await turn.BeginAsync();
            await turn.Command(InsertProbe).Set("$x", 1).ExecuteNonQueryAsync();
            await Assert.ThrowsAsync<SqliteException>(() => turn.Command(InsertProbe).Set("$x", -1).ExecuteNonQueryAsync());
        }
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM probe"));

        using (var turn = await _database.TakeWriteTurnAsync())
        {
            Assert.Same(first, turn.Connection);
            await turn.BeginAsync();
            await turn.Command(InsertProbe).Set("$x", 2).ExecuteNonQueryAsync();
            await turn.CommitAsync();
        }
        Assert.Equal(2, await ScalarAsync("SELECT SUM(x) FROM probe"));
    }

    [Fact]
    public async Task A_turn_ended_without_its_commit_is_rolled_back()
    {
        using (var turn = await _database.TakeWriteTurnAsync())
        {
            await turn.BeginAsync();
            await turn.Command(InsertProbe).Set("$x", 7).ExecuteNonQueryAsync();
        }
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM probe"));

        // The next turn can begin: nothing of the abandoned transaction is left open on the writer.
        using (var turn = await _database.TakeWriteTurnAsync())
        {
            await turn.BeginAsync();
            await turn.Command(InsertProbe).Set("$x", 8).ExecuteNonQueryAsync();
            await turn.CommitAsync();
        }
        Assert.Equal(8, await ScalarAsync("SELECT SUM(x) FROM probe"));
    }

    [Fact]
    public async Task A_broken_writer_connection_is_replaced_on_the_next_turn()
    {
        SqliteConnection broken;
        using (var turn = await _database.TakeWriteTurnAsync())
        {
            broken = turn.Connection;
            await turn.BeginAsync();
            await turn.Command(InsertProbe).Set("$x", 5).ExecuteNonQueryAsync();
            broken.Close();
        }

        using (var turn = await _database.TakeWriteTurnAsync())
        {
            Assert.NotSame(broken, turn.Connection);
            Assert.Equal(System.Data.ConnectionState.Open, turn.Connection.State);
            await turn.BeginAsync();
            await turn.Command(InsertProbe).Set("$x", 6).ExecuteNonQueryAsync();
            await turn.CommitAsync();
        }
        Assert.Equal(6, await ScalarAsync("SELECT SUM(x) FROM probe"));
    }

    [Fact]
    public async Task SQL_that_cannot_be_prepared_fails_alone_and_the_turn_goes_on()
    {
        using var turn = await _database.TakeWriteTurnAsync();
        Assert.Throws<SqliteException>(() => turn.Command("INSERT INTO nowhere (x) VALUES (1)"));
        await turn.Command(InsertProbe).Set("$x", 3).ExecuteNonQueryAsync();
        turn.Dispose();
        Assert.Equal(3, await ScalarAsync("SELECT SUM(x) FROM probe"));
    }

    [Fact]
    public async Task Prepared_commands_are_kept_across_turns_and_rebound()
    {
        SqliteCommand insert;
        using (var turn = await _database.TakeWriteTurnAsync())
        {
            insert = turn.Command(InsertProbe);
            await insert.Set("$x", 10).ExecuteNonQueryAsync();
        }
        using (var turn = await _database.TakeWriteTurnAsync())
        {
            Assert.Same(insert, turn.Command(InsertProbe));
            await turn.Command(InsertProbe).Set("$x", 20).ExecuteNonQueryAsync();
        }
        Assert.Equal(30, await ScalarAsync("SELECT SUM(x) FROM probe"));
        Assert.Equal(2, await ScalarAsync("SELECT COUNT(*) FROM probe"));
    }

    [Fact]
    public async Task Concurrent_turns_never_interleave()
    {
        await ExecuteAsync("CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)");
        var inside = 0;
        var overlaps = 0;
        const int Writers = 24;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            using var turn = await _database.TakeWriteTurnAsync();
            if (Interlocked.Increment(ref inside) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }
            await turn.BeginAsync();
            var n = Convert.ToInt64(await turn.Command("SELECT n FROM counter").ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            // Yield inside the turn: another writer that got in now would read the same n and one increment would be lost.
            await Task.Yield();
            await turn.Command("UPDATE counter SET n = $n").Set("$n", n + 1).ExecuteNonQueryAsync();
            await turn.CommitAsync();
            Interlocked.Decrement(ref inside);
        })));

        Assert.Equal(0, overlaps);
        Assert.Equal(Writers, await ScalarAsync("SELECT n FROM counter"));
    }

    [Fact]
    public async Task The_writer_commits_with_synchronous_normal_while_pooled_connections_keep_full()
    {
        using (var turn = await _database.TakeWriteTurnAsync())
        {
            Assert.Equal(1L, await turn.Command("PRAGMA synchronous").ExecuteScalarAsync());
        }
        Assert.Equal(2, await ScalarAsync("PRAGMA synchronous"));
    }

    [Fact]
    public async Task Disposal_waits_for_the_turn_in_progress_then_refuses_turns()
    {
        var turn = await _database.TakeWriteTurnAsync();
        var disposing = _database.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted, "disposal must wait for the turn in progress");
        await turn.BeginAsync();
        await turn.Command(InsertProbe).Set("$x", 4).ExecuteNonQueryAsync();
        await turn.CommitAsync();
        turn.Dispose();
        await disposing;

        Assert.Equal(4, await ScalarAsync("SELECT SUM(x) FROM probe"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _database.TakeWriteTurnAsync().AsTask());
    }

    [Fact]
    public async Task An_invocation_batch_failing_midway_writes_none_of_its_records()
    {
        await ExecuteAsync("CREATE TRIGGER poison_invocation BEFORE INSERT ON invocations WHEN NEW.model = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
        var store = new SqliteInvocationStore(_database);

        await Assert.ThrowsAsync<SqliteException>(() => store.WriteBatchAsync([TestInvocations.Success("a", At), TestInvocations.Success("poison", At), TestInvocations.Success("b", At)]).AsTask());
        Assert.Equal(0, (await store.ListAsync(new InvocationQuery())).Total);

        await store.WriteBatchAsync([TestInvocations.Success("c", At)]);
        var page = await store.ListAsync(new InvocationQuery());
        Assert.Equal(["c"], page.Items.Select(i => i.Model));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await _database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
