using System.Text.Json;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Abstractions.Embeddings;

/// <summary>
/// The <c>input</c> of an OpenAI embeddings request in its four forms, read as texts or as token arrays (exactly one
/// is set): a string, an array of strings, one token array, or an array of token arrays.
/// </summary>
public sealed record EmbeddingInput(string[]? Texts, int[][]? Tokens)
{
    /// <summary>OpenAI's limit on inputs in one request.</summary>
    public const int MaxInputs = 2048;

    public int Count => Texts?.Length ?? Tokens!.Length;

    /// <summary>
    /// The input tokens admission reserves: counted for token arrays, and for texts three characters a token, above the
    /// real count for English and most code.
    /// </summary>
    public long ReserveTokens => CountTokens(charactersPerToken: 3);

    /// <summary>
    /// The input tokens billed when the upstream reports none (Gemini's embedContent): counted for token arrays, and
    /// for texts four characters a token, as for chat answers without usage.
    /// </summary>
    public TokenUsage EstimatedUsage => new(CountTokens(charactersPerToken: 4), 0);

    private long CountTokens(int charactersPerToken) => Tokens is { } tokens
        ? tokens.Sum(t => (long)t.Length)
        : Texts!.Sum(t => ((long)t.Length + charactersPerToken - 1) / charactersPerToken);

    /// <summary>The input of <paramref name="input"/>, or why it is none of the four forms (<paramref name="problem"/>).</summary>
    public static EmbeddingInput? Read(JsonNode? input, out string? problem)
    {
        problem = null;
        switch (input)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                return text.Length > 0 ? new EmbeddingInput([text], null) : Refuse(out problem, "'input' must not be an empty string.");
            case JsonArray { Count: 0 }:
                return Refuse(out problem, "'input' must not be an empty array.");
            case JsonArray { Count: > MaxInputs } array:
                return Refuse(out problem, $"'input' holds {array.Count} items; at most {MaxInputs} are allowed.");
            case JsonArray array when array.All(IsInteger):
                return new EmbeddingInput(null, [Integers(array)]);
            case JsonArray array when array.All(item => item?.GetValueKind() == JsonValueKind.String):
                var texts = array.Select(item => item!.GetValue<string>()).ToArray();
                return texts.Any(t => t.Length == 0) ? Refuse(out problem, "'input' must not contain an empty string.") : new EmbeddingInput(texts, null);
            case JsonArray array when array.All(item => item is JsonArray tokens && tokens.All(IsInteger)):
                var arrays = array.Select(item => Integers(item!.AsArray())).ToArray();
                return arrays.Any(a => a.Length == 0) ? Refuse(out problem, "'input' must not contain an empty token array.") : new EmbeddingInput(null, arrays);
            default:
                return Refuse(out problem, "'input' must be a string, an array of strings, an array of integers (tokens) or an array of token arrays.");
        }
    }

    private static EmbeddingInput? Refuse(out string? problem, string message)
    {
        problem = message;
        return null;
    }

    private static bool IsInteger(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out int _);

    private static int[] Integers(JsonArray array) => array.Select(item => item!.GetValue<int>()).ToArray();
}
