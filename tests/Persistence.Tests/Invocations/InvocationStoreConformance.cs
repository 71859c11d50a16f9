using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Invocations;

/// <summary>The invocation log facts every store must show: batched writes, filtered newest-first pages, full reads.</summary>
public abstract class InvocationStoreConformance
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A store on a migrated database, shared by the calls of one test, reading time windows as <paramref name="plan"/>
    /// says (null: as it chooses, sorting windows of at most <paramref name="sortedWindowRowsAtMost"/> matches).
    /// </summary>
    protected abstract Task<IInvocationStore> StoreAsync(WindowPlan? plan, long sortedWindowRowsAtMost);

    private Task<IInvocationStore> StoreAsync() => StoreAsync(null, InvocationStore.DefaultSortedWindowRows);

    /// <summary>The migration that builds the id bounds of each hour from the log (19 on SQLite, 21 on PostgreSQL).</summary>
    protected abstract int IdBoundsMigration { get; }

    /// <summary>Runs SQL on the stores' database.</summary>
    protected abstract Task ExecuteAsync(string sql);

    /// <summary>Applies the migrations the database lacks.</summary>
    protected abstract Task MigrateAsync();

    /// <summary>The store as it chooses, and forced to each plan (and to each choice, with no or every window sorted).</summary>
    private async Task<IInvocationStore[]> EveryPlanAsync() =>
    [
        await StoreAsync(), await StoreAsync(null, -1), await StoreAsync(null, long.MaxValue),
        await StoreAsync(WindowPlan.Newest, 0), await StoreAsync(WindowPlan.Sorted, 0), await StoreAsync(WindowPlan.Bounded, 0),
        await StoreAsync(WindowPlan.BoundedByStatus, 0),
    ];

    [StoreFact]
    public async Task A_batch_reads_back_field_for_field_newest_first()
    {
        var store = await StoreAsync();
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        var first = Record(model, 0) with
        {
            Node = "node-a", ApiKeyId = "key-1", ApiKeyName = "team", SessionId = "sess-1", Status = InvocationStatus.Error, HttpStatus = 502,
            Error = "upstream failed", Cost = 0.000123456m, TimeToFirstTokenMs = 42, Stream = true, Attempts = 2, UsageEstimated = true,
            RequestBody = "{\"a\":1}", ResponseBody = "失败", RawResponse = "raw", Group = "fast-group", Rule = "code-rule",
            Endpoint = "/v1/embeddings",
        };
        var second = Record(model, 1);
        await store.WriteBatchAsync([first, second]);

        var page = await store.ListAsync(new InvocationQuery { Model = model });
        Assert.Equal(2, page.Total);
        Assert.Equal([second.CreatedAt, first.CreatedAt], page.Items.Select(i => i.CreatedAt));
        var listed = page.Items[1];
        Assert.Null(listed.RequestBody);
        var read = await store.GetAsync(listed.Id);
        Assert.NotNull(read);
        Assert.Equal(first with { Id = listed.Id }, read);
        Assert.Null((await store.GetAsync(page.Items[0].Id))!.TimeToFirstTokenMs);
        Assert.Equal([false, true], page.Items.Select(i => i.UsageEstimated));
        Assert.Equal([null, "/v1/embeddings"], page.Items.Select(i => i.Endpoint));
    }

    [StoreFact]
    public async Task Filters_and_paging_select_the_matching_rows()
    {
        var store = await StoreAsync();
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        var records = Enumerable.Range(0, 10).Select(i => Record(model, i) with
        {
            Provider = i % 2 == 0 ? "even" : "odd",
            Status = i < 3 ? InvocationStatus.ClientClosed : InvocationStatus.Success,
            ApiKeyId = i is 7 or 8 ? "key-7" : null,
            ApiKeyName = i is 7 or 8 ? "team-7" : null,
        }).ToArray();
        await store.WriteBatchAsync(records);

        Assert.Equal(5, (await store.ListAsync(new InvocationQuery { Model = model, Provider = "odd" })).Total);
        Assert.Equal(3, (await store.ListAsync(new InvocationQuery { Model = model, Status = InvocationStatus.ClientClosed })).Total);
        Assert.Equal(2, (await store.ListAsync(new InvocationQuery { Model = model, ApiKey = "key-7" })).Total);
        Assert.Equal(2, (await store.ListAsync(new InvocationQuery { Model = model, ApiKey = "team-7" })).Total);
        var window = await store.ListAsync(new InvocationQuery { Model = model, Start = Start.AddMinutes(2), End = Start.AddMinutes(5) });
        Assert.Equal([4, 3, 2], window.Items.Select(i => (int)(i.CreatedAt - Start).TotalMinutes));
        var paged = await store.ListAsync(new InvocationQuery { Model = model, Limit = 3, Offset = 3 });
        Assert.Equal(10, paged.Total);
        Assert.Equal([6, 5, 4], paged.Items.Select(i => (int)(i.CreatedAt - Start).TotalMinutes));
        Assert.Null(await store.GetAsync(long.MaxValue));
    }

    [StoreFact]
    public async Task Keyset_paging_reads_on_from_the_last_id_of_a_page_with_the_filters_kept()
    {
        var store = await StoreAsync();
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        await store.WriteBatchAsync(Enumerable.Range(0, 10).Select(i => Record(model, i) with { Provider = i % 2 == 0 ? "even" : "odd" }).ToArray());
        var all = (await store.ListAsync(new InvocationQuery { Model = model })).Items.Select(i => i.Id).ToArray();

        var first = await store.ListAsync(new InvocationQuery { Model = model, Limit = 4 });
        var second = await store.ListAsync(new InvocationQuery { Model = model, Limit = 4, BeforeId = first.Items[^1].Id });
        var last = await store.ListAsync(new InvocationQuery { Model = model, Limit = 4, BeforeId = second.Items[^1].Id });

        Assert.Equal(all, first.Items.Concat(second.Items).Concat(last.Items).Select(i => i.Id));
        Assert.Equal([10L, 10L, 10L], new[] { first.Total, second.Total, last.Total });
        var odd = await store.ListAsync(new InvocationQuery { Model = model, Provider = "odd", BeforeId = all[2] });
        Assert.Equal(all.Skip(3).Where((_, i) => i % 2 == 1), odd.Items.Select(i => i.Id));
        Assert.Equal(5, odd.Total);
    }

    [StoreFact]
    public async Task A_time_window_lists_the_same_rows_read_whole_and_sorted_as_walked_newest_first()
    {
        var store = await StoreAsync();
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        // Written out of time order, so ids do not follow time inside the old window; then newer calls an hour on.
        int[] minutes = [3, 0, 5, 1, 4, 2];
        var old = minutes.Select(minute => Record(model, minute));
        await store.WriteBatchAsync(old.Concat(Enumerable.Range(60, 20).Select(minute => Record(model, minute))).ToArray());
        var logged = (await store.ListAsync(new InvocationQuery { Model = model, Limit = 1000 })).Items;
        Assert.Equal(26, logged.Count);
        var oldest = logged.Skip(20).ToArray();
        Assert.NotEqual(oldest.OrderByDescending(i => i.CreatedAt).Select(i => i.Id), oldest.Select(i => i.Id));
        // Read whole and sorted, walked from the newest call, walked between the window's id bounds, and as chosen.
        var stores = await EveryPlanAsync();
        (DateTimeOffset Start, DateTimeOffset? End)[] windows =
            [(Start, Start.AddMinutes(10)), (Start, Start.AddYears(1)), (Start.AddMinutes(2), null), (Start.AddMinutes(61), Start.AddMinutes(70))];
        foreach (var (start, end) in windows)
        {
            var inWindow = logged.Where(i => i.CreatedAt >= start && (end is null || i.CreatedAt < end)).ToArray();
            var middle = inWindow[inWindow.Length / 2].Id;
            var window = new InvocationQuery { Model = model, Start = start, End = end, Limit = 4 };
            foreach (var (query, expected) in new[]
            {
                (window, inWindow.Take(4)),
                (window with { Offset = 2 }, inWindow.Skip(2).Take(4)),
                (window with { BeforeId = middle }, inWindow.Where(i => i.Id < middle).Take(4)),
            })
            {
                foreach (var each in stores)
                {
                    var page = await each.ListAsync(query);
                    Assert.Equal(expected.Select(i => i.Id), page.Items.Select(i => i.Id));
                    Assert.Equal(expected.Select(i => i.CreatedAt), page.Items.Select(i => i.CreatedAt));
                    Assert.Equal(inWindow.Length, page.Total);
                }
            }
        }
    }

    [StoreFact]
    public async Task Every_plan_lists_the_pages_and_totals_of_the_logged_rows_for_many_windows_and_filters()
    {
        var log = await WindowLog.WriteAsync(await StoreAsync());
        await AssertPagesAsync(log, await EveryPlanAsync(), seed: 21, queries: 150);
    }

    [StoreFact]
    public async Task Every_plan_lists_the_pages_and_totals_of_the_logged_rows_for_many_windows_filtered_by_status()
    {
        var log = await WindowLog.WriteAsync(await StoreAsync());
        await AssertPagesAsync(log, await EveryPlanAsync(), seed: 22, queries: 150, byStatus: true);
    }

    [StoreFact]
    public async Task The_id_bounds_migration_builds_the_bounds_of_a_log_written_before_them()
    {
        var log = await WindowLog.WriteAsync(await StoreAsync());
        // Back to the schema before the bounds, with the log kept: then migrate again.
        await ExecuteAsync($"DROP TABLE invocation_id_bounds; DELETE FROM schema_migrations WHERE version = {IdBoundsMigration}");

        await MigrateAsync();

        await AssertPagesAsync(log, [await StoreAsync(WindowPlan.Bounded, 0)], seed: 19, queries: 100);
    }

    private static async Task AssertPagesAsync(WindowLog log, IInvocationStore[] stores, int seed, int queries, bool byStatus = false)
    {
        var random = new Random(seed);
        for (var i = 0; i < queries; i++)
        {
            var (query, matches) = log.RandomQuery(random, byStatus);
            var expected = matches.Skip(query.Offset).Take(query.Limit).Select(r => (r.Id, r.CreatedAt)).ToArray();
            foreach (var each in stores)
            {
                var page = await each.ListAsync(query);
                Assert.True(expected.SequenceEqual(page.Items.Select(r => (r.Id, r.CreatedAt))), $"{query} on {Array.IndexOf(stores, each)}");
                Assert.Equal(log.Total(query), page.Total);
            }
        }
    }

    [StoreFact]
    public async Task The_model_filter_takes_a_bare_name_or_provider_slash_model()
    {
        var store = await StoreAsync();
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        await store.WriteBatchAsync(
        [
            Record(model, 0) with { Provider = "p1" },
            Record(model, 1) with { Provider = "p2" },
            Record("org/" + model, 2) with { Provider = "p1" },
        ]);

        async Task<string[]> Listed(string filter, string? provider = null) =>
            (await store.ListAsync(new InvocationQuery { Model = filter, Provider = provider })).Items.Select(i => $"{i.Provider}/{i.Model}").ToArray();

        Assert.Equal([$"p2/{model}", $"p1/{model}"], await Listed(model));
        Assert.Equal([$"p1/{model}"], await Listed($"p1/{model}"));
        Assert.Equal([$"p2/{model}"], await Listed($"p2/{model}"));
        Assert.Equal([$"p1/org/{model}"], await Listed($"org/{model}"));
        Assert.Equal([$"p1/org/{model}"], await Listed($"p1/org/{model}"));
        Assert.Empty(await Listed($"p3/{model}"));
        Assert.Empty(await Listed($"p1/{model}", provider: "p2"));
        Assert.Equal(1, (await store.ListAsync(new InvocationQuery { Model = $"p1/{model}" })).Total);
    }

    [StoreFact]
    public async Task Pruning_deletes_the_oldest_rows_before_the_cutoff_a_batch_at_a_time()
    {
        var store = await StoreAsync();
        var model = "m-" + Guid.NewGuid().ToString("N")[..8];
        var old = Start.AddYears(-30);
        await store.WriteBatchAsync(Enumerable.Range(0, 5).Select(i => Record(model, i) with { CreatedAt = old.AddMinutes(i) }).Append(Record(model, 0)).ToArray());
        Assert.Equal(3, await store.DeleteOlderThanAsync(old.AddMinutes(10), 3));
        Assert.Equal(2, await store.DeleteOlderThanAsync(old.AddMinutes(10), 3));
        Assert.Equal(0, await store.DeleteOlderThanAsync(old.AddMinutes(10), 3));
        var left = await store.ListAsync(new InvocationQuery { Model = model });
        Assert.Equal(Start, Assert.Single(left.Items).CreatedAt);
    }

    private static InvocationRecord Record(string model, int minute) =>
        TestInvocations.Success(model, Start.AddMinutes(minute)) with { PromptTokens = 11 + minute };
}
