namespace LlmRouter.Abstractions.Grains;

/// <summary>The answer to an <see cref="AdmissionRequest"/>: a lease-like result, never an exception.</summary>
public sealed record Admission
{
    public required bool IsAcquired { get; init; }

    /// <summary>Why the call was refused (<see cref="LimitKind.None"/> when admitted).</summary>
    public LimitKind RefusedBy { get; init; }

    /// <summary>When trying again can succeed (zero when admitted).</summary>
    public TimeSpan RetryAfter { get; init; }

    public string? Message { get; init; }

    /// <summary>The tightest request window, when one applies.</summary>
    public LimitStatus? Requests { get; init; }

    /// <summary>The tightest token window, when one applies.</summary>
    public LimitStatus? Tokens { get; init; }

    /// <summary>What to settle; null when refused.</summary>
    public Reservation? Reservation { get; init; }
}
