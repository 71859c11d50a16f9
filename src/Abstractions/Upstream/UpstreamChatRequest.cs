using System.Text.Json.Nodes;

namespace LlmRouter.Abstractions.Upstream;

/// <summary>
/// A chat call in the canonical format (OpenAI chat completions). <see cref="Body"/> already carries the
/// upstream model name and the effective parameters; adapters translate it for their wire format.
/// </summary>
public sealed record UpstreamChatRequest(ResolvedModel Model, JsonObject Body)
{
    /// <summary>The client's request in an upstream's own API, when it spoke one; adapters of that API prefer it.</summary>
    public NativeRequest? Native { get; init; }
    /// <summary>The caller's session, when known: local models prefer the node whose KV cache holds it.</summary>
    public string? SessionId { get; init; }

    public bool Stream => Body["stream"] is JsonValue value && value.TryGetValue(out bool stream) && stream;
}
