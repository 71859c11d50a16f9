namespace LlmRouter.Providers.Embeddings;

/// <summary>Reads an upstream's vector: a JSON array of numbers.</summary>
internal static class EmbeddingVectors
{
    /// <summary>The vector <paramref name="element"/>'s member <paramref name="name"/> holds; null when it holds none.</summary>
    public static float[]? Read(JsonElement element, string name) =>
        JsonRead.Property(element, name, JsonValueKind.Array) is { } values ? Read(values) : null;

    /// <summary>The vector of each of <paramref name="items"/>, in order; null when one has none.</summary>
    public static List<float[]>? ReadAll(JsonElement items, Func<JsonElement, float[]?> read)
    {
        var vectors = new List<float[]>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            if (read(item) is not { } vector)
            {
                return null;
            }
            vectors.Add(vector);
        }
        return vectors;
    }

    /// <summary>The vector <paramref name="values"/> is; null when it is not an array of numbers a finite float holds.</summary>
    public static float[]? Read(JsonElement values)
    {
        if (values.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var vector = new float[values.GetArrayLength()];
        var i = 0;
        foreach (var value in values.EnumerateArray())
        {
            // 1e39 reads as infinity, which no JSON answer can carry.
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetSingle(out var number) || !float.IsFinite(number))
            {
                return null;
            }
            vector[i++] = number;
        }
        return vector;
    }
}
