using System.Diagnostics;

namespace LlmRouter.Configuration.Tests;

/// <summary>
/// The real executable refuses to start with a broken router.toml and says where the fault is, and starts with defaults
/// saying only what an operator reads.
/// </summary>
public sealed class NodeStartupTests
{
    [Fact]
    public async Task A_node_given_a_broken_config_exits_non_zero_naming_file_line_and_column()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[server]\nport = 8000\n\n[[providers]]\nname = \"x\"\ntype = openai\n");

        var (exitCode, stderr) = await RunSiloAsync(dir.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains($"{file}:6:8:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_given_a_file_with_invalid_utf8_exits_2_naming_the_position_of_the_bad_byte()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "router.toml");
        await File.WriteAllBytesAsync(file, [.. "[server]\nport = 8000\nhost = \""u8, 0xC3, 0x28, .. "\"\n"u8]);

        var (exitCode, stderr) = await RunSiloAsync(dir.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains($"{file}:3:9: invalid UTF-8 byte 0xC3 at byte offset 29", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_given_a_bad_environment_value_exits_non_zero_naming_the_variable()
    {
        using var dir = new TempDirectory();
        dir.Write("router.toml", "[server]\nport = 8000\n");

        var (exitCode, stderr) = await RunSiloAsync(dir.Path, ("LLM_ROUTER_PORT", "not-a-port"));

        Assert.Equal(2, exitCode);
        Assert.Contains("LLM_ROUTER_PORT", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_given_an_unknown_log_level_exits_non_zero_naming_the_variable()
    {
        using var dir = new TempDirectory();
        dir.Write("router.toml", "[server]\nport = 0\nhost = \"127.0.0.1\"\n");

        var (exitCode, stderr) = await RunSiloAsync(dir.Path, ("LLM_ROUTER_LOG_LEVEL", "verbose"));

        Assert.Equal(2, exitCode);
        Assert.Contains("LLM_ROUTER_LOG_LEVEL='verbose'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dotnet_run_reads_the_router_toml_of_the_directory_it_is_typed_in()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[server]\nport = nope\n");
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "LlmRouter.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar))!;
        }
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

        // What the README's command does (from the repository root there, from elsewhere here): a node that read the
        // project directory's files instead would start with defaults and never exit.
        var (exitCode, stderr) = await RunAsync(dir.Path, ["run", "--no-build", "-c", configuration, "--project", Path.Combine(root, "src", "Silo")]);

        Assert.Equal(2, exitCode);
        Assert.Contains($"{file}:2:8:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_whose_port_is_taken_exits_3_with_one_line_naming_the_setting()
    {
        using var dir = new TempDirectory();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, stderr) = await RunSiloAsync(dir.Path,
            ("LLM_ROUTER_HOST", "127.0.0.1"), ("LLM_ROUTER_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        // Before: an unhandled exception's stack trace, and the runtime's abort (exit code 134).
        Assert.Equal(3, exitCode);
        Assert.StartsWith($"llm-router: Failed to bind to address http://127.0.0.1:{port}: address already in use.", stderr, StringComparison.Ordinal);
        Assert.Contains("LLM_ROUTER_PORT", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_started_with_defaults_logs_its_own_lines_and_no_library_chatter()
    {
        using var dir = new TempDirectory();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "LlmRouter.Silo.dll")])
        {
            WorkingDirectory = dir.Path,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("LLM_ROUTER_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }
        start.Environment["LLM_ROUTER_HOST"] = "127.0.0.1";
        start.Environment["LLM_ROUTER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) })
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(200))
            {
                if (process.HasExited)
                {
                    Assert.Fail("the node exited: " + await stderr);
                }
                Assert.True(DateTime.UtcNow < deadline, "the node did not answer /health");
                try
                {
                    using var health = await http.GetAsync("/health");
                    if (health.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
            }
        }
        using (var terminate = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await terminate.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        // The README's first command prints the node's lines (and the host's start and stop); libraries speak up only
        // for warnings. Orleans' placement logged each grain placement through Polly at Information (8 lines a start).
        var chatter = (await stdout).Split('\n')
            .Where(line => line.Contains(" info: ", StringComparison.Ordinal))
            .Where(line => !line.Contains(" info: LlmRouter", StringComparison.Ordinal) && !line.Contains(" info: Microsoft.Hosting.Lifetime", StringComparison.Ordinal))
            .ToArray();
        Assert.Empty(chatter);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<(int ExitCode, string Stderr)> RunSiloAsync(string workingDirectory, params (string Name, string Value)[] environment) =>
        RunAsync(workingDirectory, [Path.Combine(AppContext.BaseDirectory, "LlmRouter.Silo.dll")], environment);

    private static async Task<(int ExitCode, string Stderr)> RunAsync(string workingDirectory, string[] arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("LLM_ROUTER_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the node did not exit; it should have refused the configuration. stdout: " + await stdout);
        }
        return (process.ExitCode, await stderr);
    }
}
