namespace LlmRouter.Providers.Sse;

/// <summary>One server-sent event: its <c>event:</c> name (null when absent) and its <c>data:</c> payload.</summary>
public sealed record SseEvent(string? Event, byte[] Data);
