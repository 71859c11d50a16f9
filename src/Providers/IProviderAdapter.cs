using LlmRouter.Providers.Embeddings;

namespace LlmRouter.Providers;

/// <summary>Speaks one upstream wire format; chosen by the provider's <c>type</c>, or by its <c>settings.api</c>.</summary>
public interface IProviderAdapter
{
    /// <summary>The provider types this adapter serves.</summary>
    IReadOnlyList<string> Types { get; }

    /// <summary>The wire APIs (<see cref="WireApis"/> names) this adapter speaks, for providers that name one.</summary>
    IReadOnlyList<string> Apis => [];

    ValueTask<UpstreamChatResult> CompleteAsync(UpstreamCall call, CancellationToken cancellationToken);

    ValueTask<UpstreamStream> StreamAsync(UpstreamCall call, CancellationToken cancellationToken);

    /// <summary>An embeddings call (the body is OpenAI's embeddings request); answers OpenAI's embeddings list.</summary>
    ValueTask<UpstreamChatResult> EmbedAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        ValueTask.FromResult(UpstreamChatResult.Failed(EmbeddingRefusal.NoApi(call)));
}
