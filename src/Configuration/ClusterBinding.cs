using System.Globalization;

namespace LlmRouter.Configuration;

/// <summary>
/// Binds and checks the [cluster] keys the Orleans silo runs with (ports, advertised address, cluster id, persist
/// interval, dashboard), from router.toml and from their <c>LLM_ROUTER_*</c> variables, which win.
/// </summary>
internal static class ClusterBinding
{
    /// <summary>The longest write-behind interval accepted: beyond it a killed silo would forget too much.</summary>
    public const double MaxPersistIntervalSeconds = 60;

    public static ClusterConfig Orleans(TomlSection s, ClusterConfig cluster)
    {
        var address = s.OptionalString("advertised_address");
        if (address is not null && AddressProblem(address) is { } addressProblem)
        {
            throw s.Error("advertised_address", addressProblem + " in [cluster]");
        }
        var clusterId = s.OptionalString("cluster_id");
        if (clusterId is not null && ClusterIdProblem(clusterId) is { } idProblem)
        {
            throw s.Error("cluster_id", idProblem + " in [cluster]");
        }
        return cluster with
        {
            SiloPort = s.OptionalInt("silo_port", 0, 65535) ?? cluster.SiloPort,
            GatewayPort = s.OptionalInt("gateway_port", 0, 65535) ?? cluster.GatewayPort,
            AdvertisedAddress = address ?? cluster.AdvertisedAddress,
            ClusterId = clusterId ?? cluster.ClusterId,
            PersistIntervalSeconds = s.OptionalNumber("persist_interval", 0.01, MaxPersistIntervalSeconds) ?? cluster.PersistIntervalSeconds,
            Dashboard = s.Bool("dashboard", cluster.Dashboard),
        };
    }

    public static ClusterConfig FromEnvironment(RouterEnvironment environment, ClusterConfig cluster) => cluster with
    {
        SiloPort = Port(environment, "LLM_ROUTER_SILO_PORT") ?? cluster.SiloPort,
        GatewayPort = Port(environment, "LLM_ROUTER_GATEWAY_PORT") ?? cluster.GatewayPort,
        AdvertisedAddress = Checked(environment, "LLM_ROUTER_ADVERTISED_ADDRESS", AddressProblem) ?? cluster.AdvertisedAddress,
        ClusterId = Checked(environment, "LLM_ROUTER_CLUSTER_ID", ClusterIdProblem) ?? cluster.ClusterId,
        PersistIntervalSeconds = PersistInterval(environment) ?? cluster.PersistIntervalSeconds,
    };

    private static string? AddressProblem(string address) =>
        Uri.CheckHostName(address) is UriHostNameType.Unknown ? $"advertised_address '{address}' is neither an IP address nor a host name" : null;

    private static string? ClusterIdProblem(string id) =>
        id.Length is 0 or > 100 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? $"cluster_id '{id}' must be 1 to 100 letters, digits, '-', '_' or '.'"
            : null;

    private static string? Checked(RouterEnvironment environment, string name, Func<string, string?> problem)
    {
        if (environment.Get(name) is not { Length: > 0 } text)
        {
            return null;
        }
        return problem(text) is { } reason ? throw new ConfigException($"environment variable {name}: {reason}") : text;
    }

    private static int? Port(RouterEnvironment environment, string name)
    {
        var text = environment.Get(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new ConfigException($"environment variable {name}='{text}' must be a port from 0 to 65535 (0 picks a free one)");
    }

    private static double? PersistInterval(RouterEnvironment environment)
    {
        const string Name = "LLM_ROUTER_PERSIST_INTERVAL";
        var text = environment.Get(Name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.01 and <= MaxPersistIntervalSeconds
            ? seconds
            : throw new ConfigException($"environment variable {Name}='{text}' must be a number of seconds from 0.01 to {MaxPersistIntervalSeconds}");
    }
}
