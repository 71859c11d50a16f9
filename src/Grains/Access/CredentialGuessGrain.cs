using Microsoft.Extensions.Logging;

namespace LlmRouter.Grains.Access;

/// <summary>
/// One client address's guessing window (see <see cref="ICredentialGuessGrain"/>): <see cref="MaxFailures"/> invalid
/// credentials within <see cref="Window"/> of the first lock the address out until the window ends, and the lockout
/// is published to every node (<see cref="ICredentialLockoutsGrain"/>). In memory only: a
/// silo lost with it, or the grain collected when idle, starts the address afresh, as a node restart did before.
/// </summary>
public sealed partial class CredentialGuessGrain(ILogger<CredentialGuessGrain> logger) : Grain, ICredentialGuessGrain
{
    public const int MaxFailures = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private DateTimeOffset _windowStart;
    private int _count;

    public async ValueTask<DateTimeOffset?> FailedAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (now - _windowStart >= Window)
        {
            _windowStart = now;
            _count = 0;
        }
        _count++;
        if (_count < MaxFailures)
        {
            return null;
        }
        var until = _windowStart + Window;
        if (_count == MaxFailures)
        {
            // Published once per lockout, so every node refuses the address before it presents another credential.
            try
            {
                await GrainFactory.GetGrain<ICredentialLockoutsGrain>(0).AddAsync(this.GetPrimaryKeyString(), until, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The window still counts: nodes learn the lockout at the address's next failure on them.
                LogPublishFailed(logger, exception);
            }
        }
        return until;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A client address was locked out for guessing credentials but the lockout could not be published to the other nodes")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
