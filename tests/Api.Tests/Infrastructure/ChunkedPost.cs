using System.Net.Sockets;
using System.Text;

namespace LlmRouter.Api.Tests.Infrastructure;

/// <summary>A body too large for the node, sent chunked over a raw socket, and the node's answer to it.</summary>
internal static class ChunkedPost
{
    /// <summary>
    /// Posts <paramref name="body"/> chunked to <paramref name="node"/> (with <paramref name="extraHeaders"/>, each
    /// ending in CRLF) the way an impatient client does: the body is written while the answer is
    /// read. A node that refuses the body before reading it all closes with the rest unread, which resets the
    /// connection under a client still writing (HttpClient then fails with a broken pipe, or loses the answer: one
    /// failed CI run); the answer counts here once it has arrived whole, whatever the socket does after it.
    /// </summary>
    public static async Task<(int Status, byte[] Body)> SendWhileReadingAsync(Uri node, string path, byte[] body, string extraHeaders = "")
    {
        using var client = new TcpClient();
        await client.ConnectAsync(node.Host, node.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {node.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n{extraHeaders}\r\n"));
        var writing = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in body.Chunk(16 * 1024))
                {
                    await stream.WriteAsync(Encoding.Latin1.GetBytes($"{chunk.Length:x}\r\n"));
                    await stream.WriteAsync(chunk);
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
            catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
            {
                // The node stopped reading: what it answered is what the test judges.
            }
        });
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        HttpAnswer? answer;
        while ((answer = HttpAnswer.TryParse(received.ToArray())) is null)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, "the node closed before its answer was whole: " + Encoding.UTF8.GetString(received.ToArray()));
            received.Write(buffer, 0, read);
        }
        client.Close();
        await writing;
        return (answer.Status, answer.Body);
    }

    /// <summary>An HTTP/1.1 answer read off a socket: its status and its body (by Content-Length or chunked).</summary>
    private sealed record HttpAnswer(int Status, byte[] Body)
    {
        public static HttpAnswer? TryParse(byte[] bytes)
        {
            var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                return null;
            }
            var head = Encoding.Latin1.GetString(bytes, 0, end).Split("\r\n");
            var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            string? Header(string name) => head.Skip(1)
                .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
                .Select(line => line[(name.Length + 1)..].Trim()).FirstOrDefault();
            var rest = bytes.AsSpan(end + 4);
            if (Header("Content-Length") is { } length)
            {
                var count = int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
                return rest.Length >= count ? new HttpAnswer(status, rest[..count].ToArray()) : null;
            }
            Assert.Equal("chunked", Header("Transfer-Encoding"));
            var content = new MemoryStream();
            while (true)
            {
                var line = rest.IndexOf("\r\n"u8);
                if (line < 0)
                {
                    return null;
                }
                var size = Convert.ToInt32(Encoding.Latin1.GetString(rest[..line]).Split(';')[0], 16);
                if (size == 0)
                {
                    return new HttpAnswer(status, content.ToArray());
                }
                if (rest.Length < line + 2 + size + 2)
                {
                    return null;
                }
                content.Write(rest.Slice(line + 2, size));
                rest = rest[(line + 2 + size + 2)..];
            }
        }
    }
}
