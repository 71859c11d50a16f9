using System.Globalization;

namespace LlmRouter.Providers.Ollama;

/// <summary>
/// Turns Ollama's NDJSON stream into OpenAI chunks: content and thinking increments as deltas, whole tool calls
/// as tool-call deltas, the <c>done</c> line as the finish chunk followed by a usage-only chunk. Every line is
/// checked for an <c>error</c> key (Ollama reports mid-stream failures that way, under HTTP 200).
/// </summary>
internal sealed class OllamaStreamTranslator(string provider, string model, long created)
{
    private readonly OpenAiChunkWriter _writer = new("ollama-" + created.ToString(CultureInfo.InvariantCulture), model, created);
    private int _toolCalls;

    public async IAsyncEnumerable<ChatStreamChunk> ReadAsync(Stream body, UpstreamDeadline deadline, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var line in NdjsonReader.ReadAsync(body, deadline.Reset, deadline.MaxEventBytes, deadline.Token).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (JsonRead.String(root, "error") is { } error)
            {
                yield return new ChatStreamChunk
                {
                    Error = new UpstreamError(UpstreamErrorKind.HttpStatus, error) { Status = 500, RawBody = System.Text.Encoding.UTF8.GetString(line), Api = WireApis.Ollama },
                };
                yield break;
            }
            var answer = OllamaChatResponse.Read(root, _toolCalls);
            _writer.Model = answer.Model ?? _writer.Model;
            var delta = OpenAiChunkWriter.TextDelta(answer.Content, answer.Thinking);
            if (answer.ToolCalls.Count > 0)
            {
                foreach (var call in answer.ToolCalls)
                {
                    call!["index"] = _toolCalls++;
                }
                delta["tool_calls"] = answer.ToolCalls;
            }
            if (!answer.Done)
            {
                yield return _writer.Delta(delta);
                continue;
            }
            yield return _writer.Delta(delta, OllamaChatResponse.ToFinishReason(answer.DoneReason, _toolCalls > 0), answer.Usage);
            yield return _writer.UsageOnly(answer.Usage);
            yield break;
        }
        yield return UpstreamExchange.Truncated(provider);
    }
}
