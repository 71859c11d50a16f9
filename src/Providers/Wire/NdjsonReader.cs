using System.Buffers;
using System.IO.Pipelines;

namespace LlmRouter.Providers.Wire;

/// <summary>
/// Reads newline-delimited JSON (one object per line, as Ollama streams) as lines arrive, without buffering the
/// whole stream. <paramref name="onRead"/> is called after every read so a caller can push its idle deadline on; a
/// line longer than <c>maxLineBytes</c> ends the stream with an <see cref="IOException"/>.
/// </summary>
public static class NdjsonReader
{
    public static async IAsyncEnumerable<byte[]> ReadAsync(
        Stream stream, Action? onRead = null, long maxLineBytes = long.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                onRead?.Invoke();
                var buffer = result.Buffer;
                var lines = new List<byte[]>();
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    AddLine(lines, buffer.Slice(0, end));
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }
                if (result.IsCompleted)
                {
                    AddLine(lines, buffer);
                    buffer = buffer.Slice(buffer.End);
                }
                if (buffer.Length > maxLineBytes || lines.Any(line => line.Length > maxLineBytes))
                {
                    throw Sse.SseReader.TooLarge(maxLineBytes);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var line in lines)
                {
                    yield return line;
                }
                if (result.IsCompleted)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static void AddLine(List<byte[]> lines, ReadOnlySequence<byte> line)
    {
        var bytes = line.ToArray().AsSpan().Trim("\r\t "u8);
        if (!bytes.IsEmpty)
        {
            lines.Add(bytes.ToArray());
        }
    }
}
