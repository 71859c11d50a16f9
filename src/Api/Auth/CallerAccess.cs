using LlmRouter.Abstractions.Access;
using LlmRouter.Abstractions.Invocations;

namespace LlmRouter.Api.Auth;

/// <summary>
/// What the authentication step learned about a request: who is calling (<see cref="Identity"/>), the active key
/// and session behind the credential when one was presented, and whether the request needed none.
/// </summary>
public sealed record CallerAccess
{
    public static CallerAccess Unauthenticated { get; } = new() { Identity = CallerIdentity.Anonymous };

    public required CallerIdentity Identity { get; init; }
    public ApiKeyRecord? Key { get; init; }
    public SessionRecord? Session { get; init; }

    /// <summary>True when no credential was required: a local request under the localhost rule, or auth turned off.</summary>
    public bool CredentialOptional { get; init; }

    /// <summary>
    /// May manage keys, providers and models: an admin key, or a request that needed no credential and presented
    /// none that checked out (a local request is bound by the key it does present).
    /// </summary>
    public bool IsAdmin => Key is null ? CredentialOptional : Key.IsAdmin;
}
