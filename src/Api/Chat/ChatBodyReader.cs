using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;

namespace LlmRouter.Api.Chat;

/// <summary>Reads a JSON request body and checks the parts of a chat request the router itself relies on.</summary>
public static class ChatBodyReader
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    // A body naming a member twice is refused as JSON the router cannot read, never held as two values.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public static async ValueTask<(JsonObject? Body, ApiError? Error)> ReadObjectAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        // The request's own limit, where a guard lowered it (management endpoints), is the one to enforce and quote.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } cap && cap < maxBytes)
        {
            maxBytes = cap;
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(request, maxBytes));
        }
        try
        {
            // The whole body is read first (JSON parsing needs it whole anyway) so invalid UTF-8 is refused up front:
            // the JSON reader does not check the bytes inside strings, and a bad string would surface later as a fault.
            using var body = await RequestBodyBuffer.ReadAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                return (null, TooLarge(request, maxBytes));
            }
            if (!Utf8.IsValid(body.Span))
            {
                return (null, ApiErrors.InvalidJson("the body is not valid UTF-8"));
            }
            var node = JsonNode.Parse(body.Span, NodeOptions, DocumentOptions);
            if (LoneSurrogates.Any(body.Span, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth }))
            {
                return (null, ApiErrors.InvalidJson("a string escapes a lone UTF-16 surrogate"));
            }
            return node is JsonObject json
                ? (json, null)
                : (null, ApiErrors.InvalidJson("the body must be a JSON object"));
        }
        catch (JsonException exception)
        {
            return (null, ApiErrors.InvalidJson(exception.Message));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(request, maxBytes));
        }
    }

    /// <summary>
    /// A body left unread: the connection closes after the answer (<c>Connection: close</c>), so a client does not send
    /// its next request on a connection the server drops while draining the rest.
    /// </summary>
    private static ApiError TooLarge(HttpRequest request, long maxBytes)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return ApiErrors.BodyTooLarge(maxBytes);
    }

    /// <summary>Checks <c>messages</c>, <c>model</c>, <c>stream</c> and <c>stream_options</c>; the upstream checks the rest.</summary>
    public static ApiError? ValidateChat(JsonObject body, bool modelRequired)
    {
        if (body["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return ApiErrors.Invalid("messages", "'messages' must be a non-empty array of message objects.");
        }
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message || message["role"] is not JsonValue role || role.GetValueKind() != JsonValueKind.String)
            {
                return ApiErrors.Invalid($"messages[{i}]", $"'messages[{i}]' must be an object with a string 'role'.");
            }
            if (ChatParameterRules.Message(message, i) is { } badMessage)
            {
                return badMessage;
            }
        }
        var model = body["model"];
        if (model is not null && model.GetValueKind() != JsonValueKind.String)
        {
            return ApiErrors.Invalid("model", "'model' must be a string.");
        }
        if (modelRequired && model is null)
        {
            return ApiErrors.Invalid("model", "'model' is required: name a model as 'provider/model'.");
        }
        if (body["stream"] is { } stream && stream.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ApiErrors.Invalid("stream", "'stream' must be a boolean.");
        }
        if (body["stream_options"] is { } options && options.GetValueKind() is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return ApiErrors.Invalid("stream_options", "'stream_options' must be an object.");
        }
        return ChatParameterRules.Parameters(body);
    }
}
