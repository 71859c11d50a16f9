using LlmRouter.Providers.Sse;

namespace LlmRouter.Providers.Anthropic;

/// <summary>
/// Turns Anthropic's stream events into OpenAI chunks, one event at a time. With <c>passthrough</c> every event
/// also travels as is (<see cref="ChatStreamChunk.Native"/>), one chunk per event, for Anthropic clients.
/// </summary>
internal sealed class AnthropicStreamTranslator(string provider, long created, bool passthrough)
{
    private readonly OpenAiChunkWriter _writer = new("msg", "", created);
    private readonly Dictionary<long, int> _toolIndexes = [];
    private AnthropicUsage _usage;

    public async IAsyncEnumerable<ChatStreamChunk> ReadAsync(Stream body, UpstreamDeadline deadline, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in SseReader.ReadAsync(body, deadline.Reset, deadline.MaxEventBytes, deadline.Token).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            using var document = JsonDocument.Parse(item.Data);
            var data = document.RootElement;
            var type = JsonRead.String(data, "type") ?? item.Event;
            var chunk = Translate(type, data, item.Data);
            if (passthrough)
            {
                chunk = (chunk ?? new ChatStreamChunk()) with { Native = new NativeEvent(WireApis.Anthropic, item.Event ?? type, item.Data) };
            }
            if (chunk is not null)
            {
                yield return chunk;
            }
            if (type == "message_stop" || chunk?.Error is not null)
            {
                yield break;
            }
        }
        yield return UpstreamExchange.Truncated(provider);
    }

    private ChatStreamChunk? Translate(string? type, JsonElement data, byte[] raw)
    {
        switch (type)
        {
            case "message_start":
                var message = JsonRead.Property(data, "message", JsonValueKind.Object) ?? default;
                _writer.Id = JsonRead.String(message, "id") ?? _writer.Id;
                _writer.Model = JsonRead.String(message, "model") ?? _writer.Model;
                if (JsonRead.Property(message, "usage", JsonValueKind.Object) is { } startUsage)
                {
                    _usage = AnthropicUsage.Read(startUsage);
                }
                return _writer.Delta(new JsonObject { ["content"] = "" }, usage: _usage.Tokens);
            case "content_block_start":
                return BlockStart(JsonRead.Long(data, "index") ?? 0, JsonRead.Property(data, "content_block", JsonValueKind.Object) ?? default);
            case "content_block_delta":
                return BlockDelta(JsonRead.Long(data, "index") ?? 0, JsonRead.Property(data, "delta", JsonValueKind.Object) ?? default);
            case "message_delta":
                if (JsonRead.Property(data, "usage", JsonValueKind.Object) is { } deltaUsage)
                {
                    _usage = AnthropicUsage.Read(deltaUsage, _usage);
                }
                var stopReason = JsonRead.Property(data, "delta", JsonValueKind.Object) is { } delta ? JsonRead.String(delta, "stop_reason") : null;
                return _writer.Delta([], AnthropicStopReasons.ToFinishReason(stopReason), _usage.Tokens);
            case "message_stop":
                return _writer.UsageOnly(_usage.Tokens, _usage.CacheRead);
            case "error":
                return new ChatStreamChunk { Error = Error(data, raw) };
            default:
                // ping, content_block_stop and event types added later carry nothing for OpenAI clients.
                return null;
        }
    }

    private ChatStreamChunk? BlockStart(long index, JsonElement block)
    {
        switch (JsonRead.String(block, "type"))
        {
            case "text" when JsonRead.String(block, "text") is { Length: > 0 } text:
                return _writer.Delta(new JsonObject { ["content"] = text });
            case "tool_use":
                var toolIndex = _toolIndexes.Count;
                _toolIndexes[index] = toolIndex;
                return _writer.Delta(OpenAiChunkWriter.ToolCallDelta(toolIndex, OpenAiOutput.ToolCall(JsonRead.String(block, "id") ?? "", JsonRead.String(block, "name") ?? "", "")));
            default:
                return null;
        }
    }

    private ChatStreamChunk? BlockDelta(long index, JsonElement delta)
    {
        switch (JsonRead.String(delta, "type"))
        {
            case "text_delta" when JsonRead.String(delta, "text") is { Length: > 0 } text:
                return _writer.Delta(new JsonObject { ["content"] = text });
            case "thinking_delta" when JsonRead.String(delta, "thinking") is { Length: > 0 } thinking:
                return _writer.Delta(new JsonObject { ["reasoning_content"] = thinking });
            case "input_json_delta" when JsonRead.String(delta, "partial_json") is { Length: > 0 } json && _toolIndexes.TryGetValue(index, out var toolIndex):
                return _writer.Delta(OpenAiChunkWriter.ToolCallDelta(toolIndex, new JsonObject { ["function"] = new JsonObject { ["arguments"] = json } }));
            default:
                return null;
        }
    }

    /// <summary>A mid-stream error event, with the HTTP status Anthropic uses for its type.</summary>
    private UpstreamError Error(JsonElement data, byte[] raw)
    {
        var error = JsonRead.Property(data, "error", JsonValueKind.Object) ?? default;
        var type = JsonRead.String(error, "type");
        var status = type switch
        {
            "invalid_request_error" => 400,
            "authentication_error" => 401,
            "permission_error" => 403,
            "not_found_error" => 404,
            "request_too_large" => 413,
            "rate_limit_error" => 429,
            "overloaded_error" => 529,
            _ => 500,
        };
        return new UpstreamError(UpstreamErrorKind.HttpStatus, JsonRead.String(error, "message") ?? $"provider '{provider}' reported {type ?? "an error"} mid-stream")
        {
            Status = status,
            RawBody = System.Text.Encoding.UTF8.GetString(raw),
            Api = WireApis.Anthropic,
        };
    }
}
