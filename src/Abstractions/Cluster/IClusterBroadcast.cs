namespace LlmRouter.Abstractions.Cluster;

/// <summary>
/// Tells every node sharing the store about a change (e.g. configuration edited over REST on one node). Delivery is
/// best effort and fast (PostgreSQL LISTEN/NOTIFY); receivers re-read the store, so a missed message is repaired by
/// the next one or a restart.
/// </summary>
public interface IClusterBroadcast
{
    /// <summary>Announces <paramref name="message"/> on <paramref name="topic"/> to every node, this one included.</summary>
    ValueTask PublishAsync(string topic, string message, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="handler"/> for every message on <paramref name="topic"/>; dispose the result to stop.</summary>
    IDisposable Subscribe(string topic, Action<string> handler);
}
