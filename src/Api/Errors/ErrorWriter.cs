using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmRouter.Api.Json;
using LlmRouter.Api.Monitoring;
using Microsoft.AspNetCore.Http;

namespace LlmRouter.Api.Errors;

/// <summary>Writes an <see cref="ApiError"/> as OpenAI's error JSON.</summary>
public static class ErrorWriter
{
    public static Task WriteAsync(HttpContext http, ApiError error)
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
        var body = error.PassthroughBody is { } raw ? Encoding.UTF8.GetBytes(raw) : Serialize(error);
        return response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }

    public static byte[] Serialize(ApiError error) =>
        JsonSerializer.SerializeToUtf8Bytes(new ErrorEnvelope(new ErrorBody(error.Message, error.Type, error.Param, error.Code)), ApiJsonContext.Default.ErrorEnvelope);

    /// <summary>An IResult for handlers that return results.</summary>
    public static IResult Result(ApiError error) => new ErrorResult(error);

    private sealed class ErrorResult(ApiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, error);
    }
}
