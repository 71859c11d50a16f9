using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>
/// The invocation log's group commit over a real SQLite store: an append answers once its record is in the store,
/// records appended while a batch is being written share the next commit, a store that refuses for a while is retried
/// without writing anything twice, disposal drains what is queued, and a flood of refused calls is bounded.
/// </summary>
public sealed class BatchedInvocationLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task An_append_completes_only_once_its_record_is_in_the_store()
    {
        var store = new GatedStore(await SqliteStoreAsync());
        await using var log = new BatchedInvocationLog(store, NullLogger<BatchedInvocationLog>.Instance);

        store.Hold();
        var written = log.Append(TestInvocations.Success("first"));
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(written.IsCompleted);
        Assert.Equal(0, (await store.Inner.ListAsync(new InvocationQuery())).Total);

        store.Release();
        await written.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["first"], (await store.Inner.ListAsync(new InvocationQuery())).Items.Select(r => r.Model));
    }

    [Fact]
    public async Task Records_appended_during_a_write_share_the_next_commit()
    {
        var store = new GatedStore(await SqliteStoreAsync());
        await using var log = new BatchedInvocationLog(store, NullLogger<BatchedInvocationLog>.Instance);

        store.Hold();
        var first = log.Append(TestInvocations.Success("first"));
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(5));
        var later = Enumerable.Range(0, 100).Select(i => log.Append(TestInvocations.Success($"later-{i}"))).ToArray();
        var flushed = log.FlushAsync().AsTask();
        await Task.Delay(50);
        Assert.False(first.IsCompleted);
        Assert.All(later, t => Assert.False(t.IsCompleted));
        Assert.False(flushed.IsCompleted);

        store.Release();
        await Task.WhenAll(later.Append(first).Append(flushed)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([1, 100], store.BatchSizes);
        Assert.Equal(101, (await store.Inner.ListAsync(new InvocationQuery())).Total);
    }

    [Fact]
    public async Task A_store_that_refuses_for_a_while_is_retried_without_holding_requests_and_nothing_is_written_twice()
    {
        var store = new GatedStore(await SqliteStoreAsync()) { FailuresLeft = 4 };
        await using var log = new BatchedInvocationLog(store, NullLogger<BatchedInvocationLog>.Instance);

        // The request is let go at the first refusal, long before the retries (50+100+200+400 ms) succeed.
        var released = log.Append(TestInvocations.Success("retried"));
        await released.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, (await store.Inner.ListAsync(new InvocationQuery())).Total);
        Assert.True(store.Calls < 5);
        // While the store is failing, appends are not waited for either.
        Assert.True(log.Append(TestInvocations.Success("during")).IsCompleted);

        await log.FlushAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["during", "retried"], (await store.Inner.ListAsync(new InvocationQuery())).Items.Select(r => r.Model).Order());
        Assert.Equal([1, 1], store.BatchSizes);
        Assert.Equal(6, store.Calls);

        // Once the store takes writes again, requests wait for their own commit again.
        store.Hold();
        var after = log.Append(TestInvocations.Success("after"));
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.False(after.IsCompleted);
        store.Release();
        await after.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, (await store.Inner.ListAsync(new InvocationQuery())).Total);
    }

    [Fact]
    public async Task Disposal_drains_everything_appended_before_it()
    {
        var store = new GatedStore(await SqliteStoreAsync());
        var log = new BatchedInvocationLog(store, NullLogger<BatchedInvocationLog>.Instance);
        store.Hold();
        var appended = Enumerable.Range(0, 1200).Select(i => log.Append(TestInvocations.Success($"m-{i % 7}"))).ToArray();
        var disposing = log.DisposeAsync().AsTask();
        store.Release();
        await disposing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(appended, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(1200, (await store.Inner.ListAsync(new InvocationQuery())).Total);
        Assert.True(log.Append(TestInvocations.Success("late")).IsCompleted);
        Assert.Equal(1200, (await store.Inner.ListAsync(new InvocationQuery())).Total);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private async Task<IInvocationStore> SqliteStoreAsync()
    {
        var database = new SqliteDatabase(_directory.File("log.db"));
        await database.MigrateAsync();
        return new SqliteInvocationStore(database);
    }

    /// <summary>A real store whose writes can be held at the door, fail a number of times first, and are counted.</summary>
    [Fact]
    public async Task A_flood_of_refused_calls_while_the_store_is_busy_is_bounded_and_completed_calls_are_never_dropped()
    {
        var store = new GatedStore(await SqliteStoreAsync());
        await using var log = new BatchedInvocationLog(store, NullLogger<BatchedInvocationLog>.Instance);

        store.Hold();
        var first = log.Append(TestInvocations.Success("first"));
        await store.Entered.WaitAsync(TimeSpan.FromSeconds(5));
        var flood = BatchedInvocationLog.MaxQueuedRejected + 500;
        for (var i = 0; i < flood; i++)
        {
            // Dropped refusals answer at once: nobody waits for a record that will not be written.
            var appended = log.Append(TestInvocations.Success("refused") with { Status = InvocationStatus.Rejected, HttpStatus = 429 });
            Assert.Equal(i >= BatchedInvocationLog.MaxQueuedRejected, appended.IsCompleted);
        }
        var made = log.Append(TestInvocations.Success("made after the flood"));

        store.Release();
        await Task.WhenAll(first, made).WaitAsync(TimeSpan.FromSeconds(30));
        await log.FlushAsync();
        var rejected = await store.Inner.ListAsync(new InvocationQuery { Status = InvocationStatus.Rejected, Limit = 1 });
        Assert.Equal(BatchedInvocationLog.MaxQueuedRejected, rejected.Total);
        Assert.Equal(2, (await store.Inner.ListAsync(new InvocationQuery { Status = InvocationStatus.Success })).Total);

        // Once the queue has gone to the store, refusals are taken again.
        await log.Append(TestInvocations.Success("refused again") with { Status = InvocationStatus.Rejected }).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(BatchedInvocationLog.MaxQueuedRejected + 1, (await store.Inner.ListAsync(new InvocationQuery { Status = InvocationStatus.Rejected })).Total);
    }

    private sealed class GatedStore(IInvocationStore inner) : IInvocationStore
    {
        private TaskCompletionSource _gate = Open();
        private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IInvocationStore Inner => inner;

        public int FailuresLeft { get; set; }

        public int Calls { get; private set; }

        public List<int> BatchSizes { get; } = [];

        public Task Entered => _entered.Task;

        public void Hold()
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Release() => _gate.TrySetResult();

        public async ValueTask WriteBatchAsync(IReadOnlyList<InvocationRecord> records, CancellationToken cancellationToken = default)
        {
            Calls++;
            _entered.TrySetResult();
            await _gate.Task;
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new IOException("the store is restarting");
            }
            BatchSizes.Add(records.Count);
            await inner.WriteBatchAsync(records, cancellationToken);
        }

        public ValueTask<InvocationPage> ListAsync(InvocationQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);

        public ValueTask<InvocationRecord?> GetAsync(long id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);

        public ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken = default) =>
            inner.DeleteOlderThanAsync(cutoff, limit, cancellationToken);

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.TrySetResult();
            return open;
        }
    }
}
