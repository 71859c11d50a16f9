namespace LlmRouter.Abstractions.Grains;

/// <summary>
/// One finished invocation's usage, settled on the model, key and session counters; token windows and the key's
/// budget trade the reservation for the actual figures.
/// </summary>
public sealed record UsageReport
{
    public required string ModelId { get; init; }
    public string? KeyId { get; init; }
    public string? SessionId { get; init; }
    public Reservation? Reservation { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public decimal CostUsd { get; init; }

    /// <summary>
    /// True when the upstream never reported usage (the client left mid-stream): the reservation is then kept in
    /// full on windows and budget, since the upstream may well have spent it.
    /// </summary>
    public bool UsageUnknown { get; init; }
}
