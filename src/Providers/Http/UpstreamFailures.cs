using System.Net.Http.Headers;

namespace LlmRouter.Providers.Http;

/// <summary>Turns transport exceptions and error responses into <see cref="UpstreamError"/> values.</summary>
internal static class UpstreamFailures
{
    public static UpstreamError FromException(Exception exception, UpstreamDeadline deadline, string provider) => exception switch
    {
        OperationCanceledException when deadline.ClientCancelled =>
            new UpstreamError(UpstreamErrorKind.Cancelled, "the client closed the connection"),
        OperationCanceledException when deadline.TotalExpired =>
            new UpstreamError(UpstreamErrorKind.Timeout, $"provider '{provider}' streamed for longer than the stream deadline ([server] stream_deadline)"),
        OperationCanceledException =>
            new UpstreamError(UpstreamErrorKind.Timeout, $"provider '{provider}' did not answer in time"),
        HttpRequestException http when http.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse =>
            new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{provider}' broke the connection: {http.Message}"),
        HttpRequestException http =>
            new UpstreamError(UpstreamErrorKind.Connect, $"cannot reach provider '{provider}': {http.Message}"),
        IOException io =>
            new UpstreamError(UpstreamErrorKind.Protocol, $"provider '{provider}' broke the connection: {io.Message}"),
        _ => throw exception,
    };

    // An error body is shown and logged, never parsed as an answer: more than this is cut, not refused.
    private const long MaxErrorBodyBytes = 256 * 1024;

    public static async ValueTask<UpstreamError> FromResponseAsync(HttpResponseMessage response, string provider, long maxBytes, CancellationToken cancellationToken)
    {
        var raw = await BoundedBody.ReadTextAsync(response.Content, Math.Min(maxBytes, MaxErrorBodyBytes), cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        return new UpstreamError(UpstreamErrorKind.HttpStatus, ErrorMessage(raw) ?? $"provider '{provider}' answered HTTP {status}")
        {
            Status = status,
            RawBody = raw,
            RetryAfter = RetryAfter(response.Headers.RetryAfter),
        };
    }

    /// <summary>The message of an upstream error body: OpenAI's and Anthropic's <c>error.message</c>, or a short text body.</summary>
    public static string? ErrorMessage(string raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString();
                }
            }
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var plain) && plain.ValueKind == JsonValueKind.String)
            {
                return plain.GetString();
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the text itself.
        }
        return raw.Length <= 500 ? raw.Trim() : raw[..500].Trim();
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

}
