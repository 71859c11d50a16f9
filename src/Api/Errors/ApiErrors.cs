using LlmRouter.Grains.Routing;

namespace LlmRouter.Api.Errors;

/// <summary>The errors the router answers with, and how upstream failures map onto HTTP statuses.</summary>
public static class ApiErrors
{
    /// <summary>Nginx's "client closed request": logged, never sent (nobody is listening).</summary>
    public const int ClientClosedRequest = 499;

    public static ApiError InvalidJson(string detail) =>
        new(400, "invalid_request_error", $"We could not parse the JSON body of your request: {detail}", Code: "invalid_json");

    public static ApiError Invalid(string param, string message) =>
        new(400, "invalid_request_error", message, param, "invalid_value");

    public static ApiError BodyTooLarge(long limit) =>
        new(413, "invalid_request_error", $"The request body is larger than the limit of {limit} bytes.", Code: "request_too_large");

    public static ApiError Resolution(ModelResolution resolution) => resolution.Error switch
    {
        ModelResolutionError.Ambiguous => new(400, "invalid_request_error", resolution.Message!, "model", "model_ambiguous"),
        _ => new(404, "invalid_request_error", resolution.Message!, "model", "model_not_found"),
    };

    public static ApiError FromUpstream(UpstreamError error) => FromUpstreamKind(error) with { Upstream = error };

    private static ApiError FromUpstreamKind(UpstreamError error) => error.Kind switch
    {
        UpstreamErrorKind.Cancelled => new(ClientClosedRequest, "client_closed", error.Message),
        UpstreamErrorKind.Timeout => new(504, "timeout_error", error.Message, Code: "upstream_timeout"),
        UpstreamErrorKind.Connect => new(502, "upstream_error", error.Message, Code: "upstream_unreachable"),
        UpstreamErrorKind.Protocol => new(502, "upstream_error", error.Message, Code: "upstream_protocol_error"),
        UpstreamErrorKind.Unavailable => new(503, "upstream_error", error.Message, Code: error.Code ?? "upstream_unavailable") { RetryAfter = error.RetryAfter },
        _ when error.Status is >= 400 and < 500 and var status => new(status, TypeFor(status), error.Message, Code: "upstream_" + status)
        {
            PassthroughBody = (error.Api is null or WireApis.OpenAi) && IsOpenAiErrorObject(error.RawBody) ? error.RawBody : null,
            RetryAfter = error.RetryAfter,
        },
        _ => new(502, "upstream_error", $"The upstream answered HTTP {error.Status}: {error.Message}", Code: "upstream_http_" + error.Status),
    };

    private static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        429 => "rate_limit_error",
        _ => "invalid_request_error",
    };

    private static bool IsOpenAiErrorObject(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var inner)
                && inner.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
