using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Api.Chat;

/// <summary>
/// Usage for a stream that ended before the upstream reported it (the client hung up, or the upstream broke off):
/// completion tokens are the content chunks received (streaming upstreams send about one token per chunk), prompt
/// tokens are estimated from the request's text at four characters a token. The call is billed, not lost.
/// </summary>
public static class UsageEstimator
{
    private const int CharactersPerToken = 4;

    public static TokenUsage Estimate(JsonObject body, int contentChunks) => new(PromptTokens(body), contentChunks);

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
