using System.Text;
using System.Text.Json;
using LlmRouter.Providers.Http;

namespace LlmRouter.Providers.Tests;

/// <summary>Calls, bodies and streams for translator tests: what the router hands a protocol, and what comes back.</summary>
internal static class TestCalls
{
    public const string Key = "sk-test-key";

    public static ProviderConfig Provider(string type, string? baseUrl = null, params (string Key, object? Value)[] settings) => new()
    {
        Name = "p1",
        Type = type,
        BaseUrl = baseUrl,
        Settings = settings.ToDictionary(s => s.Key, s => s.Value),
    };

    public static UpstreamCall Call(ProviderConfig provider, string canonical, string? rewriteBody = null, NativeRequest? native = null, string? key = Key)
    {
        var model = new ModelConfig
        {
            Name = "m1",
            Provider = provider.Name,
            RewriteBody = rewriteBody is null ? null : JsonDocument.Parse(rewriteBody).RootElement.Clone(),
        };
        var request = new UpstreamChatRequest(new ResolvedModel(model, provider), (JsonObject)JsonNode.Parse(canonical)!) { Native = native };
        return new UpstreamCall(request, key, TimeSpan.FromSeconds(30));
    }

    /// <summary>The body a request carries, re-written compactly in its own key order.</summary>
    public static async Task<string> BodyOf(HttpRequestMessage request) =>
        Compact(await request.Content!.ReadAsStringAsync());

    /// <summary>JSON text without white space, keys in the order written: two texts compare equal when the JSON is the same in the same order.</summary>
    public static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();

    public static string Compact(ReadOnlyMemory<byte> json) => JsonNode.Parse(json.Span)!.ToJsonString();

    public static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Reads a whole streamed body through a protocol's stream reader.</summary>
    public static async Task<List<ChatStreamChunk>> ReadStream(IWireProtocol protocol, UpstreamCall call, string body, long created = 1700000000)
    {
        using var deadline = new UpstreamDeadline(TimeSpan.FromSeconds(30), CancellationToken.None, TimeSpan.FromMinutes(1), 1 << 20);
        using var stream = new MemoryStream(Bytes(body));
        var chunks = new List<ChatStreamChunk>();
        await foreach (var chunk in protocol.ReadStream(stream, deadline, call, created))
        {
            chunks.Add(chunk);
        }
        return chunks;
    }

    /// <summary>The chunks as compact JSON (an error chunk as <c>error: message</c>), for comparing a whole stream at once.</summary>
    public static string[] Texts(IEnumerable<ChatStreamChunk> chunks) =>
        [.. chunks.Select(c => c.Error is { } error ? "error: " + error.Message : Compact(c.Json))];
}
