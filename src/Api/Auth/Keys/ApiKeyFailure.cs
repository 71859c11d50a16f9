namespace LlmRouter.Api.Auth.Keys;

/// <summary>Why a change to an API key was refused.</summary>
public enum ApiKeyFailure
{
    None,
    NotFound,
    Invalid,

    /// <summary>The name or secret is already taken.</summary>
    Conflict,

    /// <summary>The key is defined in router.toml (or LLM_ROUTER_API_KEYS): change it there.</summary>
    ReadOnly,
}
