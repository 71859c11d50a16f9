using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// What the fake upstreams embed a text as: a vector that depends on the text and the position in it, so a test can
/// tell inputs apart and check their order; its width is the <c>dimensions</c> asked for, else <see cref="DefaultWidth"/>.
/// </summary>
public static class FakeEmbeddings
{
    public const int DefaultWidth = 8;

    public static float[] Vector(string text, int? width = null) =>
        Enumerable.Range(0, width ?? DefaultWidth).Select(i => (text.Length * 31 + text[0] + i * 7) % 97 / 97f).ToArray();

    /// <summary>The input tokens a fake reports for a text: its words.</summary>
    public static int Tokens(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>A JSON array of the vector's numbers.</summary>
    public static JsonArray Json(float[] vector) => new(vector.Select(v => (JsonNode)v).ToArray());

    /// <summary>The vector as OpenAI's base64: its little-endian float32 bytes.</summary>
    public static string Base64(float[] vector) => Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan()));

    /// <summary>Reads an OpenAI base64 embedding back.</summary>
    public static float[] FromBase64(string base64) => MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(base64)).ToArray();

    /// <summary>The texts of an OpenAI or Ollama <c>input</c> (a string or an array of strings); null for anything else.</summary>
    public static string[]? Texts(JsonNode? input) => input switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        JsonArray array when array.Count > 0 && array.All(i => i?.GetValueKind() == JsonValueKind.String) => array.Select(i => i!.GetValue<string>()).ToArray(),
        _ => null,
    };
}
