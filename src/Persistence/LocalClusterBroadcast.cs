using LlmRouter.Abstractions.Cluster;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Persistence;

/// <summary>The broadcast of a node that is its own cluster (embedded SQLite): messages go straight to local subscribers.</summary>
public sealed class LocalClusterBroadcast(ILogger<LocalClusterBroadcast> logger) : IClusterBroadcast
{
    private readonly TopicSubscribers _subscribers = new(logger);

    public ValueTask PublishAsync(string topic, string message, CancellationToken cancellationToken = default)
    {
        _subscribers.Dispatch(topic, message);
        return ValueTask.CompletedTask;
    }

    public IDisposable Subscribe(string topic, Action<string> handler) => _subscribers.Add(topic, handler);
}
