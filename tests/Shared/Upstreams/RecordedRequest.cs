using System.Text.Json.Nodes;

namespace LlmRouter.Tests.Shared;

/// <summary>A request the fake upstream received, kept whole so tests can assert exactly what the router sent.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
