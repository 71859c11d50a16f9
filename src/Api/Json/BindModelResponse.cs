namespace LlmRouter.Api.Json;

/// <summary>POST /auth/bind-model's answer.</summary>
public sealed record BindModelResponse(string Message, string ProviderName, string ModelName);
