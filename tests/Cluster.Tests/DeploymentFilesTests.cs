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

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var (exit, output) = await RunAsync(Compose, "-f", "docker-compose.yml", "config", "-q");
        Assert.True(exit == 0, $"docker-compose config -q failed ({exit}):\n{output}");
    }

    [Fact]
    public async Task The_cluster_has_three_nodes_postgres_nginx_prometheus_and_grafana()
    {
        var (exit, services) = await RunAsync(Compose, "-f", "docker-compose.yml", "config", "--services");
        Assert.Equal(0, exit);
        Assert.Equal(
            ["grafana", "nginx", "postgres", "prometheus", "router-1", "router-2", "router-3"],
            services.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
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
    public async Task Prometheus_accepts_the_scrape_configuration_of_all_three_nodes()
    {
        var path = Path.Combine(RepositoryPaths.Root, "deploy/cluster/prometheus.yml");
        var (exit, output) = await RunAsync("/usr/bin/promtool", "check", "config", path);
        Assert.True(exit == 0, $"promtool check config failed:\n{output}");
        var config = await File.ReadAllTextAsync(path);
        Assert.All(["router-1:8000", "router-2:8000", "router-3:8000"], target => Assert.Contains(target, config, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Nginx_accepts_the_load_balancer_configuration()
    {
        using var directory = new TempDirectory();
        // The compose service names only resolve inside the compose network: check the same file with loopback nodes.
        var config = (await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy/cluster/nginx.conf")))
            .Replace("router-1:8000", "127.0.0.1:18001", StringComparison.Ordinal)
            .Replace("router-2:8000", "127.0.0.1:18002", StringComparison.Ordinal)
            .Replace("router-3:8000", "127.0.0.1:18003", StringComparison.Ordinal);
        var path = directory.File("nginx.conf");
        await File.WriteAllTextAsync(path, $"pid {directory.Path}/nginx.pid;\n" + config);
        var (exit, output) = await RunAsync(NginxProcess.Binary, "-t", "-p", directory.Path + "/", "-c", path, "-e", directory.File("error.log"));
        Assert.True(exit == 0, $"nginx -t failed:\n{output}");
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, params string[] arguments)
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
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"^\s*-\s*(?<source>/[^:\n]+):/[^\n]*$", RegexOptions.Multiline)]
    private static partial Regex BindMount();

    [GeneratedRegex(@"LLM_ROUTER_DATABASE_URL:\s*(?<url>\S+)")]
    private static partial Regex DatabaseUrlLine();
}
