using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmRouter.Cluster.Tests.Infrastructure;
using LlmRouter.Persistence;
using LlmRouter.Persistence.Postgres;

namespace LlmRouter.Cluster.Tests;

/// <summary>
/// docker-compose.yml is valid (checked by Debian's docker-compose, no Docker engine needed), and everything it
/// references is in the repository and readable by the program that will read it.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private const string Compose = "/usr/bin/docker-compose";

    // What an operator's .env holds; the compose file has no default for either.
    private static readonly Dictionary<string, string?> OperatorEnv = new()
    {
        ["POSTGRES_PASSWORD"] = "compose-test-password",
        ["GRAFANA_ADMIN_PASSWORD"] = "compose-test-grafana",
    };

    [Fact]
    public async Task Without_the_operators_passwords_the_file_is_refused_with_a_clear_reason()
    {
        var (exit, output) = await RunAsync(Compose, new Dictionary<string, string?> { ["POSTGRES_PASSWORD"] = null, ["GRAFANA_ADMIN_PASSWORD"] = null },
            "-f", "docker-compose.yml", "config", "-q");

        Assert.NotEqual(0, exit);
        Assert.Contains("write POSTGRES_PASSWORD", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_router_is_published_and_nginx_keeps_metrics_internal()
    {
        var (exit, resolved) = await RunAsync(Compose, "-f", "docker-compose.yml", "config");
        Assert.Equal(0, exit);
        var published = PublishedPort().Matches(resolved).Select(m => m.Groups["port"].Value).ToArray();
        Assert.Equal(["8000"], published);
        Assert.DoesNotContain("GF_AUTH_ANONYMOUS_ENABLED: 'true'", resolved, StringComparison.Ordinal);
        Assert.DoesNotContain("llm_router_password", resolved, StringComparison.Ordinal);

        var nginx = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy/cluster/nginx.conf"));
        Assert.Matches(@"location = /metrics \{\s*return 404;", nginx);
        var (withPorts, monitoring) = await RunAsync(Compose, "-f", "docker-compose.yml", "-f", "deploy/cluster/monitoring-ports.yml", "config");
        Assert.Equal(0, withPorts);
        Assert.Equal(["127.0.0.1:3000", "127.0.0.1:9090"], MonitoringPort().Matches(monitoring).Select(m => m.Groups["bind"].Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var (exit, output) = await RunAsync(Compose, "-f", "docker-compose.yml", "config", "-q");
        Assert.True(exit == 0, $"docker-compose config -q failed ({exit}):\n{output}");
    }

    [Fact]
    public async Task The_cluster_has_three_silos_an_api_front_end_postgres_nginx_prometheus_and_grafana()
    {
        var (exit, services) = await RunAsync(Compose, "-f", "docker-compose.yml", "config", "--services");
        Assert.Equal(0, exit);
        Assert.Equal(
            ["api-1", "grafana", "nginx", "postgres", "prometheus", "router-1", "router-2", "router-3"],
            services.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
        var (_, resolved) = await RunAsync(Compose, "-f", "docker-compose.yml", "config");
        var roles = RolesLine().Matches(resolved).Select(m => m.Groups["roles"].Value).Order(StringComparer.Ordinal);
        Assert.Equal(["api", "gpu", "silo", "silo"], roles);
    }

    [Fact]
    public async Task Every_mounted_file_and_build_context_exists()
    {
        var (exit, resolved) = await RunAsync(Compose, "-f", "docker-compose.yml", "config");
        Assert.Equal(0, exit);
        var mounts = BindMount().Matches(resolved).Select(m => m.Groups["source"].Value).Distinct().ToArray();
        Assert.Contains(mounts, m => m.EndsWith("nginx.conf", StringComparison.Ordinal));
        Assert.Contains(mounts, m => m.EndsWith("prometheus.yml", StringComparison.Ordinal));
        Assert.All(mounts, m => Assert.True(File.Exists(m) || Directory.Exists(m), $"{m} is mounted but missing"));
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "Dockerfile")));
        Assert.Contains("src/Silo/LlmRouter.Silo.csproj", await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Dockerfile")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "src/Silo/LlmRouter.Silo.csproj")));

        foreach (var dashboard in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "deploy/grafana/dashboards"), "*.json"))
        {
            using var parsed = JsonDocument.Parse(await File.ReadAllTextAsync(dashboard));
            Assert.Equal(JsonValueKind.Array, parsed.RootElement.GetProperty("panels").ValueKind);
        }
    }

    [Fact]
    public async Task The_nodes_database_url_is_one_they_accept()
    {
        var (exit, resolved) = await RunAsync(Compose, "-f", "docker-compose.yml", "config");
        Assert.Equal(0, exit);
        var urls = DatabaseUrlLine().Matches(resolved).Select(m => m.Groups["url"].Value).Distinct().ToArray();
        var url = Assert.Single(urls);
        var parsed = DatabaseUrl.Parse(url, RepositoryPaths.Root);
        Assert.Equal(DatabaseKind.PostgreSql, parsed.Kind);
        Assert.Contains("Host=postgres", PostgresConnectionString.FromUrl(parsed.Target), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prometheus_accepts_the_scrape_configuration_of_all_four_nodes()
    {
        var path = Path.Combine(RepositoryPaths.Root, "deploy/cluster/prometheus.yml");
        var (exit, output) = await RunAsync("/usr/bin/promtool", "check", "config", path);
        Assert.True(exit == 0, $"promtool check config failed:\n{output}");
        var config = await File.ReadAllTextAsync(path);
        Assert.All(["router-1:8000", "router-2:8000", "router-3:8000", "api-1:8000"], target => Assert.Contains(target, config, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nginx_accepts_the_load_balancer_configuration()
    {
        using var directory = new TempDirectory();
        // The compose service names only resolve inside the compose network: check the same file with loopback nodes.
        var config = (await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy/cluster/nginx.conf")))
            .Replace("router-1:8000", "127.0.0.1:18001", StringComparison.Ordinal)
            .Replace("router-2:8000", "127.0.0.1:18002", StringComparison.Ordinal)
            .Replace("router-3:8000", "127.0.0.1:18003", StringComparison.Ordinal)
            .Replace("api-1:8000", "127.0.0.1:18004", StringComparison.Ordinal);
        var path = directory.File("nginx.conf");
        await File.WriteAllTextAsync(path, $"pid {directory.Path}/nginx.pid;\n" + config);
        var (exit, output) = await RunAsync(NginxProcess.Binary, "-t", "-p", directory.Path + "/", "-c", path, "-e", directory.File("error.log"));
        Assert.True(exit == 0, $"nginx -t failed:\n{output}");
    }

    private static Task<(int Exit, string Output)> RunAsync(string program, params string[] arguments) =>
        RunAsync(program, new Dictionary<string, string?>(), arguments);

    private static async Task<(int Exit, string Output)> RunAsync(string program, Dictionary<string, string?> environment, params string[] arguments)
    {
        Assert.True(File.Exists(program), $"{program} is missing: install it (bash ./run-tests.sh installs docker-compose, nginx and prometheus)");
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in OperatorEnv.Concat(environment).GroupBy(p => p.Key).Select(g => g.Last()))
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^\s*-\s*(?<source>/[^:\n]+):/[^\n]*$", RegexOptions.Multiline)]
    private static partial Regex BindMount();

    [GeneratedRegex(@"^\s*-?\s*published:\s*(?<port>\d+)", RegexOptions.Multiline)]
    private static partial Regex PublishedPort();

    [GeneratedRegex(@"^\s*-\s*(?<bind>[0-9.]+:\d+):\d+/tcp", RegexOptions.Multiline)]
    private static partial Regex MonitoringPort();

    [GeneratedRegex(@"LLM_ROUTER_ROLES:\s*(?<roles>\S+)")]
    private static partial Regex RolesLine();

    [GeneratedRegex(@"LLM_ROUTER_DATABASE_URL:\s*(?<url>\S+)")]
    private static partial Regex DatabaseUrlLine();
}
