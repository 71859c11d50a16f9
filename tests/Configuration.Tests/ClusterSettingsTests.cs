using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.Configuration.Tests;

/// <summary>The [cluster] keys the Orleans silo runs with: defaults that let nodes share a machine, file, variables, checks.</summary>
public sealed class ClusterSettingsTests
{
    private static RouterEnvironment Env(params (string Name, string Value)[] variables) =>
        new(variables.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)));

    [Fact]
    public void Defaults_pick_free_ports_and_persist_within_a_second()
    {
        using var dir = new TempDirectory();

        var cluster = RouterConfigLoader.Load(Env(), dir.Path).Config.Cluster;

        Assert.Equal((0, 0, null, "llm-router", 1.0), (cluster.SiloPort, cluster.GatewayPort, cluster.AdvertisedAddress, cluster.ClusterId, cluster.PersistIntervalSeconds));
        Assert.False(cluster.Dashboard);
    }

    [Fact]
    public void The_file_sets_them_and_variables_win()
    {
        using var dir = new TempDirectory();
        dir.Write("router.toml", """
            [cluster]
            silo_port = 11111
            gateway_port = 30000
            advertised_address = "10.0.0.5"
            cluster_id = "prod"
            persist_interval = 0.5
            dashboard = true
            """);

        var fromFile = RouterConfigLoader.Load(Env(), dir.Path).Config.Cluster;
        var fromVariables = RouterConfigLoader.Load(Env(
            ("LLM_ROUTER_SILO_PORT", "11112"), ("LLM_ROUTER_GATEWAY_PORT", "30001"), ("LLM_ROUTER_ADVERTISED_ADDRESS", "silo-2.internal"),
            ("LLM_ROUTER_CLUSTER_ID", "staging"), ("LLM_ROUTER_PERSIST_INTERVAL", "0.25"), ("LLM_ROUTER_DASHBOARD", "off")), dir.Path).Config.Cluster;

        Assert.Equal((11111, 30000, "10.0.0.5", "prod", 0.5), (fromFile.SiloPort, fromFile.GatewayPort, fromFile.AdvertisedAddress, fromFile.ClusterId, fromFile.PersistIntervalSeconds));
        Assert.Equal((11112, 30001, "silo-2.internal", "staging", 0.25),
            (fromVariables.SiloPort, fromVariables.GatewayPort, fromVariables.AdvertisedAddress, fromVariables.ClusterId, fromVariables.PersistIntervalSeconds));
        Assert.True(fromFile.Dashboard);
        Assert.False(fromVariables.Dashboard);
    }

    [Theory]
    [InlineData("silo_port = 70000", "silo_port")]
    [InlineData("gateway_port = -1", "gateway_port")]
    [InlineData("advertised_address = \"not an address\"", "advertised_address")]
    [InlineData("cluster_id = \"a b\"", "cluster_id")]
    [InlineData("persist_interval = 0", "persist_interval")]
    [InlineData("persist_interval = 61", "persist_interval")]
    [InlineData("dashboard = \"yes\"", "dashboard")]
    public void Bad_values_in_the_file_are_errors_at_their_position(string line, string key)
    {
        var error = ValidationTests.Fails("[cluster]\n" + line + "\n");

        Assert.Equal(2, error.Line);
        Assert.Contains(key, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LLM_ROUTER_SILO_PORT", "eleven")]
    [InlineData("LLM_ROUTER_GATEWAY_PORT", "65536")]
    [InlineData("LLM_ROUTER_ADVERTISED_ADDRESS", "bad address")]
    [InlineData("LLM_ROUTER_CLUSTER_ID", "x/y")]
    [InlineData("LLM_ROUTER_PERSIST_INTERVAL", "120")]
    [InlineData("LLM_ROUTER_DASHBOARD", "maybe")]
    public void Bad_variables_name_the_variable(string name, string value)
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ConfigException>(() => RouterConfigLoader.Load(Env((name, value)), dir.Path));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
