using System.Text;

namespace LlmRouter.Api.ClientFormats.Anthropic;

/// <summary>
/// Errors in Anthropic's shape, <c>{"type":"error","error":{"type","message"}}</c>, with Anthropic's error type for
/// each status. An Anthropic upstream's own 4xx error body is passed on as it came.
/// </summary>
public static class AnthropicErrors
{
    public static ApiError Invalid(string message) => new(400, "invalid_request_error", message);

    public static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    public static byte[] Serialize(ApiError error)
    {
        if (Passthrough(error) is { } raw)
        {
            return Encoding.UTF8.GetBytes(raw);
        }
        return JsonBytes.Of(new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = TypeFor(error.Status), ["message"] = error.Message },
        });
    }

    public static Task WriteAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error, Serialize);

    /// <summary>The upstream's body when it is an Anthropic error object and the client gets the upstream's own status.</summary>
    private static string? Passthrough(ApiError error)
    {
        if (error.Upstream is not { Api: WireApis.Anthropic, RawBody: { Length: > 0 } raw } upstream || upstream.Status != error.Status)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object ? raw : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
