using System.Buffers;

namespace LlmRouter.Api.Chat;

/// <summary>A request body read whole into a pooled buffer, returned to the pool on dispose.</summary>
internal sealed class RequestBodyBuffer : IDisposable
{
    private const int InitialSize = 16 * 1024;
    private byte[] _buffer;
    private int _length;

    private RequestBodyBuffer(byte[] buffer) => _buffer = buffer;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    /// <summary>Reads <paramref name="body"/> to its end; null when it holds more than <paramref name="maxBytes"/>.</summary>
    public static async ValueTask<RequestBodyBuffer?> ReadAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var result = new RequestBodyBuffer(ArrayPool<byte>.Shared.Rent(InitialSize));
        try
        {
            while (true)
            {
                if (result._length == result._buffer.Length)
                {
                    result.Grow();
                }
                var read = await body.ReadAsync(result._buffer.AsMemory(result._length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return result;
                }
                result._length += read;
                if (result._length > maxBytes)
                {
                    result.Dispose();
                    return null;
                }
            }
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<byte>.Shared.Rent(checked(_buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }
    }
}
