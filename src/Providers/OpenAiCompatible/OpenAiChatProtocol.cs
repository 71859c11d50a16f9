using LlmRouter.Providers.Embeddings;

namespace LlmRouter.Providers.OpenAiCompatible;

/// <summary>
/// The OpenAI chat-completions family (OpenAI, DeepSeek, Qwen, Kimi, GLM, OpenRouter, Grok, vLLM, Ollama's /v1,
/// transformers servers): the canonical body goes out as is (after the model's rewrite_body), answers and
/// chunks come back as is. A Responses client's request goes to an upstream serving the Responses API as it is
/// (<see cref="OpenAiResponsesPassthrough"/>).
/// </summary>
internal sealed class OpenAiChatProtocol : IWireProtocol
{
    public string Api => WireApis.OpenAi;

    public IReadOnlyList<string> Types { get; } =
    [
        ProviderTypes.OpenAi, ProviderTypes.DeepSeek, ProviderTypes.Qwen, ProviderTypes.Kimi, ProviderTypes.Glm,
        ProviderTypes.OpenRouter, ProviderTypes.Grok, ProviderTypes.Vllm, ProviderTypes.Ollama, ProviderTypes.Transformers,
    ];

    public Func<byte[], IReadOnlyList<ChatStreamChunk>?>? ReadWholeAnswerAsStream => OpenAiCompletionChunks.From;

    public HttpRequestMessage CreateRequest(UpstreamCall call, bool stream)
    {
        if (OpenAiResponsesPassthrough.Applies(call))
        {
            return OpenAiResponsesPassthrough.CreateRequest(call, stream);
        }
        var url = ProviderEndpoints.OpenAiChatUrl(call.Request.Model.Provider);
        var request = WireRequest.Post(url, call.Request.Body, call, stream ? "text/event-stream" : "application/json", owned: false);
        WireRequest.AddBearer(request, call.ApiKey);
        return request;
    }

    public IEmbeddingWire Embeddings { get; } = new OpenAiEmbeddingWire();

    public UpstreamChatResult? ReadAnswer(byte[] body, UpstreamCall call, long created) =>
        OpenAiResponsesPassthrough.Applies(call) ? OpenAiResponsesPassthrough.ReadAnswer(body)
        : OpenAiJsonInspector.TryInspectCompletion(body, out var usage, out var finishReason, out _)
            ? new UpstreamChatResult { Body = body, Usage = usage, FinishReason = finishReason }
            : null;

    public IAsyncEnumerable<ChatStreamChunk> ReadStream(Stream body, UpstreamDeadline deadline, UpstreamCall call, long created) =>
        OpenAiResponsesPassthrough.Applies(call) ? OpenAiResponsesEventReader.ReadAsync(body, deadline, call.ProviderName)
        : OpenAiChunkReader.ReadAsync(body, deadline, call.ProviderName);
}
