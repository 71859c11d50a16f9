using System.Text.Json.Serialization;

namespace LlmRouter.Api.Json;

/// <summary>The inner object of <see cref="ErrorEnvelope"/>; param and code are always present, possibly null.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
