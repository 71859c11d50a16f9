namespace LlmRouter.Api.ClientFormats;

/// <summary>The status and headers that open a server-sent event stream, unbuffered by proxies.</summary>
public static class ServerSentEvents
{
    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }
}
