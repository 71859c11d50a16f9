using System.Buffers;
using System.IO.Pipelines;

namespace LlmRouter.Providers.Sse;

/// <summary>
/// Reads a text/event-stream as events arrive, without buffering the whole stream. <paramref name="onRead"/>
/// is called after every successful read so a caller can push its idle deadline forward. An event (or a line) larger
/// than <c>maxEventBytes</c> ends the stream with an <see cref="IOException"/>: an upstream cannot make the router hold
/// an unbounded amount of it.
/// </summary>
public static class SseReader
{
    public static async IAsyncEnumerable<SseEvent> ReadAsync(
        Stream stream, Action? onRead = null, long maxEventBytes = long.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        var parser = new SseParser();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                onRead?.Invoke();
                var buffer = result.Buffer;
                var events = parser.Feed(ref buffer);
                if (buffer.Length > maxEventBytes || parser.PendingBytes > maxEventBytes)
                {
                    throw TooLarge(maxEventBytes);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var item in events)
                {
                    yield return item;
                }
                if (result.IsCompleted)
                {
                    if (parser.Finish() is { } last)
                    {
                        yield return last;
                    }
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The failure of a stream one of whose events (or lines) is larger than the bound.</summary>
    public static IOException TooLarge(long maxEventBytes) =>
        new($"an event of the stream is larger than {maxEventBytes} bytes ([server] max_upstream_response_bytes)");

    /// <summary>Line-level state of the event-stream grammar.</summary>
    private sealed class SseParser
    {
        private readonly ArrayBufferWriter<byte> _data = new();
        private string? _event;
        private bool _hasData;

        public List<SseEvent> Feed(ref ReadOnlySequence<byte> buffer)
        {
            var events = new List<SseEvent>();
            while (TryReadLine(ref buffer, out var line))
            {
                if (OnLine(line) is { } complete)
                {
                    events.Add(complete);
                }
            }
            return events;
        }

        public SseEvent? Finish() => _hasData ? Dispatch() : null;

        /// <summary>The bytes of the event being read so far.</summary>
        public int PendingBytes => _data.WrittenCount;

        private SseEvent? OnLine(ReadOnlySpan<byte> line)
        {
            if (line.IsEmpty)
            {
                return _hasData ? Dispatch() : Reset();
            }
            if (line[0] == (byte)':')
            {
                return null;
            }
            var colon = line.IndexOf((byte)':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? [] : line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value[1..];
            }
            if (field.SequenceEqual("data"u8))
            {
                if (_hasData)
                {
                    _data.Write("\n"u8);
                }
                _data.Write(value);
                _hasData = true;
            }
            else if (field.SequenceEqual("event"u8))
            {
                _event = Encoding.UTF8.GetString(value);
            }
            return null;
        }

        private SseEvent Dispatch()
        {
            var complete = new SseEvent(_event, _data.WrittenSpan.ToArray());
            Reset();
            return complete;
        }

        private SseEvent? Reset()
        {
            _data.ResetWrittenCount();
            _event = null;
            _hasData = false;
            return null;
        }

        private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySpan<byte> line)
        {
            var position = buffer.PositionOf((byte)'\n');
            if (position is null)
            {
                line = default;
                return false;
            }
            var slice = buffer.Slice(0, position.Value);
            var bytes = slice.IsSingleSegment ? slice.FirstSpan : slice.ToArray();
            if (!bytes.IsEmpty && bytes[^1] == (byte)'\r')
            {
                bytes = bytes[..^1];
            }
            line = bytes;
            buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
            return true;
        }
    }
}
