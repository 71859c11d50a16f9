namespace LlmRouter.Abstractions.Grains;

/// <summary>The answer to an <see cref="AdmissionRequest"/>: a lease-like result, never an exception.</summary>
[GenerateSerializer, Immutable, Alias("admission")]
public sealed record Admission
{
    [Id(0)] public required bool IsAcquired { get; init; }

    /// <summary>Why the call was refused (<see cref="LimitKind.None"/> when admitted).</summary>
    [Id(1)] public LimitKind RefusedBy { get; init; }

    /// <summary>When trying again can succeed (zero when admitted).</summary>
    [Id(2)] public TimeSpan RetryAfter { get; init; }

    [Id(3)] public string? Message { get; init; }

    /// <summary>The tightest request window, when one applies.</summary>
    [Id(4)] public LimitStatus? Requests { get; init; }

    /// <summary>The tightest token window, when one applies.</summary>
    [Id(5)] public LimitStatus? Tokens { get; init; }

    /// <summary>What to settle; null when refused.</summary>
    [Id(6)] public Reservation? Reservation { get; init; }
}
