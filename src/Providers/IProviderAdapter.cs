using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Providers;

/// <summary>Speaks one upstream wire format; chosen by the provider's <c>type</c>.</summary>
public interface IProviderAdapter
{
    /// <summary>The provider types this adapter serves.</summary>
    IReadOnlyList<string> Types { get; }

    ValueTask<UpstreamChatResult> CompleteAsync(UpstreamCall call, CancellationToken cancellationToken);

    ValueTask<UpstreamStream> StreamAsync(UpstreamCall call, CancellationToken cancellationToken);
}
