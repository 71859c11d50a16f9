namespace LlmRouter.Providers.Wire;

/// <summary>Splits <c>data:image/png;base64,…</c> URLs (how OpenAI clients inline images) into media type and data.</summary>
internal static class DataUrl
{
    public static bool TryParse(string url, out string mediaType, out string base64)
    {
        mediaType = "";
        base64 = "";
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return false;
        }
        var header = url.AsSpan(5, comma - 5);
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        mediaType = header[..^";base64".Length].ToString();
        base64 = url[(comma + 1)..];
        return mediaType.Length > 0;
    }
}
