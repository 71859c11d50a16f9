using System.Buffers;

namespace LlmRouter.Providers.Http;

/// <summary>Reads an upstream body without trusting its size: at most a given number of bytes is ever held.</summary>
internal static class BoundedBody
{
    /// <summary>The whole body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async ValueTask<byte[]?> ReadAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            return null;
        }
        var (bytes, complete) = await ReadUpToAsync(content, maxBytes, cancellationToken).ConfigureAwait(false);
        return complete ? bytes : null;
    }

    /// <summary>The body as text, cut after <paramref name="maxBytes"/> when it is longer.</summary>
    public static async ValueTask<string> ReadTextAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        var (bytes, complete) = await ReadUpToAsync(content, maxBytes, cancellationToken).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(bytes);
        // A cut may split the last character; its remains decode as replacement characters.
        return complete ? text : text.TrimEnd('\uFFFD');
    }

    /// <summary>Up to <paramref name="maxBytes"/> bytes, and whether that was all of the body.</summary>
    private static async ValueTask<(byte[] Bytes, bool Complete)> ReadUpToAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        maxBytes = Math.Min(maxBytes, Array.MaxLength - 1);
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (content.Headers.ContentLength is { } length && length <= maxBytes)
        {
            // The usual answer announces its size: one array of exactly that size, no growing and no copy.
            var bytes = new byte[length];
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            return (bytes, true);
        }
        var output = new ArrayBufferWriter<byte>((int)Math.Min(maxBytes, 4 * 1024));
        while (true)
        {
            var room = (int)Math.Min(16 * 1024, maxBytes - output.WrittenCount + 1);
            var read = await stream.ReadAsync(output.GetMemory(room)[..room], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (output.WrittenSpan.ToArray(), true);
            }
            output.Advance(read);
            if (output.WrittenCount > maxBytes)
            {
                return (output.WrittenSpan[..(int)maxBytes].ToArray(), false);
            }
        }
    }
}
