namespace LlmRouter.Api.Chat;

/// <summary>
/// Usage for an answer the upstream did not report it for (a stream that broke off or never sent usage, the client
/// hanging up, a server that ignores <c>include_usage</c>): completion tokens are the content chunks received
/// (streaming upstreams send about one token per chunk), or a whole answer's text at four characters a token; prompt
/// tokens are estimated from the request's text the same way. The call is billed, not lost, and the log says the
/// figures are estimates.
/// </summary>
public static class UsageEstimator
{
    private const int CharactersPerToken = 4;

    public static TokenUsage Estimate(JsonObject body, int contentChunks, long answerCharacters = 0) =>
        new(PromptTokens(body), Math.Max(contentChunks, (answerCharacters + CharactersPerToken - 1) / CharactersPerToken));

    /// <summary>A whole OpenAI chat completion without usage: its first choice's text is the answer.</summary>
    public static TokenUsage FromCompletion(JsonObject body, ReadOnlySpan<byte> completion)
    {
        long characters = 0;
        try
        {
            if (JsonNode.Parse(completion) is JsonObject answer && answer["choices"] is JsonArray { Count: > 0 } choices)
            {
                characters = TextLength(choices[0]?["message"]?["content"]);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON after all: only the prompt is estimated.
        }
        return Estimate(body, 0, characters);
    }

    public static long PromptTokens(JsonObject body)
    {
        long characters = 0;
        if (body["messages"] is JsonArray messages)
        {
            foreach (var message in messages)
            {
                characters += TextLength(message?["content"]);
            }
        }
        return (characters + CharactersPerToken - 1) / CharactersPerToken;
    }

    private static long TextLength(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue(out string? text) => text.Length,
        JsonArray parts => parts.Sum(part => part?["text"] is JsonValue text && text.TryGetValue(out string? s) ? s.Length : 0),
        _ => 0,
    };
}
