namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// One finished invocation's usage, settled on the model, key and session counters; token windows and the key's
/// budget trade the reservation for the actual figures.
/// </summary>
[GenerateSerializer, Immutable, Alias("usage-report")]
public sealed record UsageReport
{
    [Id(0)] public required string ModelId { get; init; }
    [Id(1)] public string? KeyId { get; init; }
    [Id(2)] public string? SessionId { get; init; }
    [Id(3)] public Reservation? Reservation { get; init; }
    [Id(4)] public long PromptTokens { get; init; }
    [Id(5)] public long CompletionTokens { get; init; }
    [Id(6)] public decimal CostUsd { get; init; }

    /// <summary>
    /// True when the upstream never reported usage (the client left mid-stream): the reservation is then kept in
    /// full on windows and budget, since the upstream may well have spent it.
    /// </summary>
    [Id(7)] public bool UsageUnknown { get; init; }
}
