using System.Text;

namespace LlmRouter.Persistence;

/// <summary>Cuts logged bodies to the configured size on a character boundary, and says at the end that it did.</summary>
public static class InvocationBodies
{
    /// <summary>How a cut body ends: <c>\n[truncated by llm-router: kept K of N bytes]</c>.</summary>
    public const string MarkerStart = "\n[truncated by llm-router: kept ";

    public static InvocationRecord Limit(InvocationRecord record, long maxBytes)
    {
        var request = Truncate(record.RequestBody, maxBytes);
        var response = Truncate(record.ResponseBody, maxBytes);
        var raw = Truncate(record.RawResponse, maxBytes);
        return ReferenceEquals(request, record.RequestBody) && ReferenceEquals(response, record.ResponseBody) && ReferenceEquals(raw, record.RawResponse)
            ? record
            : record with { RequestBody = request, ResponseBody = response, RawResponse = raw };
    }

    /// <summary>The body itself when it fits in <paramref name="maxBytes"/> UTF-8 bytes, else its longest fitting prefix plus the marker.</summary>
    public static string? Truncate(string? body, long maxBytes)
    {
        // UTF-8 never needs more than 3 bytes per UTF-16 unit, so short bodies skip the count.
        if (body is null || (long)body.Length * 3 <= maxBytes)
        {
            return body;
        }
        var total = Encoding.UTF8.GetByteCount(body);
        if (total <= maxBytes)
        {
            return body;
        }
        var kept = 0L;
        var index = 0;
        while (index < body.Length)
        {
            Rune.DecodeFromUtf16(body.AsSpan(index), out var rune, out var used);
            if (kept + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }
            kept += rune.Utf8SequenceLength;
            index += used;
        }
        return string.Concat(body.AsSpan(0, index), string.Create(CultureInfo.InvariantCulture, $"{MarkerStart}{kept} of {total} bytes]"));
    }
}
