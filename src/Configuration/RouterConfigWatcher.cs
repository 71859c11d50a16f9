using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Configuration;

/// <summary>
/// Holds the configuration snapshot in force and replaces it when router.toml changes. A change is read once the
/// file has been quiet for a moment and reads the same twice, so partial writes and atomic-rename editors never
/// yield a half-read file; an invalid change is logged with file:line:column and the old snapshot stays.
/// The file is polled (its time and size, ten times a second) rather than watched with inotify: a watch is on the
/// whole directory, and the SQLite database beside router.toml would wake the watcher on every write of the log.
/// </summary>
public sealed partial class RouterConfigWatcher : IRouterConfigSource, IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly string? _path;
    private readonly RouterEnvironment _environment;
    private readonly ILogger<RouterConfigWatcher> _logger;
    private readonly Timer _debounce;
    private readonly Timer? _poll;
    private readonly Lock _gate = new();
    private volatile RouterConfig _current;
    private byte[] _appliedHash;
    private (DateTime Written, long Length) _lastSeen;
    private (DateTime Written, long Length) _changing;
    private long _changingSince;
    private int _polling;
    private bool _disposed;

    public RouterConfigWatcher(ConfigLoadResult initial, ILogger<RouterConfigWatcher> logger)
    {
        _current = initial.Config;
        _path = initial.Config.SourcePath;
        _environment = initial.Environment;
        _logger = logger;
        _appliedHash = _path is null ? [] : Hash(ReadOrEmpty(_path));
        _lastSeen = Stamp();
        _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        if (_path is null)
        {
            return;
        }
        _poll = new Timer(_ => PollForChange(), null, PollInterval, PollInterval);
    }

    public RouterConfig Current => _current;

    public event Action<RouterConfig>? Changed;

    /// <summary>Reloads now (also what the file events trigger); returns true when a new snapshot came into force.</summary>
    public bool Reload()
    {
        if (_path is null)
        {
            return false;
        }
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }
            var bytes = ReadOrEmpty(_path);
            Thread.Sleep(50);
            var again = ReadOrEmpty(_path);
            if (bytes.Length == 0)
            {
                // Missing (mid-rename) or empty (truncated before the write): the next file event brings the content.
                _lastSeen = Stamp();
                return false;
            }
            if (!bytes.AsSpan().SequenceEqual(again))
            {
                Schedule();
                return false;
            }
            _lastSeen = Stamp();
            var hash = Hash(bytes);
            if (hash.AsSpan().SequenceEqual(_appliedHash))
            {
                return false;
            }
            try
            {
                var loaded = RouterConfigLoader.Parse(bytes, _path, _environment);
                foreach (var warning in loaded.Warnings)
                {
                    LogWarning(_logger, warning.ToString());
                }
                _current = loaded.Config;
                _appliedHash = hash;
                LogReloaded(_logger, _path);
            }
            catch (ConfigException exception)
            {
                _appliedHash = hash;
                LogRejected(_logger, exception.Message);
                return false;
            }
        }
        Changed?.Invoke(_current);
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
        _debounce.Dispose();
        _poll?.Dispose();
    }

    private void Schedule()
    {
        try
        {
            _debounce.Change(Quiet, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // A file event raced with shutdown.
        }
    }

    /// <summary>A changed file is reloaded once its time and size have held still for <see cref="Quiet"/>.</summary>
    private void PollForChange()
    {
        // Timer callbacks may overlap when a reload is slow: one poll at a time.
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return;
        }
        try
        {
            Poll();
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    private void Poll()
    {
        var stamp = Stamp();
        var now = Environment.TickCount64;
        if (stamp == _lastSeen)
        {
            _changing = stamp;
            return;
        }
        if (stamp != _changing)
        {
            _changing = stamp;
            _changingSince = now;
        }
        else if (now - _changingSince >= Quiet.TotalMilliseconds)
        {
            Reload();
        }
    }

    private (DateTime, long) Stamp()
    {
        if (_path is null)
        {
            return default;
        }
        var info = new FileInfo(_path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
    }

    private static byte[] ReadOrEmpty(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return File.ReadAllBytes(path);
            }
            catch (FileNotFoundException)
            {
                return [];
            }
            catch (IOException) when (attempt < 3)
            {
                Thread.Sleep(20);
            }
            catch (IOException)
            {
                return [];
            }
        }
    }

    private static byte[] Hash(byte[] bytes) => SHA256.HashData(bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration reloaded from {Path}")]
    private static partial void LogReloaded(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Configuration change rejected, the previous configuration stays in force: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration: {Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);
}
