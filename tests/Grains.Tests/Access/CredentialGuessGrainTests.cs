using LlmRouter.Abstractions.Grains;
using LlmRouter.Grains.Access;
using LlmRouter.Grains.Tests.Limits;

namespace LlmRouter.Grains.Tests.Access;

/// <summary>
/// A client address's guessing window on a three-silo cluster: failures counted through every silo fill one window, so
/// three nodes do not give a guesser three windows; the lockout ends with its minute and the count starts again.
/// </summary>
public sealed class CredentialGuessGrainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    private LimitGrainCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await LimitGrainCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ICredentialGuessGrain Address(int silo, string address) => _cluster.Factories[silo % _cluster.Factories.Count].GetGrain<ICredentialGuessGrain>(address);

    [Fact]
    public async Task Failures_through_every_silo_fill_one_window_per_address()
    {
        var answers = new List<DateTimeOffset?>();
        for (var i = 0; i < CredentialGuessGrain.MaxFailures; i++)
        {
            answers.Add(await Address(i, "198.51.100.7").FailedAsync(T0.AddSeconds(i)));
        }
        var other = await Address(0, "198.51.100.8").FailedAsync(T0.AddSeconds(10));

        Assert.All(answers.Take(CredentialGuessGrain.MaxFailures - 1), a => Assert.Null(a));
        Assert.Equal(T0 + CredentialGuessGrain.Window, answers[^1]);
        Assert.Null(other);
    }

    [Fact]
    public async Task Concurrent_failures_through_every_silo_are_each_counted_once()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 3 * CredentialGuessGrain.MaxFailures).Select(i =>
            Address(i, "203.0.113.9").FailedAsync(T0).AsTask()));

        Assert.Equal(CredentialGuessGrain.MaxFailures - 1, answers.Count(a => a is null));
        Assert.All(answers.Where(a => a is not null), a => Assert.Equal(T0 + CredentialGuessGrain.Window, a));
    }

    [Fact]
    public async Task A_lockout_ends_with_its_minute_and_the_count_starts_again()
    {
        for (var i = 0; i < CredentialGuessGrain.MaxFailures - 1; i++)
        {
            Assert.Null(await Address(i, "203.0.113.20").FailedAsync(T0));
        }
        var locked = await Address(2, "203.0.113.20").FailedAsync(T0.AddSeconds(45));
        var afterMinute = await Address(1, "203.0.113.20").FailedAsync(T0 + CredentialGuessGrain.Window);

        Assert.Equal(T0 + CredentialGuessGrain.Window, locked);
        Assert.Null(afterMinute);
    }

    [Fact]
    public async Task A_lockout_is_published_once_to_every_node_through_the_change_feed()
    {
        var lockouts = _cluster.Factories[0].GetGrain<ICredentialLockoutsGrain>(0);
        var feed = _cluster.Factories[1].GetGrain<IChangeFeedGrain>(0);
        var before = await lockouts.GetSinceAsync(Guid.Empty, 0);

        for (var i = 0; i < CredentialGuessGrain.MaxFailures + 3; i++)
        {
            await Address(i, "192.0.2.44").FailedAsync(T0);
        }
        var published = await lockouts.GetSinceAsync(before.Epoch, before.Last);
        var again = await lockouts.GetSinceAsync(published.Epoch, published.Last);
        var fresh = await lockouts.GetSinceAsync(Guid.NewGuid(), published.Last);

        Assert.Empty(before.Lockouts);
        Assert.Equal([new CredentialLockout("192.0.2.44", T0 + CredentialGuessGrain.Window)], published.Lockouts);
        Assert.Equal(1, (await feed.GetVersionsAsync()).Of(ClusterTopic.Lockouts));
        Assert.Empty(again.Lockouts);
        Assert.Equal(published.Lockouts, fresh.Lockouts);
    }
}
