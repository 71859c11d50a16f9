using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace LlmRouter.Api.Auth;

/// <summary>
/// Slows down guessing of API keys and session tokens: a client address that presents <see cref="MaxFailures"/>
/// invalid credentials within <see cref="Window"/> where one is required (and at POST /auth/login) is refused (429
/// with Retry-After) for every credential, valid or not, until the window ends, so it learns nothing by guessing on.
/// Counted per node, in memory, per client address (<see cref="ClientAddresses"/>: X-Forwarded-For only from trusted proxies).
/// </summary>
public sealed class CredentialGuessThrottle(TimeProvider time, ClientAddresses clients)
{
    public const int MaxFailures = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Failures> _byClient = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="http"/>'s client must wait, or null when it may present a credential.</summary>
    public TimeSpan? Blocked(HttpContext http)
    {
        if (!_byClient.TryGetValue(clients.Of(http), out var failures))
        {
            return null;
        }
        lock (failures)
        {
            var left = failures.WindowStart + Window - time.GetUtcNow();
            return failures.Count >= MaxFailures && left > TimeSpan.Zero ? left : null;
        }
    }

    /// <summary>Counts one invalid credential from <paramref name="http"/>'s client.</summary>
    public void Failed(HttpContext http)
    {
        var now = time.GetUtcNow();
        if (_byClient.Count > PruneAbove)
        {
            Prune(now);
        }
        var failures = _byClient.GetOrAdd(clients.Of(http), static _ => new Failures());
        lock (failures)
        {
            if (now - failures.WindowStart >= Window)
            {
                failures.WindowStart = now;
                failures.Count = 0;
            }
            failures.Count++;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (client, failures) in _byClient)
        {
            bool expired;
            lock (failures)
            {
                expired = now - failures.WindowStart >= Window;
            }
            if (expired)
            {
                _byClient.TryRemove(client, out _);
            }
        }
    }

    private sealed class Failures
    {
        public DateTimeOffset WindowStart { get; set; }

        public int Count { get; set; }
    }
}
