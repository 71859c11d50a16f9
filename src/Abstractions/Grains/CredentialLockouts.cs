namespace LlmRouter.Abstractions.Grains;

/// <summary>Lockouts read from <see cref="ICredentialLockoutsGrain"/>: its epoch, the last position read, and the addresses with when each lockout ends.</summary>
[GenerateSerializer, Immutable, Alias("credential-lockouts")]
public sealed record CredentialLockouts(Guid Epoch, long Last, CredentialLockout[] Lockouts);
