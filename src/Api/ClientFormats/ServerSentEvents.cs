using System.Text;

namespace LlmRouter.Api.ClientFormats;

/// <summary>The status and headers that open a server-sent event stream, unbuffered by proxies, and its named events.</summary>
public static class ServerSentEvents
{
    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>Writes one event named <paramref name="name"/>; a payload of several lines (as an SSE reader joins them) goes out as several data lines.</summary>
    public static void WriteEvent(IBufferWriterTarget output, string name, ReadOnlySpan<byte> data)
    {
        output.Write("event: "u8);
        output.Write(Encoding.UTF8.GetBytes(name));
        output.Write("\n"u8);
        while (true)
        {
            var newline = data.IndexOf((byte)'\n');
            output.Write("data: "u8);
            output.Write(newline < 0 ? data : data[..newline]);
            output.Write("\n"u8);
            if (newline < 0)
            {
                break;
            }
            data = data[(newline + 1)..];
        }
        output.Write("\n"u8);
    }
}
