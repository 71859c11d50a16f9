namespace LlmRouter.Abstractions.Configuration;

/// <summary>One [[api_keys]] entry: a client credential and the policy bound to it.</summary>
public sealed record ApiKeyConfig : ApiKeyTerms
{
    /// <summary>Environment variable holding the key (preferred over <see cref="Key"/>).</summary>
    public string? KeyEnv { get; init; }

    public string? Key { get; init; }
    public required string Name { get; init; }
}
