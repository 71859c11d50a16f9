namespace LlmRouter.Api.ClientFormats;

/// <summary>
/// Writes a streamed answer in one client API's event format. One instance per response: an encoder may keep
/// state (an Anthropic encoder tracks content blocks). Chunks arrive in the canonical OpenAI chunk format.
/// </summary>
public interface IStreamEncoder
{
    /// <summary>Sets the status and headers; called once, before the first chunk.</summary>
    void Start(HttpResponse response);

    /// <summary>Writes one chunk to <paramref name="output"/> (nothing when the client must not see it).</summary>
    void WriteChunk(ChatStreamChunk chunk, IBufferWriterTarget output);

    /// <summary>Finishes a complete stream's answer before <see cref="WriteEnd"/> (a Responses answer is kept), once the call is logged.</summary>
    ValueTask FinishAsync(TokenUsage usage, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Writes the end of a complete stream, with the usage the upstream reported.</summary>
    void WriteEnd(TokenUsage usage, IBufferWriterTarget output);

    /// <summary>Answers with a plain error response when the upstream refused the call before streaming anything.</summary>
    Task WriteErrorResponseAsync(HttpContext http, ApiError error);

    /// <summary>Writes the event that tells the client the stream failed mid-way.</summary>
    void WriteError(ApiError error, IBufferWriterTarget output);
}
