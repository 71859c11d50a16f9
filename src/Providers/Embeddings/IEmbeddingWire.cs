namespace LlmRouter.Providers.Embeddings;

/// <summary>
/// How one upstream API computes embeddings: the request of a call whose body is OpenAI's embeddings request, and its
/// answer read back as OpenAI's embeddings answer. <see cref="WireProtocolAdapter"/> does the rest.
/// </summary>
internal interface IEmbeddingWire
{
    /// <summary>The request of a call; throws <see cref="TranslationFailure"/> when the API cannot say it.</summary>
    HttpRequestMessage CreateRequest(UpstreamCall call);

    /// <summary>The answer as OpenAI's embeddings list; null when the body is not this API's answer.</summary>
    UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call);
}
