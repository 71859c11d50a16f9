using System.Collections.Concurrent;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Grains.Access;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Api.Auth;

/// <summary>
/// Slows down guessing of API keys and session tokens: a client address that presents
/// <see cref="CredentialGuessGrain.MaxFailures"/> invalid credentials within <see cref="CredentialGuessGrain.Window"/>
/// where one is required (and at POST /auth/login) is refused (429 with Retry-After) for every credential, valid or
/// not, until the window ends, so it learns nothing by guessing on. The window is the address's grain, one for the
/// whole cluster; this node asks it only when a credential fails, and remembers the lockouts it answers and those the
/// cluster publishes (read within a poll of the change feed), so checking a request costs a dictionary lookup
/// (<see cref="ClientAddresses"/>: X-Forwarded-For only from trusted proxies).
/// </summary>
public sealed partial class CredentialGuessThrottle(TimeProvider time, ClientAddresses clients, IGrainFactory grains, ILogger<CredentialGuessThrottle> logger)
{
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lockedUntil = new(StringComparer.Ordinal);
    private readonly Lock _readGate = new();
    private (Guid Epoch, long Last) _read;

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
            Remember(client, until);
        }
        catch (Exception exception)
        {
            LogNotCounted(logger, exception);
        }
    }

    /// <summary>Reads the lockouts the cluster published since the last read (on a change of <see cref="ClusterTopic.Lockouts"/>).</summary>
    public async ValueTask RefreshLockoutsAsync(CancellationToken cancellationToken)
    {
        (Guid Epoch, long Last) read;
        lock (_readGate)
        {
            read = _read;
        }
        var lockouts = await grains.GetGrain<ICredentialLockoutsGrain>(0).GetSinceAsync(read.Epoch, read.Last, cancellationToken).ConfigureAwait(false);
        foreach (var lockout in lockouts.Lockouts)
        {
            Remember(lockout.Address, lockout.Until);
        }
        lock (_readGate)
        {
            _read = (lockouts.Epoch, lockouts.Last);
        }
    }

    private void Remember(string client, DateTimeOffset until)
    {
        if (_lockedUntil.Count > PruneAbove)
        {
            Prune(time.GetUtcNow());
        }
        _lockedUntil.AddOrUpdate(client, until, (_, known) => until > known ? until : known);
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
