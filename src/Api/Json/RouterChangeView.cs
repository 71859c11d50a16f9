namespace LlmRouter.Api.Json;

/// <summary>One entry of GET /router/history.</summary>
public sealed record RouterChangeView(
    long Id, bool Value, bool PreviousValue, string? Reason, string? ChangedBy, string? Node, DateTimeOffset RequestedAt, DateTimeOffset EffectiveAt);
