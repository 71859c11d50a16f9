using LlmRouter.Providers.Sse;

namespace LlmRouter.Providers.Gemini;

/// <summary>
/// Turns Gemini's <c>alt=sse</c> stream (each event a whole GenerateContentResponse holding only new parts, no
/// end sentinel) into OpenAI chunks. Usage is the last reported value; it goes out in a usage-only chunk when
/// the body ends, and a body that ends before any finish reason is a broken stream.
/// </summary>
internal sealed class GeminiStreamTranslator(string provider, string model, long created)
{
    private readonly OpenAiChunkWriter _writer = new("gemini-stream", model, created);
    private TokenUsage _usage;
    private long _cached;
    private int _toolCalls;
    private bool _finished;

    public async IAsyncEnumerable<ChatStreamChunk> ReadAsync(Stream body, UpstreamDeadline deadline, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in SseReader.ReadAsync(body, deadline.Reset, deadline.MaxEventBytes, deadline.Token).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            using var document = JsonDocument.Parse(item.Data);
            var root = document.RootElement;
            if (JsonRead.Property(root, "error", JsonValueKind.Object) is { } error)
            {
                yield return new ChatStreamChunk { Error = Error(error, item.Data) };
                yield break;
            }
            yield return Translate(GeminiAnswer.Read(root));
        }
        yield return _finished ? _writer.UsageOnly(_usage, _cached) : UpstreamExchange.Truncated(provider);
    }

    private ChatStreamChunk Translate(GeminiAnswer answer)
    {
        _writer.Id = answer.ResponseId ?? _writer.Id;
        _writer.Model = answer.ModelVersion ?? _writer.Model;
        if (answer.Usage is { } usage)
        {
            _usage = usage;
            _cached = answer.CachedTokens;
        }
        var delta = OpenAiChunkWriter.TextDelta(answer.Text, answer.Reasoning);
        if (answer.FunctionCalls.Count > 0)
        {
            var calls = new JsonArray();
            foreach (var (id, name, arguments) in answer.FunctionCalls)
            {
                var call = OpenAiOutput.ToolCall(id ?? GeminiResponseReader.CallId(_toolCalls), name, arguments);
                call["index"] = _toolCalls++;
                calls.Add(call);
            }
            delta["tool_calls"] = calls;
        }
        string? finishReason = null;
        if (answer.FinishReason is { } reason && !_finished)
        {
            finishReason = GeminiAnswer.ToFinishReason(reason, _toolCalls > 0);
            _finished = true;
        }
        return _writer.Delta(delta, finishReason, answer.Usage is null ? null : _usage);
    }

    private UpstreamError Error(JsonElement error, byte[] raw) =>
        new(UpstreamErrorKind.HttpStatus, JsonRead.String(error, "message") ?? $"provider '{provider}' reported an error mid-stream")
        {
            Status = (int)(JsonRead.Long(error, "code") ?? 500),
            RawBody = System.Text.Encoding.UTF8.GetString(raw),
            Api = WireApis.Gemini,
        };
}
