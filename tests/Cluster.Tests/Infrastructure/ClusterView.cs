using System.Text.Json.Nodes;

namespace LlmRouter.Cluster.Tests.Infrastructure;

/// <summary>Reads GET /cluster from a node, as a local caller (an admin under the localhost rule).</summary>
internal static class ClusterView
{
    private const string ModelGrain = "LlmRouter.Grains.Limits.ModelGrain";

    /// <summary>The grain class local models run in.</summary>
    public const string LocalModelGrain = "LlmRouter.LocalModels.Grains.LocalModelGrain";

    /// <summary>Model grain activations per active silo, by silo name (the node id).</summary>
    public static Task<Dictionary<string, int>> ModelGrainsAsync(RouterNodeProcess node) => ActivationsAsync(node, ModelGrain);

    /// <summary>Activations of one grain class per active silo, by silo name (the node id).</summary>
    public static async Task<Dictionary<string, int>> ActivationsAsync(RouterNodeProcess node, string grainType) =>
        (await ActiveSilosAsync(node)).ToDictionary(
            silo => silo["name"]!.GetValue<string>(),
            silo => silo["grains"]!.AsArray().Where(g => g!["grain_type"]!.GetValue<string>() == grainType).Sum(g => g!["activations"]!.GetValue<int>()));

    /// <summary>Each active silo's role as the node shows it, by silo name.</summary>
    public static async Task<Dictionary<string, string>> RolesAsync(RouterNodeProcess node) =>
        (await ActiveSilosAsync(node)).ToDictionary(silo => silo["name"]!.GetValue<string>(), silo => silo["role"]!.GetValue<string>());

    private static async Task<JsonNode[]> ActiveSilosAsync(RouterNodeProcess node)
    {
        using var http = new HttpClient { BaseAddress = node.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var cluster = JsonNode.Parse(await http.GetStringAsync("/cluster"))!;
        return cluster["silos"]!.AsArray().Select(silo => silo!).Where(silo => silo["status"]!.GetValue<string>() == "active").ToArray();
    }

    /// <summary>The node whose silo gained a model grain between two readings of <see cref="ModelGrainsAsync"/>.</summary>
    public static RouterNodeProcess HostOfNewModelGrain(IReadOnlyList<RouterNodeProcess> nodes, Dictionary<string, int> before, Dictionary<string, int> after)
    {
        var host = Assert.Single(after, silo => silo.Value > before.GetValueOrDefault(silo.Key)).Key;
        return Assert.Single(nodes, node => node.NodeId == host);
    }
}
