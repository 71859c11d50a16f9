using LlmRouter.Abstractions.Configuration;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Configuration.Tests;

/// <summary>The watched file: valid edits apply as a new snapshot, broken edits are logged and the old one stays.</summary>
public sealed class HotReloadTests
{
    private static readonly RouterEnvironment NoVariables = new([]);

    [Fact]
    public async Task A_valid_edit_is_applied_without_restart()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[server]\nport = 1000\n");
        var logs = new ListLogger();
        using var watcher = new RouterConfigWatcher(RouterConfigLoader.LoadFile(file, NoVariables), logs);
        var first = watcher.Current;
        var changed = new TaskCompletionSource<RouterConfig>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Changed += c => changed.TrySetResult(c);

        await File.WriteAllTextAsync(file, "[server]\nport = 2000\n");
        var applied = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2000, applied.Server.Port);
        Assert.Same(applied, watcher.Current);
        Assert.Equal(1000, first.Server.Port);
        Assert.Contains(logs.Messages, m => m.Contains("reloaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_broken_edit_is_rejected_with_its_position_and_the_old_config_stays()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[server]\nport = 1000\n");
        var logs = new ListLogger();
        using var watcher = new RouterConfigWatcher(RouterConfigLoader.LoadFile(file, NoVariables), logs);
        var changes = 0;
        watcher.Changed += _ => Interlocked.Increment(ref changes);

        await File.WriteAllTextAsync(file, "[server]\nport = 3000\nhost = \n");
        await WaitUntilAsync(() => logs.Messages.Any(m => m.Contains("rejected", StringComparison.Ordinal)));

        Assert.Equal(1000, watcher.Current.Server.Port);
        Assert.Equal(0, Volatile.Read(ref changes));
        Assert.Contains(logs.Messages, m => m.Contains($"{file}:3:", StringComparison.Ordinal));

        await File.WriteAllTextAsync(file, "[server]\nport = 4000\n");
        await WaitUntilAsync(() => watcher.Current.Server.Port == 4000);
        Assert.Equal(1, Volatile.Read(ref changes));
    }

    [Fact]
    public async Task An_edit_with_invalid_utf8_is_rejected_with_its_position_and_the_old_config_stays()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[server]\nport = 1000\n");
        var logs = new ListLogger();
        using var watcher = new RouterConfigWatcher(RouterConfigLoader.LoadFile(file, NoVariables), logs);

        await File.WriteAllBytesAsync(file, [.. "[server]\nport = 3000\nhost = \""u8, 0xFF, .. "\"\n"u8]);
        await WaitUntilAsync(() => logs.Messages.Any(m => m.Contains("rejected", StringComparison.Ordinal)));

        Assert.Equal(1000, watcher.Current.Server.Port);
        Assert.Contains(logs.Messages, m => m.Contains($"{file}:3:9: invalid UTF-8 byte 0xFF", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_atomic_rename_edit_is_picked_up()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[server]\nport = 1000\n");
        using var watcher = new RouterConfigWatcher(RouterConfigLoader.LoadFile(file, NoVariables), new ListLogger());

        var temp = dir.Write("router.toml.tmp", "[server]\nport = 5000\n");
        File.Move(temp, file, overwrite: true);

        await WaitUntilAsync(() => watcher.Current.Server.Port == 5000);
    }

    [Fact]
    public async Task A_file_written_in_pieces_is_never_applied_half_read()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[server]\nport = 1000\n");
        using var watcher = new RouterConfigWatcher(RouterConfigLoader.LoadFile(file, NoVariables), new ListLogger());
        var seen = new List<int>();
        watcher.Changed += c => { lock (seen) { seen.Add(c.Server.Port); } };

        // The first piece alone is valid TOML (port 6000, host missing); the writer finishes within the quiet period.
        await using (var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
        {
            await stream.WriteAsync("[server]\nport = 6000\n"u8.ToArray());
            await stream.FlushAsync();
            await Task.Delay(60);
            await stream.WriteAsync("host = \"127.0.0.2\"\n"u8.ToArray());
        }
        await WaitUntilAsync(() => watcher.Current.Server.Host == "127.0.0.2");

        lock (seen)
        {
            Assert.Equal([6000], seen);
        }
    }

    [Fact]
    public async Task Requests_holding_the_old_snapshot_keep_it()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("router.toml", "[server]\nport = 1000\n");
        using var watcher = new RouterConfigWatcher(RouterConfigLoader.LoadFile(file, NoVariables), new ListLogger());
        var inFlight = watcher.Current;

        await File.WriteAllTextAsync(file, "[server]\nport = 7000\n");
        await WaitUntilAsync(() => watcher.Current.Server.Port == 7000);

        Assert.Equal(1000, inFlight.Server.Port);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(25);
        }
    }

    /// <summary>Collects formatted log lines.</summary>
    private sealed class ListLogger : ILogger<RouterConfigWatcher>
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return _messages.ToArray();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages)
            {
                _messages.Add(formatter(state, exception));
            }
        }
    }
}
