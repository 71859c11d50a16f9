namespace LlmRouter.Providers;

/// <summary>
/// What one upstream API looks like on the wire: how a call becomes an HTTP request and how its answer, whole
/// or streamed, is read back as OpenAI chat JSON. <see cref="WireProtocolAdapter"/> does the rest.
/// </summary>
internal interface IWireProtocol
{
    /// <summary>The <see cref="WireApis"/> name of the API.</summary>
    string Api { get; }

    /// <summary>The provider types that speak it unless they name another <c>settings.api</c>.</summary>
    IReadOnlyList<string> Types { get; }

    /// <summary>The request of a call; throws <see cref="Wire.TranslationFailure"/> when the API cannot say it.</summary>
    HttpRequestMessage CreateRequest(UpstreamCall call, bool stream);

    /// <summary>A whole answer as a chat completion; null when the body is not this API's answer.</summary>
    UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call, long created);

    /// <summary>A streamed answer as chat-completion chunks, read while it arrives.</summary>
    IAsyncEnumerable<ChatStreamChunk> ReadStream(Stream body, UpstreamDeadline deadline, UpstreamCall call, long created);

    /// <summary>How the API computes embeddings; null for an API that has none (Anthropic).</summary>
    Embeddings.IEmbeddingWire? Embeddings => null;

    /// <summary>
    /// For APIs whose servers may answer a stream request whole (as JSON): that answer as chunks, null when it is
    /// not one. Null for APIs that always stream.
    /// </summary>
    Func<byte[], IReadOnlyList<ChatStreamChunk>?>? ReadWholeAnswerAsStream => null;
}
