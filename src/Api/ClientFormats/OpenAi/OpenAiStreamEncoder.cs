namespace LlmRouter.Api.ClientFormats.OpenAi;

/// <summary>
/// OpenAI server-sent events: each chunk as <c>data: {json}</c>, then <c>data: [DONE]</c>. The upstream is
/// always asked for usage; its usage-only chunk reaches the client only when the client asked for it. A client that
/// asked gets a usage chunk even from an upstream that sent none: the usage it is billed for (an estimate then).
/// </summary>
public sealed class OpenAiStreamEncoder(bool clientWantsUsage) : IStreamEncoder
{
    private bool _usageSent;
    private JsonObject? _first;

    /// <summary>Makes the canonical body ask the upstream for usage; returns whether the client itself asked.</summary>
    public static bool RequestUsage(JsonObject body)
    {
        var options = body["stream_options"] as JsonObject;
        var clientAsked = options?["include_usage"] is JsonValue asked && asked.TryGetValue(out bool value) && value;
        options ??= [];
        options["include_usage"] = true;
        body["stream_options"] = options;
        return clientAsked;
    }

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public void Start(HttpResponse response) => ServerSentEvents.Start(response);

    public void WriteChunk(ChatStreamChunk chunk, IBufferWriterTarget output)
    {
        if (chunk.Json.IsEmpty || (chunk.IsUsageOnly && !clientWantsUsage))
        {
            return;
        }
        _usageSent |= chunk.Usage is not null;
        if (clientWantsUsage && _first is null)
        {
            _first = FirstChunk(chunk.Json.Span);
        }
        output.Write(DataPrefix);
        output.Write(chunk.Json.Span);
        output.Write(EventEnd);
    }

    /// <summary>The first chunk relayed: the usage chunk the router adds repeats its fields (id, created, model, …).</summary>
    private static JsonObject FirstChunk(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return []; // A chunk the upstream mangled: the usage chunk goes out without its fields.
        }
    }

    public Task WriteErrorResponseAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error);

    public void WriteEnd(TokenUsage usage, IBufferWriterTarget output)
    {
        if (clientWantsUsage && !_usageSent)
        {
            var chunk = _first ?? [];
            chunk["object"] = "chat.completion.chunk";
            chunk["choices"] = new JsonArray();
            chunk["usage"] = new JsonObject
            {
                ["prompt_tokens"] = usage.PromptTokens,
                ["completion_tokens"] = usage.CompletionTokens,
                ["total_tokens"] = usage.TotalTokens,
            };
            output.Write(DataPrefix);
            output.Write(JsonBytes.Of(chunk));
            output.Write(EventEnd);
        }
        output.Write(Done);
    }

    public void WriteError(ApiError error, IBufferWriterTarget output)
    {
        output.Write(DataPrefix);
        output.Write(ErrorWriter.Serialize(error));
        output.Write(EventEnd);
    }
}
