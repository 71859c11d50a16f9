namespace LlmRouter.Abstractions.Access;

/// <summary>Where an API key is defined.</summary>
public static class ApiKeySources
{
    /// <summary>router.toml or LLM_ROUTER_API_KEYS: read-only over REST, the file wins.</summary>
    public const string Config = "config";

    /// <summary>Created over REST or the CLI and kept in the store.</summary>
    public const string Store = "store";
}
