namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// The credential-guessing window of one client address (the key) for the whole cluster: every node counts an invalid
/// credential from that address here, so N nodes do not give a guesser N windows. Held in memory.
/// </summary>
public interface ICredentialGuessGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts one invalid credential, seen at <paramref name="now"/> by the node's clock; answers when the address's
    /// lockout ends, or null while it is not locked out.
    /// </summary>
    ValueTask<DateTimeOffset?> FailedAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
