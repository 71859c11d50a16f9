using System.Diagnostics;
using System.Globalization;

namespace LlmRouter.Cluster.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test's own (initdb in a temp directory, on a free loopback port), so the test may stop
/// and start it under load without disturbing other tests on the shared server. Run as root, the server runs as the
/// postgres user, as Debian's packages expect.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private readonly int _port;
    private readonly bool _asPostgresUser;

    private PrivatePostgres(string bin, string directory, int port, bool asPostgresUser)
    {
        _bin = bin;
        _directory = directory;
        _port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The server's URL for LLM_ROUTER_DATABASE_URL (trust authentication on loopback; the password is unused).</summary>
    public string Url => $"postgresql://postgres:unused@127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}/postgres";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new Version())
                .LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin); bash ./run-tests.sh installs them");
        }
        var directory = Path.Combine(Path.GetTempPath(), "llmrouter-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var asPostgresUser = Environment.UserName == "root";
        if (asPostgresUser)
        {
            await RunAsync("chown", ["-R", "postgres", directory]);
        }
        var server = new PrivatePostgres(bin, directory, FreePorts.Next(), asPostgresUser);
        await server.RunPgAsync("initdb", ["-D", server.Data, "-U", "postgres", "--auth=trust", "--no-sync"]);
        await server.StartServerAsync();
        return server;
    }

    private string Data => Path.Combine(_directory, "data");

    /// <summary>Starts the server again (same port and data) after <see cref="StopServerAsync"/>.</summary>
    public Task StartServerAsync() => RunPgAsync("pg_ctl", ["-D", Data, "-w", "-t", "30", "-l", Path.Combine(_directory, "server.log"), "-o",
        $"-c listen_addresses=127.0.0.1 -p {_port.ToString(CultureInfo.InvariantCulture)} -k {_directory} -c max_connections=200 -c fsync=off", "start"]);

    /// <summary>A fast shutdown: open transactions are rolled back and every connection is cut.</summary>
    public Task StopServerAsync() => RunPgAsync("pg_ctl", ["-D", Data, "-w", "-t", "30", "-m", "fast", "stop"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunPgAsync("pg_ctl", ["-D", Data, "-m", "immediate", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task RunPgAsync(string tool, IReadOnlyList<string> arguments) => _asPostgresUser
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
        : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
