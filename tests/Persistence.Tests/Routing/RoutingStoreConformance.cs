using LlmRouter.Abstractions.Routing;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Routing;

/// <summary>
/// The facts every store of REST routing rules must meet. Each store (SQLite here,
/// PostgreSQL later) derives from this class and supplies fresh, empty stores; two instances over the same data
/// stand for two nodes.
/// </summary>
public abstract class RoutingStoreConformance : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The database under test; every use makes a new rule store over it, as another node would.</summary>
    protected abstract StoreDialect Dialect { get; }

    private IRoutingRuleStore Rules => new RoutingRuleStore(Dialect);

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [StoreFact]
    public async Task Rules_are_listed_in_creation_order_and_replaced_in_place()
    {
        var (a, aCreated) = await Rules.UpsertAsync("a", """{"name":"a"}""", T0);
        await Rules.UpsertAsync("b", """{"name":"b"}""", T0.AddSeconds(1));
        var (a2, a2Created) = await Rules.UpsertAsync("a", """{"name":"a","priority":1}""", T0.AddSeconds(2));

        var listed = await Rules.ListAsync();

        Assert.True(aCreated);
        Assert.False(a2Created);
        Assert.True(a2.Version > a.Version);
        Assert.Equal(["a", "b"], listed.Select(d => d.Key));
        Assert.Equal("""{"name":"a","priority":1}""", listed[0].Json);
        Assert.Equal(T0.AddSeconds(2), listed[0].UpdatedAt);
    }

    [StoreFact]
    public async Task A_deleted_rule_is_gone_and_a_recreated_one_comes_last()
    {
        await Rules.UpsertAsync("a", "{}", T0);
        await Rules.UpsertAsync("b", "{}", T0);

        Assert.True(await Rules.DeleteAsync("a", T0));
        Assert.False(await Rules.DeleteAsync("a", T0));
        Assert.False(await Rules.DeleteAsync("never", T0));
        Assert.Equal(["b"], (await Rules.ListAsync()).Select(d => d.Key));
        var (_, created) = await Rules.UpsertAsync("a", "{}", T0);
        Assert.True(created);
        Assert.Equal(["b", "a"], (await Rules.ListAsync()).Select(d => d.Key));
    }

    [StoreFact]
    public async Task The_rule_revision_grows_with_every_change()
    {
        var seen = new List<long> { await Rules.RevisionAsync() };
        await Rules.UpsertAsync("a", "{}", T0);
        seen.Add(await Rules.RevisionAsync());
        await Rules.UpsertAsync("a", "{\"x\":1}", T0);
        seen.Add(await Rules.RevisionAsync());
        await Rules.DeleteAsync("a", T0);
        seen.Add(await Rules.RevisionAsync());
        await Rules.UpsertAsync("a", "{}", T0);
        seen.Add(await Rules.RevisionAsync());

        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [StoreFact]
    public async Task Nodes_creating_one_rule_at_once_see_it_created_once_and_every_change_kept()
    {
        await Rules.UpsertAsync("earlier", "{}", T0);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(async () => await Rules.UpsertAsync("r", $$"""{"n":{{i}}}""", T0.AddSeconds(i)))));

        Assert.Single(answers, a => a.Created);
        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), answers.Select(a => a.Document.Version).Order());
        Assert.Equal(["earlier", "r"], (await Rules.ListAsync()).Select(d => d.Key));
    }

}
