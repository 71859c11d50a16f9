using System.Text.Json.Nodes;

namespace LlmRouter.Cluster.Tests.Infrastructure;

/// <summary>Reads GET /cluster from a node, as a local caller (an admin under the localhost rule).</summary>
internal static class ClusterView
{
    private const string ModelGrain = "LlmRouter.Grains.Limits.ModelGrain";

    /// <summary>Model grain activations per active silo, by silo name (the node id).</summary>
    public static async Task<Dictionary<string, int>> ModelGrainsAsync(RouterNodeProcess node)
    {
        using var http = new HttpClient { BaseAddress = node.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var cluster = JsonNode.Parse(await http.GetStringAsync("/cluster"))!;
        return cluster["silos"]!.AsArray()
            .Where(silo => silo!["status"]!.GetValue<string>() == "active")
            .ToDictionary(
                silo => silo!["name"]!.GetValue<string>(),
                silo => silo!["grains"]!.AsArray().Where(g => g!["grain_type"]!.GetValue<string>() == ModelGrain).Sum(g => g!["activations"]!.GetValue<int>()));
    }

    /// <summary>The node whose silo gained a model grain between two readings of <see cref="ModelGrainsAsync"/>.</summary>
    public static RouterNodeProcess HostOfNewModelGrain(IReadOnlyList<RouterNodeProcess> nodes, Dictionary<string, int> before, Dictionary<string, int> after)
    {
        var host = Assert.Single(after, silo => silo.Value > before.GetValueOrDefault(silo.Key)).Key;
        return Assert.Single(nodes, node => node.NodeId == host);
    }
}
