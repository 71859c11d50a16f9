using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmRouter.Abstractions.Upstream;

/// <summary>
/// Writes JSON nodes as UTF-8 the way upstreams do: non-ASCII text and <c>&lt;</c>/<c>&gt;</c> unescaped (the
/// default encoder would turn <c>&lt;think&gt;</c> and every CJK character into \u escapes). Never embedded in HTML.
/// </summary>
public static class JsonBytes
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Of(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            node.WriteTo(writer);
        }
        return buffer.ToArray();
    }
}
