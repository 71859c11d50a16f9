using LlmRouter.Api.Chat.Pipelines;
using LlmRouter.Api.Pipeline;

namespace LlmRouter.Api.ClientFormats.Responses;

/// <summary>
/// A Responses request relayed to an upstream that serves the Responses API itself: the client's body goes as it is
/// (the upstream adapter names the upstream model), except that a <c>previous_response_id</c> of the router's is
/// expanded into <c>input</c>, since the upstream does not know the router's ids. <c>store</c> goes as the client
/// set it. The upstream's Response comes back with the router's id when the router keeps it, and the client's
/// <c>previous_response_id</c>. A request holding what chat cannot say goes only to candidates that relay it (<see cref="Only"/>).
/// </summary>
public static class ResponsePassthrough
{
    /// <summary>The events that carry the whole Response object.</summary>
    private static readonly HashSet<string> ResponseEvents =
        ["response.created", "response.in_progress", "response.completed", "response.incomplete", "response.queued"];

    /// <summary>
    /// The candidates that can take a request holding what chat cannot say: those whose provider serves the Responses
    /// API and whose answer no response pipeline rewrites (the key's <paramref name="keyPipeline"/> wins over the
    /// model's). A request no candidate can take is refused naming the provider that would have served it.
    /// </summary>
    public static CandidateRestriction Only(IReadOnlyList<(string Param, string What)> untranslatable, string? keyPipeline)
    {
        var what = string.Join(", ", untranslatable.Select(u => u.What).Distinct());
        return new CandidateRestriction(WireApi: null, model => ApiErrors.Invalid(untranslatable[0].Param,
            $"Model '{model.Id}' is served by provider '{model.Provider.Name}' through chat completions, not through OpenAI's Responses API, "
            + $"and this request uses what only the Responses API understands: {what}."))
        {
            Serves = model => ProviderApis.ServesResponses(model.Provider) && ResponsePipelines.Resolve(keyPipeline ?? model.Model.Pipeline) is null,
        };
    }

    /// <summary>The body an upstream serving the Responses API gets: the client's, earlier turns expanded into <c>input</c>.</summary>
    public static JsonObject Request(JsonObject body, JsonArray conversation)
    {
        var native = (JsonObject)body.DeepClone();
        if (native.Remove("previous_response_id"))
        {
            native["input"] = conversation.DeepClone();
        }
        return native;
    }

    /// <summary>The upstream's own Response of a relayed call, renamed for the client; null when the call was translated.</summary>
    public static JsonObject? Answer(UpstreamChatResult result, ResponseDraft draft) =>
        result.RawUpstreamApi == WireApis.OpenAiResponses && result.RawUpstream is { } raw && JsonNode.Parse(raw) is JsonObject response
            ? Rename(response, draft)
            : null;

    /// <summary>
    /// An upstream stream event as the client gets it: events carrying the Response renamed (the parsed event
    /// returned, with the Response), any other event null, to be written as it came.
    /// </summary>
    public static (JsonObject Event, JsonObject Response)? Event(NativeEvent native, ResponseDraft draft)
    {
        if (native.Event is not { } name || !ResponseEvents.Contains(name)
            || JsonNode.Parse(native.Data.Span) is not JsonObject data || data["response"] is not JsonObject response)
        {
            return null;
        }
        Rename(response, draft);
        return (data, response);
    }

    /// <summary>An upstream event's <c>sequence_number</c>, null when it has none.</summary>
    public static long? SequenceNumber(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var named = reader.ValueTextEquals("sequence_number"u8);
                reader.Read();
                if (named)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) ? number : null;
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the event carries no number to go on from.
        }
        return null;
    }

    /// <summary>True for the events that end a relayed stream whole: the Response in them is the finished one.</summary>
    public static bool IsFinal(string? name) => name is "response.completed" or "response.incomplete";

    private static JsonObject Rename(JsonObject response, ResponseDraft draft)
    {
        if (draft.Store)
        {
            response["id"] = draft.Id;
        }
        response["previous_response_id"] = draft.Request["previous_response_id"]?.DeepClone();
        return response;
    }
}
