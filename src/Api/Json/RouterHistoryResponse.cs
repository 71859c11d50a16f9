namespace LlmRouter.Api.Json;

/// <summary>GET /router/history: accepted toggle requests, newest first.</summary>
public sealed record RouterHistoryResponse(IReadOnlyList<RouterChangeView> Items);
