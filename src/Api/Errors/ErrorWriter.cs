using System.Globalization;
using System.Text;
using LlmRouter.Api.Monitoring;

namespace LlmRouter.Api.Errors;

/// <summary>Writes an <see cref="ApiError"/> as OpenAI's error JSON.</summary>
public static class ErrorWriter
{
    public static Task WriteAsync(HttpContext http, ApiError error) => WriteAsync(http, error, OpenAiBody);

    /// <summary>
    /// Answers with the error's status (and Retry-After), its body in a client API's shape; nothing once the answer has
    /// started or the client has gone.
    /// </summary>
    public static Task WriteAsync(HttpContext http, ApiError error, Func<ApiError, byte[]> body)
    {
        var response = http.Response;
        if (response.HasStarted || error.Status == ApiErrors.ClientClosedRequest)
        {
            return Task.CompletedTask;
        }
        RefusedCall.NoteError(http, error);
        response.StatusCode = error.Status;
        if (error.RetryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        response.ContentType = "application/json";
        return response.Body.WriteAsync(body(error), http.RequestAborted).AsTask();
    }

    private static byte[] OpenAiBody(ApiError error) => error.PassthroughBody is { } raw ? Encoding.UTF8.GetBytes(raw) : Serialize(error);

    public static byte[] Serialize(ApiError error) =>
        JsonSerializer.SerializeToUtf8Bytes(new ErrorEnvelope(new ErrorBody(error.Message, error.Type, error.Param, error.Code)), ApiJsonContext.Default.ErrorEnvelope);

    /// <summary>An IResult for handlers that return results.</summary>
    public static IResult Result(ApiError error) => new ErrorResult(error);

    private sealed class ErrorResult(ApiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, error);
    }
}
