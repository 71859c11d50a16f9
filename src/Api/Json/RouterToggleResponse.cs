namespace LlmRouter.Api.Json;

/// <summary>POST /router/toggle: whether the request was recorded, what it means, and the status after it.</summary>
public sealed record RouterToggleResponse(bool Changed, string Message, RouterStatusView Status);
