namespace LlmRouter.Abstractions.LocalModels;

/// <summary>
/// A local GGUF model as a grain, keyed by <see cref="LocalModelGrainKey"/> (the model id and a session slot). It is
/// placed only on a <c>gpu</c> silo that hosts the model; one session's calls go to one activation, so they stay on
/// the silo whose KV cache holds the conversation. Chat bodies and answers are OpenAI chat completions.
/// </summary>
public interface ILocalModelGrain : IGrainWithStringKey
{
    /// <summary>Answers once generation ends; the caller's token (the router's own timeout) bounds it, not Orleans' default.</summary>
    [ResponseTimeout("01:00:00")]
    ValueTask<LocalChatAnswer> CompleteAsync(LocalChatRequest request, CancellationToken cancellationToken = default);

    /// <summary>Streams the answer as it is generated; a refusal (queue full, cannot serve) is the only chunk.</summary>
    IAsyncEnumerable<LocalChatChunk> StreamAsync(LocalChatRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Computes the embeddings of an embedding model (<c>supports_embeddings</c>); other models, bad inputs, a full
    /// queue and a model that cannot serve answer with the <see cref="LocalEmbeddingAnswer.Error"/>.
    /// </summary>
    [ResponseTimeout("01:00:00")]
    ValueTask<LocalEmbeddingAnswer> EmbedAsync(LocalEmbeddingRequest request, CancellationToken cancellationToken = default);
}
