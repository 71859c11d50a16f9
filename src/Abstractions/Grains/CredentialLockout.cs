namespace LlmRouter.Abstractions.Grains;

/// <summary>A client address locked out for guessing credentials until <see cref="Until"/>.</summary>
[GenerateSerializer, Immutable, Alias("credential-lockout")]
public sealed record CredentialLockout(string Address, DateTimeOffset Until);
