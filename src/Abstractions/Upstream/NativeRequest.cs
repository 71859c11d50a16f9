using System.Text.Json.Nodes;

namespace LlmRouter.Abstractions.Upstream;

/// <summary>
/// The client's own request when it spoke an upstream wire API (an Anthropic client, say): an adapter of the same
/// API sends it instead of translating the canonical body, so nothing is lost in a double translation.
/// </summary>
public sealed record NativeRequest(string Api, JsonObject Body)
{
    /// <summary>Client headers the upstream should see too (e.g. <c>anthropic-beta</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// What the request uses that the canonical body could not carry (a Responses client's built-in tools, say): when
    /// any, the call cannot be translated for another API, only sent in this one.
    /// </summary>
    public IReadOnlyList<string> Untranslatable { get; init; } = [];
}
