using System.Buffers;
using System.Runtime.InteropServices;

namespace LlmRouter.Providers.Embeddings;

/// <summary>
/// Writes vectors an upstream of another API computed as OpenAI's embeddings answer (<c>object: list</c>): each
/// input's vector in input order, as numbers or, for <c>encoding_format: base64</c>, as the base64 of its
/// little-endian float32 bytes.
/// </summary>
public static class OpenAiEmbeddingList
{
    public const string Base64 = "base64";

    public static byte[] Write(IReadOnlyList<float[]> vectors, string model, TokenUsage usage, string? encodingFormat)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            for (var i = 0; i < vectors.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("object", "embedding");
                json.WriteNumber("index", i);
                WriteVector(json, vectors[i], encodingFormat == Base64);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("model", model);
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", usage.PromptTokens);
            json.WriteNumber("total_tokens", usage.PromptTokens);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteVector(Utf8JsonWriter json, float[] vector, bool base64)
    {
        if (base64)
        {
            json.WriteBase64String("embedding", LittleEndianBytes(vector));
            return;
        }
        json.WriteStartArray("embedding");
        foreach (var value in vector)
        {
            json.WriteNumberValue(value);
        }
        json.WriteEndArray();
    }

    private static byte[] LittleEndianBytes(float[] vector)
    {
        var bytes = MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            for (var i = 0; i < bytes.Length; i += sizeof(float))
            {
                Array.Reverse(bytes, i, sizeof(float));
            }
        }
        return bytes;
    }
}
