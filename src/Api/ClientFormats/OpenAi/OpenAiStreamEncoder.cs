namespace LlmRouter.Api.ClientFormats.OpenAi;

/// <summary>
/// OpenAI server-sent events: each chunk as <c>data: {json}</c>, then <c>data: [DONE]</c>. The upstream is
/// always asked for usage; its usage-only chunk reaches the client only when the client asked for it.
/// </summary>
public sealed class OpenAiStreamEncoder(bool clientWantsUsage) : IStreamEncoder
{
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
        output.Write(DataPrefix);
        output.Write(chunk.Json.Span);
        output.Write(EventEnd);
    }

    public Task WriteErrorResponseAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error);

    public void WriteEnd(TokenUsage usage, IBufferWriterTarget output) => output.Write(Done);

    public void WriteError(ApiError error, IBufferWriterTarget output)
    {
        output.Write(DataPrefix);
        output.Write(ErrorWriter.Serialize(error));
        output.Write(EventEnd);
    }
}
