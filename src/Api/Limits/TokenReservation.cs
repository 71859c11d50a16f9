using LlmRouter.Abstractions.Embeddings;

namespace LlmRouter.Api.Limits;

/// <summary>
/// What a call may consume, estimated before it is made: the completion ceiling (<c>max_completion_tokens</c>, else
/// <c>max_tokens</c>, else the configured default) for each of the <c>n</c> choices asked for, plus the prompt,
/// estimated from its length. The estimate errs high on purpose; settlement replaces it with the upstream's count.
/// </summary>
public static class TokenReservation
{
    // About three characters per token over the messages' JSON: above the real count for English and most code.
    private const int CharsPerToken = 3;

    public static (long Tokens, decimal CostUsd) Estimate(JsonObject body, ModelConfig model, int defaultMaxTokens)
    {
        var completion = (Ceiling(body["max_completion_tokens"]) ?? Ceiling(body["max_tokens"]) ?? defaultMaxTokens) * (Ceiling(body["n"]) ?? 1);
        var prompt = body["messages"] is { } messages ? (messages.ToJsonString().Length + CharsPerToken - 1) / CharsPerToken : 0;
        return (prompt + completion, model.Config.CostOf(prompt, completion));
    }

    /// <summary>An embeddings call consumes its input tokens only: counted for token arrays, estimated high for texts.</summary>
    public static (long Tokens, decimal CostUsd) Estimate(EmbeddingInput input, ModelConfig model) =>
        (input.ReserveTokens, model.Config.CostOf(input.ReserveTokens, 0));

    private static long? Ceiling(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long tokens) && tokens > 0 ? tokens : null;
}
