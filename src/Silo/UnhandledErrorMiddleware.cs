using LlmRouter.Api.Errors;

namespace LlmRouter.Silo;

/// <summary>Turns an unexpected exception into an OpenAI-shaped 500 and keeps the node serving.</summary>
internal sealed partial class UnhandledErrorMiddleware(RequestDelegate next, ILogger<UnhandledErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client left; nobody to answer.
        }
        catch (BadHttpRequestException exception)
        {
            await ErrorWriter.WriteAsync(http, new ApiError(exception.StatusCode, "invalid_request_error", exception.Message, Code: "bad_request"));
        }
        catch (Exception exception)
        {
            LogUnhandled(logger, exception, http.Request.Method, http.Request.Path);
            await ErrorWriter.WriteAsync(http, new ApiError(500, "server_error", "The router failed to handle the request.", Code: "internal_error"));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
