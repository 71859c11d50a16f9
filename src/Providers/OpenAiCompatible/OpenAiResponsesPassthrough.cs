namespace LlmRouter.Providers.OpenAiCompatible;

/// <summary>
/// A Responses API request (<see cref="WireApis.OpenAiResponses"/>) sent as the client wrote it to an upstream that
/// serves OpenAI's Responses API (<see cref="ProviderApis.ServesResponses"/>): POST {base_url}/v1/responses, only the
/// model (and the parameters the key's policy clamped) rewritten. The answer is kept verbatim beside its usage.
/// </summary>
internal static class OpenAiResponsesPassthrough
{
    /// <summary>Canonical parameters the key's policy may have clamped, and their Responses names.</summary>
    private static readonly (string Canonical, string Responses)[] Clamped =
        [("max_tokens", "max_output_tokens"), ("temperature", "temperature"), ("top_p", "top_p")];

    /// <summary>True when the call came from a Responses client and its upstream serves the Responses API.</summary>
    public static bool Applies(UpstreamCall call) =>
        call.Request.Native?.Api == WireApis.OpenAiResponses && ProviderApis.ServesResponses(call.Request.Model.Provider);

    public static HttpRequestMessage CreateRequest(UpstreamCall call, bool stream)
    {
        var body = (JsonObject)call.Request.Native!.Body.DeepClone();
        body["model"] = UpstreamModel.Of(call);
        foreach (var (canonical, responses) in Clamped)
        {
            if (call.Request.Body[canonical] is JsonValue value)
            {
                body[responses] = value.DeepClone();
            }
        }
        body.Remove("stream");
        if (stream)
        {
            body["stream"] = true;
        }
        var url = ProviderEndpoints.ApiUrl(call.Request.Model.Provider, "/v1/responses", endpointApplies: false);
        var request = WireRequest.Post(url, body, call, stream ? "text/event-stream" : "application/json");
        WireRequest.AddBearer(request, call.ApiKey);
        return request;
    }

    /// <summary>A Response object, kept verbatim with the usage it reports; null when the body is not one.</summary>
    public static UpstreamChatResult? ReadAnswer(byte[] body)
    {
        if (Parse(body) is not { } response || JsonRead.String(response["object"]) != "response")
        {
            return null;
        }
        return new UpstreamChatResult
        {
            Body = body,
            Usage = Usage(response),
            FinishReason = FinishReason(response),
            RawUpstream = System.Text.Encoding.UTF8.GetString(body),
            RawUpstreamApi = WireApis.OpenAiResponses,
        };
    }

    /// <summary>A JSON object, or null for anything else (not JSON at all included).</summary>
    public static JsonObject? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The usage a Response object reports (<c>input_tokens</c>, <c>output_tokens</c>), null when it reports none.</summary>
    public static TokenUsage? Usage(JsonNode? response) =>
        JsonRead.Member(response, "usage") is JsonObject usage
            ? new TokenUsage(JsonRead.Long(usage["input_tokens"]) ?? 0, JsonRead.Long(usage["output_tokens"]) ?? 0)
            : null;

    /// <summary>The chat finish reason a Response's status amounts to.</summary>
    public static string FinishReason(JsonNode? response) =>
        JsonRead.String(JsonRead.Member(JsonRead.Member(response, "incomplete_details"), "reason")) switch
        {
            "max_output_tokens" => "length",
            "content_filter" => "content_filter",
            _ => "stop",
        };
}
