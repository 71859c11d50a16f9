namespace LlmRouter.LocalModels.Engine;

/// <summary>How the next token is chosen: a temperature of 0 means greedy (always the most likely token).</summary>
public sealed record SamplingOptions
{
    public float Temperature { get; init; } = 1f;
    public float TopP { get; init; } = 1f;

    /// <summary>Keeps only the k most likely tokens; 0 disables it.</summary>
    public int TopK { get; init; }

    public uint Seed { get; init; }

    /// <summary>Token id to a bias added to its logit (OpenAI's <c>logit_bias</c>, -100 bans a token).</summary>
    public IReadOnlyDictionary<int, float> LogitBias { get; init; } = new Dictionary<int, float>();

    public bool IsGreedy => Temperature <= 0f;
}
