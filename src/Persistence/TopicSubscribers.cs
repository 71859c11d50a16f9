using Microsoft.Extensions.Logging;

namespace LlmRouter.Persistence;

/// <summary>The handlers subscribed to cluster topics; a failing handler is logged and never stops the others.</summary>
internal sealed partial class TopicSubscribers(ILogger logger)
{
    private readonly Lock _gate = new();
    private (string Topic, Action<string> Handler)[] _subscribers = [];

    public IDisposable Add(string topic, Action<string> handler)
    {
        var entry = (topic, handler);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, entry];
        }
        return new Subscription(() =>
        {
            lock (_gate)
            {
                _subscribers = _subscribers.Where(s => s != entry).ToArray();
            }
        });
    }

    /// <summary>Calls the handlers of <paramref name="topic"/>, or of every topic when it is null.</summary>
    public void Dispatch(string? topic, string message)
    {
        foreach (var (subscribed, handler) in _subscribers)
        {
            if (topic is not null && subscribed != topic)
            {
                continue;
            }
            try
            {
                handler(message);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(logger, exception, subscribed);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A handler of cluster topic {Topic} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string topic);

    private sealed class Subscription(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
