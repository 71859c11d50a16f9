using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Abstractions.LocalModels;

/// <summary>
/// A local GGUF model, identified by its model id (<c>provider/name</c>). Calls are served in-process on a GPU
/// node that hosts the model, or forwarded to one; the caller cannot tell which. Requests and answers are in the
/// canonical format (OpenAI chat completions).
/// </summary>
public interface ILocalModelGrain
{
    ValueTask<UpstreamChatResult> CompleteAsync(LocalChatRequest request, CancellationToken cancellationToken = default);

    /// <summary>Starts a streamed call; refusals (queue full, no node) come back before any chunk.</summary>
    ValueTask<UpstreamStream> StreamAsync(LocalChatRequest request, CancellationToken cancellationToken = default);
}
