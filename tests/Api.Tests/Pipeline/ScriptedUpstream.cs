using System.Runtime.CompilerServices;
using System.Text;
using LlmRouter.Abstractions.Upstream;

namespace LlmRouter.Api.Tests.Pipeline;

/// <summary>
/// The upstream side of a pipeline step under test: each model answers as its script says (a whole answer, a stream of
/// chunks, or a failure), and every request the router sent is kept to be asserted.
/// </summary>
internal sealed class ScriptedUpstream : IChatUpstream
{
    private readonly Dictionary<string, Func<UpstreamChatRequest, UpstreamChatResult>> _answers = [];
    private readonly Dictionary<string, Func<UpstreamChatRequest, UpstreamStream>> _streams = [];

    /// <summary>Requests as sent: the model's id and the body's <c>model</c>.</summary>
    public List<(string ModelId, string BodyModel)> Sent { get; } = [];

    public ScriptedUpstream Answers(string modelId, string text, TokenUsage? usage = null)
    {
        _answers[modelId] = _ => new UpstreamChatResult { Body = Completion(text), Usage = usage ?? new TokenUsage(7, 3) };
        return this;
    }

    public ScriptedUpstream Fails(string modelId, UpstreamError error)
    {
        _answers[modelId] = _ => UpstreamChatResult.Failed(error);
        _streams[modelId] = _ => UpstreamStream.Failed(error);
        return this;
    }

    public ScriptedUpstream Streams(string modelId, params ChatStreamChunk[] chunks)
    {
        _streams[modelId] = _ => new UpstreamStream(Replay(chunks), () => ValueTask.CompletedTask);
        return this;
    }

    public ValueTask<UpstreamChatResult> CompleteAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default)
    {
        Sent.Add((request.Model.Id, request.Body["model"]!.GetValue<string>()));
        return ValueTask.FromResult(_answers[request.Model.Id](request));
    }

    public ValueTask<UpstreamStream> StreamAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default)
    {
        Sent.Add((request.Model.Id, request.Body["model"]!.GetValue<string>()));
        return ValueTask.FromResult(_streams[request.Model.Id](request));
    }

    /// <summary>Embeddings are answered like whole completions, from the same script.</summary>
    public ValueTask<UpstreamChatResult> EmbedAsync(UpstreamChatRequest request, CancellationToken cancellationToken = default) =>
        CompleteAsync(request, cancellationToken);

    public static UpstreamError Status(int status) => new(UpstreamErrorKind.HttpStatus, $"upstream answered {status}") { Status = status };

    /// <summary>A content chunk in the canonical chunk format.</summary>
    public static ChatStreamChunk Content(string text) => new()
    {
        Json = Encoding.UTF8.GetBytes($$$"""{"choices":[{"index":0,"delta":{"content":"{{{text}}}"}}]}"""),
        ContentDelta = text,
    };

    public static ChatStreamChunk UsageOnly(long prompt, long completion) => new()
    {
        Json = Encoding.UTF8.GetBytes($$$"""{"choices":[],"usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}}}}"""),
        Usage = new TokenUsage(prompt, completion),
        IsUsageOnly = true,
    };

    private static byte[] Completion(string text) =>
        Encoding.UTF8.GetBytes($$$"""{"choices":[{"index":0,"message":{"role":"assistant","content":"{{{text}}}"},"finish_reason":"stop"}]}""");

    private static async IAsyncEnumerable<ChatStreamChunk> Replay(ChatStreamChunk[] chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var chunk in chunks)
        {
            await Task.Yield();
            yield return chunk;
        }
    }
}
