namespace LlmRouter.Api.ClientFormats.OpenAi;

/// <summary>
/// OpenAI server-sent events: each chunk as <c>data: {json}</c>, then <c>data: [DONE]</c>. The upstream is
/// always asked for usage; its usage-only chunk reaches the client only when the client asked for it. A client that
/// asked gets a usage chunk even from an upstream that sent none: the usage it is billed for (an estimate then).
/// </summary>
public sealed class OpenAiStreamEncoder(bool clientWantsUsage) : IStreamEncoder
{
    private bool _usageSent;
    private JsonObject? _head;

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
        if (clientWantsUsage && _head is null)
        {
            _head = Head(chunk.Json.Span);
        }
        output.Write(DataPrefix);
        output.Write(chunk.Json.Span);
        output.Write(EventEnd);
    }

    /// <summary>The fields a chunk of this stream repeats (id, created, model), from the first one relayed.</summary>
    private static JsonObject Head(ReadOnlySpan<byte> json)
    {
        var head = new JsonObject();
        try
        {
            if (JsonNode.Parse(json) is JsonObject chunk)
            {
                foreach (var name in (string[])["id", "created", "model", "system_fingerprint"])
                {
                    if (chunk[name] is JsonValue value)
                    {
                        head[name] = value.DeepClone();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // A chunk the upstream mangled: the usage chunk goes out without its fields.
        }
        return head;
    }

    public Task WriteErrorResponseAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error);

    public void WriteEnd(TokenUsage usage, IBufferWriterTarget output)
    {
        if (clientWantsUsage && !_usageSent)
        {
            var head = _head ?? [];
            var chunk = new JsonObject
            {
                ["id"] = head["id"]?.DeepClone(),
                ["object"] = "chat.completion.chunk",
                ["created"] = head["created"]?.DeepClone(),
                ["model"] = head["model"]?.DeepClone(),
                ["choices"] = new JsonArray(),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = usage.PromptTokens,
                    ["completion_tokens"] = usage.CompletionTokens,
                    ["total_tokens"] = usage.PromptTokens + usage.CompletionTokens,
                },
            };
            output.Write(DataPrefix);
            output.Write(System.Text.Encoding.UTF8.GetBytes(chunk.ToJsonString()));
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
