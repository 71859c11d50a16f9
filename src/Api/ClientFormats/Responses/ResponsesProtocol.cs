using LlmRouter.Abstractions.Responses;
using LlmRouter.Api.ClientFormats.OpenAi;
using LlmRouter.Api.Pipeline;
using static LlmRouter.Api.Json.JsonNodes;

namespace LlmRouter.Api.ClientFormats.Responses;

/// <summary>
/// OpenAI's Responses API (POST /v1/responses): the request, earlier turns of <c>previous_response_id</c> prepended,
/// is translated to the canonical chat body (<see cref="ResponsesRequestTranslator"/>) so every upstream API serves it;
/// answers and stream events are built back as Responses objects and kept unless <c>store</c> is false. An upstream
/// serving the Responses API itself gets the client's request as it is (<see cref="NativeRequest"/>, earlier turns
/// expanded into <c>input</c>) and its answer is relayed, renamed to the router's id when kept (<see cref="ResponsePassthrough"/>).
/// One instance per request: it carries the response being built. Errors are OpenAI's.
/// </summary>
public sealed class ResponsesProtocol(IResponseStore store, TimeProvider time) : IClientProtocol
{
    private ResponseDraft? _draft;

    public string Format => ClientFormatNames.Responses;

    /// <summary>The response being answered, once the request is parsed.</summary>
    public ResponseDraft? Draft => _draft;

    public (ChatRequest? Request, ApiError? Error) Parse(JsonObject body, ChatCall call) => Parse(body, call, []);

    public async ValueTask<(ChatRequest? Request, ApiError? Error)> ParseAsync(JsonObject body, ChatCall call)
    {
        if (body["previous_response_id"] is not { } previousNode || previousNode.GetValueKind() == JsonValueKind.Null)
        {
            return Parse(body, call, []);
        }
        if (String(previousNode) is not { Length: > 0 } previousId)
        {
            return (null, ApiErrors.Invalid("previous_response_id", "'previous_response_id' must be a string."));
        }
        var previous = await store.FindAsync(previousId, call.Http.RequestAborted).ConfigureAwait(false);
        if (previous is null || !MayRead(call.Access, previous))
        {
            return (null, PreviousNotFound(previousId));
        }
        // The earlier turns: what led to the previous response, then what it answered.
        var earlier = (JsonArray)JsonNode.Parse(previous.Input)!;
        foreach (var item in JsonNode.Parse(previous.Response)?["output"] as JsonArray ?? [])
        {
            earlier.Add(item?.DeepClone());
        }
        return Parse(body, call, earlier);
    }

    public Task WriteErrorAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error);

    public IStreamEncoder? OpenStream(ChatCall call)
    {
        var body = call.Request!.Body;
        if (body["stream"] is not JsonValue stream || !stream.GetValue<bool>())
        {
            return null;
        }
        OpenAiStreamEncoder.RequestUsage(body);
        return new ResponsesStreamEncoder(_draft!, store);
    }

    public async Task WriteAnswerAsync(ChatCall call, CompletedCall completed)
    {
        if (ResponsePassthrough.Answer(completed.Result, _draft!) is { } relayed)
        {
            await WriteAsync(call, relayed).ConfigureAwait(false);
            return;
        }
        var completion = JsonNode.Parse(completed.Result.Body.Span) as JsonObject ?? [];
        var cached = ResponseDraft.CachedTokens(completion) ?? 0;
        await WriteAsync(call, _draft!.Build(ResponseDraft.Output(completion), completed.Result.Usage ?? default, cached, completed.Result.FinishReason)).ConfigureAwait(false);
    }

    /// <summary>Keeps the response when the request asks it, then answers with it.</summary>
    private async Task WriteAsync(ChatCall call, JsonObject response)
    {
        if (_draft!.Store)
        {
            await store.SaveAsync(_draft.Stored(response), call.Http.RequestAborted).ConfigureAwait(false);
        }
        await JsonAnswer.WriteAsync(call.Http, JsonBytes.Of(response)).ConfigureAwait(false);
    }

    /// <summary>A kept response is the business of the key that created it, and of admins; to anyone else it does not exist.</summary>
    public static bool MayRead(Auth.CallerAccess access, StoredResponse response) =>
        access.IsAdmin || response.ApiKeyId is not null && response.ApiKeyId == access.Key?.Id;

    public static ApiError NotFound(string id) =>
        new(404, "invalid_request_error", $"Response with id '{id}' not found.", Code: "not_found");

    private static ApiError PreviousNotFound(string id) =>
        new(404, "invalid_request_error", $"Previous response with id '{id}' not found.", "previous_response_id", "previous_response_not_found");

    private (ChatRequest? Request, ApiError? Error) Parse(JsonObject body, ChatCall call, JsonArray earlier)
    {
        var (input, unreadable) = ResponsesInputItems.Read(body["input"]);
        if (unreadable is not null)
        {
            return (null, unreadable);
        }
        var conversation = earlier;
        foreach (var item in input!)
        {
            conversation.Add(item?.DeepClone());
        }
        var (translation, invalid) = ResponsesRequestTranslator.Translate(body, conversation);
        if (invalid is not null)
        {
            return (null, invalid);
        }
        _draft = new ResponseDraft(body, conversation, call.Access.Key?.Id, time.GetUtcNow());
        var untranslatable = translation!.Untranslatable;
        return (new ChatRequest(translation.Body)
        {
            Requested = String(body["model"]),
            NamesModel = true,
            Native = new NativeRequest(WireApis.OpenAiResponses, ResponsePassthrough.Request(body, conversation))
            {
                Untranslatable = untranslatable.Select(u => u.What).Distinct().ToArray(),
            },
            Restriction = untranslatable.Count == 0 ? null : ResponsePassthrough.Only(untranslatable, call.Access.Key?.Pipeline),
        }, null);
    }
}
