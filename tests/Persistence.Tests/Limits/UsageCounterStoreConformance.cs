using System.Data.Common;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Limits;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>
/// The facts every usage counter store must show, run against each store. Names are unique per test, so facts can
/// share one database.
/// </summary>
public abstract class UsageCounterStoreConformance
{
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12] + ":";

    protected ManualClock Clock { get; } = new();

    /// <summary>The database under test, migrated; facts make their store over it.</summary>
    protected abstract Task<StoreDialect> DialectAsync();

    /// <summary>SQL that makes every insert into usage_counters of the counter named <paramref name="id"/> fail.</summary>
    protected abstract string PoisonCounter(string id);

    private async Task<IUsageCounterStore> StoreAsync() => new UsageCounterStore(await DialectAsync(), Clock);

    [StoreFact]
    public async Task Counters_add_each_settlement_once_per_model_key_and_session()
    {
        var store = await StoreAsync();
        var model = Name("openai/gpt-x");
        var other = Name("openai/gpt-y");
        var key = Name("key");
        var session = Name("session");
        var a = Settlement(prompt: 10, completion: 5, cost: 1_500) with { ModelId = model, KeyId = key, SessionId = session };
        var b = Settlement(prompt: 20, completion: 7, cost: 2_500) with { ModelId = model, KeyId = key };
        var c = Settlement(prompt: 1, completion: 1, cost: 3) with { ModelId = other };
        await store.AddAsync([a, b]);
        await store.AddAsync([b, c, a]);

        Assert.Equal(new UsageCounters(2, 30, 12, 0.000004m), await store.GetUsageAsync(UsageScope.Model, model));
        Assert.Equal(new UsageCounters(1, 1, 1, 0.000000003m), await store.GetUsageAsync(UsageScope.Model, other));
        Assert.Equal(new UsageCounters(2, 30, 12, 0.000004m), await store.GetUsageAsync(UsageScope.ApiKey, key));
        Assert.Equal(new UsageCounters(1, 10, 5, 0.0000015m), await store.GetUsageAsync(UsageScope.Session, session));
        Assert.Equal(UsageCounters.None, await store.GetUsageAsync(UsageScope.ApiKey, Name("never-used")));
    }

    [StoreFact]
    public async Task Concurrent_batches_count_every_settlement_exactly_once()
    {
        var store = await StoreAsync();
        var model = Name("openai/gpt-z");
        var settlements = Enumerable.Range(0, 200).Select(i => Settlement(prompt: 1, completion: 2, cost: 10) with { ModelId = model }).ToArray();

        // Every settlement arrives twice, in batches sent at once (a retried write after a timeout looks like this).
        await Task.WhenAll(settlements.Concat(settlements).Chunk(25).Select(batch => Task.Run(async () => await store.AddAsync(batch))));

        Assert.Equal(new UsageCounters(200, 200, 400, 0.000002m), await store.GetUsageAsync(UsageScope.Model, model));
    }

    [StoreFact]
    public async Task A_settlement_listed_twice_in_one_batch_counts_once()
    {
        var store = await StoreAsync();
        var model = Name("openai/gpt-twice");
        var a = Settlement(prompt: 4, completion: 6, cost: 90) with { ModelId = model };

        await store.AddAsync([a, a]);

        Assert.Equal(new UsageCounters(1, 4, 6, NanoUsd.ToUsd(90)), await store.GetUsageAsync(UsageScope.Model, model));
    }

    [StoreFact]
    public async Task A_full_batch_counts_every_model_key_and_session_in_it()
    {
        var store = await StoreAsync();
        // 512 settlements (a full batch of the queue) over 300 sessions, 7 keys and 3 models: more rows than one statement takes.
        var settlements = Enumerable.Range(0, 512).Select(i => Settlement(prompt: i, completion: 1, cost: 2) with
        {
            ModelId = Name("m" + (i % 3)),
            KeyId = Name("k" + (i % 7)),
            SessionId = Name("s" + (i % 300)),
        }).ToArray();

        await store.AddAsync(settlements);
        await store.AddAsync(settlements.Reverse().ToArray());

        foreach (var (scope, name, ids) in new[] { (UsageScope.Model, "m", 3), (UsageScope.ApiKey, "k", 7), (UsageScope.Session, "s", 300) })
        {
            for (var j = 0; j < ids; j++)
            {
                var mine = settlements.Where((_, i) => i % ids == j).ToArray();
                var expected = new UsageCounters(mine.Length, mine.Sum(s => s.PromptTokens), mine.Length, NanoUsd.ToUsd(2L * mine.Length));
                Assert.Equal(expected, await store.GetUsageAsync(scope, Name(name + j)));
            }
        }
    }

    [StoreFact]
    public async Task A_batch_failing_midway_counts_none_of_it_and_can_be_settled_again()
    {
        var dialect = await DialectAsync();
        var store = await StoreAsync();
        var model = Name("m");
        var poison = Name("poison");
        await using (var connection = await dialect.OpenAsync(default))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = PoisonCounter(poison);
            await command.ExecuteNonQueryAsync();
        }
        var good = Settlement(prompt: 11, completion: 5, cost: 300) with { ModelId = model };
        var poisoned = Settlement(prompt: 1, completion: 0, cost: 0) with { ModelId = poison };

        await Assert.ThrowsAnyAsync<DbException>(() => store.AddAsync([good, poisoned]).AsTask());
        Assert.Equal(UsageCounters.None, await store.GetUsageAsync(UsageScope.Model, model));

        // The once-only mark of the good call was rolled back with its counts, so settling it again counts it, once.
        await store.AddAsync([good]);
        await store.AddAsync([good]);
        Assert.Equal(new UsageCounters(1, 11, 5, NanoUsd.ToUsd(300)), await store.GetUsageAsync(UsageScope.Model, model));
    }

    private string Name(string name) => _prefix + name;

    private static UsageSettlement Settlement(long prompt, long completion, long cost) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        ModelId = "unused",
        PromptTokens = prompt,
        CompletionTokens = completion,
        CostNanoUsd = cost,
    };
}
