namespace LlmRouter.Api.ClientFormats;

/// <summary>Writes a whole JSON answer, 200 OK, with its length.</summary>
public static class JsonAnswer
{
    public static async Task WriteAsync(HttpContext http, ReadOnlyMemory<byte> json)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
    }
}
