namespace LlmRouter.Api.Json;

/// <summary>POST /auth/bind-model's answer; <see cref="ProviderName"/> is null when a model group was bound.</summary>
public sealed record BindModelResponse(string Message, string? ProviderName, string ModelName);
