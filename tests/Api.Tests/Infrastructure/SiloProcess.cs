using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmRouter.Api.Tests.Infrastructure;

/// <summary>
/// The router's real executable as a child process (the build beside the tests): one-shot CLI commands, or a
/// node whose console output is captured whole so tests can read exactly what it logged.
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process) => _process = process;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Everything the node wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Runs <c>llm-router ARGS</c> to completion in <paramref name="directory"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string directory, IDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(directory, environment, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts a node (it must listen on port 0 of a loopback address) and waits until it listens.</summary>
    public static async Task<SiloProcess> StartAsync(string directory, IDictionary<string, string> environment)
    {
        var node = new SiloProcess(new Process { StartInfo = StartInfo(directory, environment, []) });
        node._process.OutputDataReceived += (_, line) => node.Capture(line.Data);
        node._process.ErrorDataReceived += (_, line) => node.Capture(line.Data);
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        var exited = node._process.WaitForExitAsync();
        var first = await Task.WhenAny(node._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != node._listening.Task)
        {
            var output = node.Output;
            await node.DisposeAsync();
            throw new InvalidOperationException("the node did not start listening:\n" + output);
        }
        node.BaseUrl = await node._listening.Task;
        return node;
    }

    /// <summary>Asks the node to shut down as an operator would (SIGTERM) and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        if (SendSignal(_process.Id, SignalTerminate) != 0)
        {
            throw new InvalidOperationException($"could not signal process {_process.Id}");
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        // The asynchronous readers deliver the last lines after exit; this waits for them.
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    private static ProcessStartInfo StartInfo(string directory, IDictionary<string, string> environment, string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LlmRouter.Silo.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // Only what the test sets may configure the child: nothing inherited from the machine running the tests.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("LLM_ROUTER_", StringComparison.Ordinal)).ToArray())
        {
            info.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        return info;
    }

    private static string DotnetHost =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    private const int SignalTerminate = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [GeneratedRegex(@"listening on (http://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
