using System.Text.Json.Serialization;

namespace LlmRouter.Api.Json;

/// <summary>Source-generated serialization for the authentication and management endpoints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(BindModelResponse))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(WhoAmIResponse))]
[JsonSerializable(typeof(ApiKeyView))]
[JsonSerializable(typeof(IReadOnlyList<ApiKeyView>))]
public sealed partial class AccessJsonContext : JsonSerializerContext;
