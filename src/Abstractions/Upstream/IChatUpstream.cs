namespace LlmRouter.Abstractions.Upstream;

/// <summary>Performs chat calls against whichever provider a resolved model names.</summary>
public interface IChatUpstream
{
    ValueTask<UpstreamChatResult> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts a streamed call; the chunks are read as the upstream sends them.</summary>
    ValueTask<UpstreamStream> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// An embeddings call: <see cref="UpstreamChatRequest.Body"/> is OpenAI's embeddings request, the answer's body
    /// OpenAI's embeddings list and its usage the input tokens.
    /// </summary>
    ValueTask<UpstreamChatResult> EmbedAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default);
}
