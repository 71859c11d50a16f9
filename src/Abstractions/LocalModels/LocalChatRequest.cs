using System.Text.Json.Nodes;

namespace LlmRouter.Abstractions.LocalModels;

/// <summary>
/// A chat call for a local model: the canonical body, and the session it belongs to (if any), so that the node
/// whose KV cache already holds the conversation is preferred.
/// </summary>
public sealed record LocalChatRequest(JsonObject Body)
{
    public string? SessionKey { get; init; }
}
