using LlmRouter.Abstractions.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// Cluster messages over PostgreSQL LISTEN/NOTIFY on one channel (payload: topic, newline, message). One dedicated
/// connection per node listens and reconnects after failures; since messages sent while it was away are lost, every
/// subscriber then gets an empty message, meaning "re-read the store".
/// </summary>
public sealed partial class PostgresClusterBroadcast : BackgroundService, IClusterBroadcast
{
    public const string Channel = "llm_router_events";

    private readonly PostgresDatabase _database;
    private readonly ILogger<PostgresClusterBroadcast> _logger;
    private readonly TopicSubscribers _subscribers;
    private readonly string _listenConnectionString;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresClusterBroadcast(PostgresDatabase database, ILogger<PostgresClusterBroadcast> logger)
    {
        _database = database;
        _logger = logger;
        _subscribers = new TopicSubscribers(logger);
        // Outside the pool, with keepalives, so a half-open connection is noticed instead of waiting forever.
        _listenConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, KeepAlive = 5 }.ConnectionString;
    }

    /// <summary>Completes once this node listens (messages published after that reach it).</summary>
    public Task Listening => _listening.Task;

    public async ValueTask PublishAsync(string topic, string message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        await using var command = _database.DataSource.CreateCommand("SELECT pg_notify($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Channel });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = topic + "\n" + message });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public IDisposable Subscribe(string topic, Action<string> handler) => _subscribers.Add(topic, handler);

    /// <summary>
    /// Starts listening and waits (a bounded time) until the LISTEN is in place, so the node does not accept requests
    /// before it hears about changes other nodes make: a change announced in that gap would be missed until the next poll.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Listening.WaitAsync(StartupListenWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogNotListeningYet(_logger, StartupListenWait.TotalSeconds);
        }
    }

    private static readonly TimeSpan StartupListenWait = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromMilliseconds(200);
        var reconnecting = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }
                if (reconnecting)
                {
                    LogReconnected(_logger);
                    _subscribers.Dispatch(null, "");
                }
                _listening.TrySetResult();
                retry = TimeSpan.FromMilliseconds(200);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                LogListenFailed(_logger, exception, retry.TotalMilliseconds);
                reconnecting = true;
                await Task.Delay(retry, stoppingToken).ConfigureAwait(false);
                retry = TimeSpan.FromMilliseconds(Math.Min(retry.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private void OnNotification(string payload)
    {
        var newline = payload.IndexOf('\n', StringComparison.Ordinal);
        if (newline > 0)
        {
            _subscribers.Dispatch(payload[..newline], payload[(newline + 1)..]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for cluster messages failed; retrying in {DelayMs} ms")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not yet listening for cluster messages after {Seconds} s; starting anyway, changes from other nodes arrive with the next poll until then")]
    private static partial void LogNotListeningYet(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for cluster messages again; subscribers re-read the store")]
    private static partial void LogReconnected(ILogger logger);
}
