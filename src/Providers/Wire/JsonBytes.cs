using System.Text.Encodings.Web;
namespace LlmRouter.Providers.Wire;

/// <summary>
/// Writes JSON nodes as UTF-8 with non-ASCII text unescaped, as upstreams and clients write it (the default
/// encoder turns every CJK character into a \u escape). Never embedded in HTML.
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
