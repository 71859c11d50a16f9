namespace LlmRouter.Providers.Anthropic;

/// <summary>
/// Anthropic's usage object in OpenAI terms: prompt tokens are input plus cache writes plus cache reads
/// (Anthropic counts them apart, OpenAI counts them in), and cache reads are OpenAI's cached tokens.
/// </summary>
internal readonly record struct AnthropicUsage(long Input, long CacheCreation, long CacheRead, long Output)
{
    public TokenUsage Tokens => new(Input + CacheCreation + CacheRead, Output);

    /// <summary>Reads <paramref name="usage"/>, keeping <paramref name="previous"/> values the object leaves out (stream deltas are partial).</summary>
    public static AnthropicUsage Read(JsonElement usage, AnthropicUsage previous = default) => new(
        JsonRead.Long(usage, "input_tokens") ?? previous.Input,
        JsonRead.Long(usage, "cache_creation_input_tokens") ?? previous.CacheCreation,
        JsonRead.Long(usage, "cache_read_input_tokens") ?? previous.CacheRead,
        JsonRead.Long(usage, "output_tokens") ?? previous.Output);
}
