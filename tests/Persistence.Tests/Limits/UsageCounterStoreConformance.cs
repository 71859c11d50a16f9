using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Limits;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>
/// The usage counters are the invocation log's own sums, run against each store: per model, key and session, every
/// call the log holds counts once and a call the router refused itself counts not at all; a model's and a key's
/// counters keep what retention deleted from the log. Names are unique per test, so facts can share one database.
/// </summary>
public abstract class UsageCounterStoreConformance
{
    private static readonly DateTimeOffset Start = new(2025, 3, 31, 23, 59, 0, TimeSpan.Zero);

    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The database under test, migrated, and an invocation store writing to it.</summary>
    protected abstract Task<(IInvocationStore Log, StoreDialect Dialect)> StoreAsync();

    [StoreFact]
    public async Task Counters_are_the_logs_sums_per_model_key_and_session()
    {
        var (log, dialect) = await StoreAsync();
        var counters = new UsageCounterStore(dialect);
        var (model, slashed, key, other, session) = (Name("gpt-x"), Name("org/gpt-y"), Name("key"), Name("other-key"), Name("session"));
        InvocationRecord[] records =
        [
            Record(model, 10, 5, 0.0000015m, InvocationStatus.Success) with { ApiKeyId = key, SessionId = session },
            Record(model, 20, 7, 0.0000025m, InvocationStatus.Error) with { ApiKeyId = key },
            Record(model, 3, 0, 0.0000001m, InvocationStatus.ClientClosed) with { SessionId = session },
            Record(slashed, 1, 1, 0.000000003m, InvocationStatus.Success) with { ApiKeyId = other },
            Record(model, 0, 0, 0m, InvocationStatus.Rejected) with { ApiKeyId = key, SessionId = session },
        ];
        // Two batches across a month's edge: counters add up more than one roll-up row.
        await log.WriteBatchAsync(records[..2]);
        await log.WriteBatchAsync(records[2..].Select(r => r with { CreatedAt = Start.AddMinutes(2) }).ToArray());

        Assert.Equal(new UsageCounters(3, 33, 12, 0.0000041m), await counters.GetUsageAsync(UsageScope.Model, "fake/" + model));
        Assert.Equal(new UsageCounters(1, 1, 1, 0.000000003m), await counters.GetUsageAsync(UsageScope.Model, "fake/" + slashed));
        Assert.Equal(new UsageCounters(2, 30, 12, 0.000004m), await counters.GetUsageAsync(UsageScope.ApiKey, key));
        Assert.Equal(new UsageCounters(1, 1, 1, 0.000000003m), await counters.GetUsageAsync(UsageScope.ApiKey, other));
        Assert.Equal(new UsageCounters(2, 13, 5, 0.0000016m), await counters.GetUsageAsync(UsageScope.Session, session));
        Assert.Equal(UsageCounters.None, await counters.GetUsageAsync(UsageScope.ApiKey, Name("never-used")));
        Assert.Equal(UsageCounters.None, await counters.GetUsageAsync(UsageScope.Model, "other/" + model));
    }

    [StoreFact]
    public async Task A_models_and_a_keys_counters_keep_what_retention_deleted_from_the_log()
    {
        var (log, dialect) = await StoreAsync();
        var counters = new UsageCounterStore(dialect);
        var (model, key) = (Name("kept"), Name("kept-key"));
        var records = Enumerable.Range(0, 40).Select(i => Record(model, i, 2, 0.000001m, InvocationStatus.Success) with
        {
            ApiKeyId = key,
            CreatedAt = Start.AddDays(-40 + i),
        }).ToArray();
        await log.WriteBatchAsync(records);

        while (await log.DeleteOlderThanAsync(Start.AddDays(-10), 100) > 0)
        {
        }

        var expected = new UsageCounters(40, records.Sum(r => r.PromptTokens), 80, 0.00004m);
        Assert.Equal(expected, await counters.GetUsageAsync(UsageScope.Model, "fake/" + model));
        Assert.Equal(expected, await counters.GetUsageAsync(UsageScope.ApiKey, key));
    }

    private string Name(string name) => _prefix + "-" + name;

    private static InvocationRecord Record(string model, long prompt, long completion, decimal cost, InvocationStatus status) => new()
    {
        CreatedAt = Start,
        ClientFormat = "openai",
        Provider = "fake",
        Model = model,
        Status = status,
        HttpStatus = status == InvocationStatus.Success ? 200 : 429,
        PromptTokens = prompt,
        CompletionTokens = completion,
        Cost = cost,
    };
}
