namespace LlmRouter.Api.Auth;

/// <summary>
/// Writes an authentication or permission error in the shape the client's API expects: Anthropic's
/// <c>{"type":"error","error":{…}}</c> under /v1/messages, OpenAI's everywhere else.
/// </summary>
public static class AuthErrorWriter
{
    public static Task WriteAsync(HttpContext http, ApiError error)
    {
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"llm-router\"";
        }
        if (!IsAnthropic(http.Request) || http.Response.HasStarted)
        {
            return ErrorWriter.WriteAsync(http, error);
        }
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "error");
            json.WriteStartObject("error");
            json.WriteString("type", error.Type);
            json.WriteString("message", error.Message);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return http.Response.Body.WriteAsync(buffer.ToArray(), http.RequestAborted).AsTask();
    }

    private static bool IsAnthropic(HttpRequest request) => request.Path.StartsWithSegments("/v1/messages", StringComparison.Ordinal);
}
