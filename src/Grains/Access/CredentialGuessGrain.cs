using LlmRouter.Abstractions.Grains;

namespace LlmRouter.Grains.Access;

/// <summary>
/// One client address's guessing window (see <see cref="ICredentialGuessGrain"/>): <see cref="MaxFailures"/> invalid
/// credentials within <see cref="Window"/> of the first lock the address out until the window ends. In memory only: a
/// silo lost with it, or the grain collected when idle, starts the address afresh, as a node restart did before.
/// </summary>
public sealed class CredentialGuessGrain : Grain, ICredentialGuessGrain
{
    public const int MaxFailures = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private DateTimeOffset _windowStart;
    private int _count;

    public ValueTask<DateTimeOffset?> FailedAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (now - _windowStart >= Window)
        {
            _windowStart = now;
            _count = 0;
        }
        _count++;
        return ValueTask.FromResult<DateTimeOffset?>(_count >= MaxFailures ? _windowStart + Window : null);
    }
}
