using System.Collections.Concurrent;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Grains.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Auth;

/// <summary>
/// Slows down guessing of API keys and session tokens: a client address that presents
/// <see cref="CredentialGuessGrain.MaxFailures"/> invalid credentials within <see cref="CredentialGuessGrain.Window"/>
/// where one is required (and at POST /auth/login) is refused (429 with Retry-After) for every credential, valid or
/// not, until the window ends, so it learns nothing by guessing on. The window is the address's grain, one for the
/// whole cluster; this node asks it only when a credential fails, and remembers the lockouts it answers, so checking
/// a request costs a dictionary lookup (<see cref="ClientAddresses"/>: X-Forwarded-For only from trusted proxies).
/// </summary>
public sealed partial class CredentialGuessThrottle(TimeProvider time, ClientAddresses clients, IGrainFactory grains, ILogger<CredentialGuessThrottle> logger)
{
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lockedUntil = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="http"/>'s client must wait, or null when it may present a credential.</summary>
    public TimeSpan? Blocked(HttpContext http)
    {
        if (!_lockedUntil.TryGetValue(clients.Of(http), out var until))
        {
            return null;
        }
        var left = until - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Counts one invalid credential from <paramref name="http"/>'s client in its cluster-wide window.</summary>
    public async ValueTask FailedAsync(HttpContext http)
    {
        var client = clients.Of(http);
        try
        {
            // Not the request's token: a guesser hanging up must not keep its failure from being counted.
            if (await grains.GetGrain<ICredentialGuessGrain>(client).FailedAsync(time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false) is not { } until)
            {
                return;
            }
            if (_lockedUntil.Count > PruneAbove)
            {
                Prune(time.GetUtcNow());
            }
            _lockedUntil[client] = until;
        }
        catch (Exception exception)
        {
            LogNotCounted(logger, exception);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (client, until) in _lockedUntil)
        {
            if (until <= now)
            {
                _lockedUntil.TryRemove(KeyValuePair.Create(client, until));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count an invalid credential in its client's guessing window (the cluster did not answer)")]
    private static partial void LogNotCounted(ILogger logger, Exception exception);
}
