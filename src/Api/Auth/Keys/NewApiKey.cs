namespace LlmRouter.Api.Auth.Keys;

/// <summary>A request to create an API key; without <see cref="Secret"/> a random one is generated under <see cref="Prefix"/>.</summary>
public sealed record NewApiKey : ApiKeyTerms
{
    public required string Name { get; init; }

    /// <summary>A secret chosen by the caller (the seeds allow it); generated when null.</summary>
    public string? Secret { get; init; }

    public string Prefix { get; init; } = SecretTokens.DefaultKeyPrefix;
}
