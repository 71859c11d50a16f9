using LlmRouter.Abstractions.Configuration;
using LlmRouter.Grains.Routing;
using LlmRouter.Grains.Routing.Balancing;

namespace LlmRouter.Grains.Tests.Routing;

/// <summary>Each strategy's distribution, with the randomness, latencies and load under the test's control.</summary>
public sealed class BalancingStrategyTests
{
    private readonly LatencyTracker _latencies = new(new StaticConfig(new RouterConfig()));
    private readonly InFlightTracker _load = new();

    private IBalancingStrategy Strategy(string name, Func<double>? random = null) =>
        BuiltInStrategies.Create(_latencies, _load, random ?? (() => 0.5)).Single(s => s.Name == name);

    private static BalancedMember[] Members(params (string Name, int Weight)[] members) =>
        members.Select(m => new BalancedMember(m.Name, m.Weight)).ToArray();

    private static string Picks(IBalancingStrategy strategy, BalancedMember[] members, int count)
    {
        var rotation = new SmoothWeightedRoundRobin();
        return string.Concat(Enumerable.Range(0, count).Select(_ => members[strategy.Order(members, rotation)[0]].Name));
    }

    [Fact]
    public void Round_robin_spreads_weights_3_to_1_evenly_as_nginx_does()
    {
        var picks = Picks(Strategy(BalancingStrategies.RoundRobin), Members(("a", 3), ("b", 1)), 8);

        Assert.Equal("aabaaaba", picks);
    }

    [Fact]
    public void Round_robin_interleaves_5_1_1_like_nginx()
    {
        var picks = Picks(Strategy(BalancingStrategies.RoundRobin), Members(("a", 5), ("b", 1), ("c", 1)), 14);

        Assert.Equal("aabacaaaabacaa", picks);
    }

    [Fact]
    public void Round_robin_orders_the_others_for_fallback_by_who_is_due_next()
    {
        var members = Members(("a", 3), ("b", 1), ("c", 2));
        var rotation = new SmoothWeightedRoundRobin();
        var strategy = Strategy(BalancingStrategies.RoundRobin);

        // a: 3-6=-3, b: 1, c: 2 → a first, then c (2), then b (1).
        Assert.Equal([0, 2, 1], strategy.Order(members, rotation));
        // a: 0, b: 2, c: 4 → c first (c: -2), then b (2), then a (0).
        Assert.Equal([2, 1, 0], strategy.Order(members, rotation));
    }

    [Fact]
    public void Round_robin_starts_over_when_the_members_change()
    {
        var rotation = new SmoothWeightedRoundRobin();
        var strategy = Strategy(BalancingStrategies.RoundRobin);
        strategy.Order(Members(("a", 1), ("b", 1)), rotation);

        var changed = Members(("a", 1), ("c", 1));

        Assert.Equal(0, strategy.Order(changed, rotation)[0]);
    }

    [Theory]
    [InlineData(BalancingStrategies.RoundRobin)]
    [InlineData(BalancingStrategies.Random)]
    [InlineData(BalancingStrategies.LeastLatency)]
    [InlineData(BalancingStrategies.LeastBusy)]
    public void A_member_of_weight_0_is_never_first_and_stands_by_last(string name)
    {
        var members = Members(("standby", 0), ("a", 1), ("b", 1));
        var strategy = Strategy(name);
        var rotation = new SmoothWeightedRoundRobin();

        for (var i = 0; i < 6; i++)
        {
            var order = strategy.Order(members, rotation);
            Assert.Equal(3, order.Length);
            Assert.Equal(0, order[^1]);
        }
    }

    [Fact]
    public void Weighted_random_maps_each_draw_onto_the_cumulative_weights()
    {
        var members = Members(("a", 3), ("b", 1));
        // Each Order call draws once per weighted member; only the first draw decides who comes first.
        var draws = new Queue<double>([0.0, 0.5, 0.74, 0.5, 0.76, 0.5, 0.999, 0.5]);
        var strategy = Strategy(BalancingStrategies.Random, () => draws.Dequeue());
        var rotation = new SmoothWeightedRoundRobin();

        var firsts = Enumerable.Range(0, 4).Select(_ => members[strategy.Order(members, rotation)[0]].Name);

        Assert.Equal(["a", "a", "b", "b"], firsts);
        Assert.Empty(draws);
    }

    [Fact]
    public void Weighted_random_follows_the_weights_over_many_draws()
    {
        var random = new Random(20251122);
        var strategy = Strategy(BalancingStrategies.Random, random.NextDouble);
        var members = Members(("a", 3), ("b", 1), ("c", 4));
        var rotation = new SmoothWeightedRoundRobin();
        var counts = new int[3];

        for (var i = 0; i < 40_000; i++)
        {
            counts[strategy.Order(members, rotation)[0]]++;
        }

        // Expected 15000, 5000, 20000; the bound is over 9 standard deviations of a binomial, with a fixed seed.
        Assert.InRange(counts[0], 14_100, 15_900);
        Assert.InRange(counts[1], 4_400, 5_600);
        Assert.InRange(counts[2], 19_100, 20_900);
    }

    [Fact]
    public void Least_latency_tries_unobserved_members_then_keeps_to_the_fastest()
    {
        var members = Members(("p/a", 1), ("p/b", 1), ("p/c", 1));
        _latencies.Observe("p/a", 100);
        _latencies.Observe("p/b", 50);
        var strategy = Strategy(BalancingStrategies.LeastLatency);
        var rotation = new SmoothWeightedRoundRobin();

        Assert.Equal([2, 1, 0], strategy.Order(members, rotation));

        _latencies.Observe("p/c", 400);

        Assert.Equal([1, 0, 2], strategy.Order(members, rotation));
        Assert.Equal([1, 0, 2], strategy.Order(members, rotation));
    }

    [Fact]
    public void Least_latency_average_weighs_the_newest_sample_by_alpha()
    {
        _latencies.Observe("p/a", 100);
        _latencies.Observe("p/a", 200);

        Assert.Equal(100 + LatencyAverage.Alpha * 100, _latencies.LatencyMs("p/a")!.Value, 6);
        Assert.Equal(2, _latencies.Samples("p/a"));
        Assert.Null(_latencies.LatencyMs("p/never"));
    }

    [Fact]
    public void Least_latency_ties_take_turns_by_weight()
    {
        var picks = Picks(Strategy(BalancingStrategies.LeastLatency), Members(("a", 2), ("b", 1)), 6);

        Assert.Equal("abaaba", picks);
    }

    [Fact]
    public void Least_busy_prefers_the_fewest_calls_in_flight_per_weight()
    {
        var members = Members(("p/a", 2), ("p/b", 1));
        var strategy = Strategy(BalancingStrategies.LeastBusy);
        var rotation = new SmoothWeightedRoundRobin();
        _load.Started("p/a");
        _load.Started("p/b");

        // a: 1/2 against b: 1/1.
        Assert.Equal([0, 1], strategy.Order(members, rotation));

        _load.Started("p/a");
        _load.Started("p/a");

        // a: 3/2 against b: 1/1.
        Assert.Equal([1, 0], strategy.Order(members, rotation));

        _load.Finished("p/a");
        _load.Finished("p/a");
        _load.Finished("p/b");

        // a: 1/2 against b: 0/1.
        Assert.Equal([1, 0], strategy.Order(members, rotation));
        Assert.Equal(1, _load.InFlight("p/a"));
        Assert.Equal(0, _load.InFlight("p/b"));
    }

    [Fact]
    public void Least_busy_ties_take_turns_by_weight()
    {
        var picks = Picks(Strategy(BalancingStrategies.LeastBusy), Members(("a", 1), ("b", 1)), 4);

        Assert.Equal("abab", picks);
    }
}
