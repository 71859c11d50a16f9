namespace LlmRouter.Api.Chat.Pipelines;

/// <summary>Rewrites answers (whole, or chunk by chunk) in the canonical OpenAI format before a client's encoder sees them.</summary>
public interface IResponsePipeline
{
    string Name { get; }

    UpstreamChatResult Apply(UpstreamChatResult result);

    /// <summary>Wraps one stream; the pipeline may keep state for it.</summary>
    IAsyncEnumerable<ChatStreamChunk> Apply(IAsyncEnumerable<ChatStreamChunk> chunks);
}
