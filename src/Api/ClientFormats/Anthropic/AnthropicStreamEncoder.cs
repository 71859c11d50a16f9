using System.Globalization;
using LlmRouter.Api.Chat;

namespace LlmRouter.Api.ClientFormats.Anthropic;

/// <summary>
/// Anthropic's stream events for canonical (OpenAI) chunks: message_start and ping, then for each content block
/// (thinking, text, tool_use, one at a time) content_block_start, its deltas and content_block_stop, then
/// message_delta with the stop reason and usage, and message_stop. Events an Anthropic upstream sent for an
/// Anthropic client (<see cref="ChatStreamChunk.Native"/>) are written as they came instead.
/// </summary>
public sealed class AnthropicStreamEncoder(string requestedModel) : IStreamEncoder
{
    private enum BlockKind { None, Thinking, Text, Tool }

    private readonly Dictionary<long, int> _toolBlocks = [];
    private bool _started;
    private bool _passthrough;
    private bool _anyBlock;
    private BlockKind _open;
    private int _openIndex = -1;
    private long _openTool = -1;
    private int _nextIndex;
    private string? _finishReason;
    private long _cachedTokens;

    public void Start(HttpResponse response) => ServerSentEvents.Start(response);

    public void WriteChunk(ChatStreamChunk chunk, IBufferWriterTarget output)
    {
        if (chunk.Native is { Api: WireApis.Anthropic } native)
        {
            _passthrough = true;
            ServerSentEvents.WriteEvent(output, native.Event ?? "message", native.Data.Span);
            return;
        }
        if (_passthrough || chunk.Json.IsEmpty || JsonNode.Parse(chunk.Json.Span) is not JsonObject root)
        {
            return;
        }
        EnsureStarted(output, Text(root["id"]), Text(root["model"]), chunk.Usage);
        if (root["usage"]?["prompt_tokens_details"]?["cached_tokens"] is JsonValue cached && cached.TryGetValue(out long count))
        {
            _cachedTokens = count;
        }
        var choice = JsonNodes.First(root["choices"]);
        if (choice?["delta"] is JsonObject delta)
        {
            if ((Text(delta["reasoning_content"]) ?? Text(delta["reasoning"])) is { Length: > 0 } thinking)
            {
                Open(output, BlockKind.Thinking, new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" });
                Delta(output, new JsonObject { ["type"] = "thinking_delta", ["thinking"] = thinking });
            }
            if (Text(delta["content"]) is { Length: > 0 } text)
            {
                Open(output, BlockKind.Text, new JsonObject { ["type"] = "text", ["text"] = "" });
                Delta(output, new JsonObject { ["type"] = "text_delta", ["text"] = text });
            }
            foreach (var call in delta["tool_calls"] as JsonArray ?? [])
            {
                ToolCall(output, call);
            }
        }
        if (Text(choice?["finish_reason"]) is { } finish)
        {
            _finishReason = finish;
        }
    }

    public void WriteEnd(TokenUsage usage, IBufferWriterTarget output)
    {
        if (_passthrough)
        {
            return;
        }
        EnsureStarted(output, null, null, usage);
        if (!_anyBlock)
        {
            Open(output, BlockKind.Text, new JsonObject { ["type"] = "text", ["text"] = "" });
        }
        Close(output);
        Write(output, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = AnthropicStopReasons.FromFinishReason(_finishReason), ["stop_sequence"] = null },
            ["usage"] = AnthropicMessageWriter.Usage(usage, _cachedTokens),
        });
        Write(output, "message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    public Task WriteErrorResponseAsync(HttpContext http, ApiError error) => AnthropicErrors.WriteAsync(http, error);

    public void WriteError(ApiError error, IBufferWriterTarget output) => ServerSentEvents.WriteEvent(output, "error", AnthropicErrors.Serialize(error));

    private void EnsureStarted(IBufferWriterTarget output, string? id, string? model, TokenUsage? usage)
    {
        if (_started)
        {
            return;
        }
        _started = true;
        Write(output, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = AnthropicStopReasons.MessageId(id),
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model ?? requestedModel,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = usage?.PromptTokens ?? 0, ["output_tokens"] = 0 },
            },
        });
        Write(output, "ping", new JsonObject { ["type"] = "ping" });
    }

    private void ToolCall(IBufferWriterTarget output, JsonNode? call)
    {
        var index = call?["index"] is JsonValue i && i.TryGetValue(out long n) ? n : 0;
        var id = Text(call?["id"]);
        if (id is not null || !_toolBlocks.ContainsKey(index))
        {
            Open(output, BlockKind.Tool, new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = id ?? "toolu_" + index.ToString(CultureInfo.InvariantCulture),
                ["name"] = Text(call?["function"]?["name"]) ?? "",
                ["input"] = new JsonObject(),
            }, force: true);
            _toolBlocks[index] = _openIndex;
            _openTool = index;
        }
        // Arguments for a call whose block is already closed cannot be sent: Anthropic blocks do not interleave.
        if (Text(call?["function"]?["arguments"]) is { Length: > 0 } arguments && _open == BlockKind.Tool && _openTool == index)
        {
            Delta(output, new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = arguments });
        }
    }

    private void Open(IBufferWriterTarget output, BlockKind kind, JsonObject block, bool force = false)
    {
        if (_open == kind && !force)
        {
            return;
        }
        Close(output);
        _open = kind;
        _openIndex = _nextIndex++;
        _anyBlock = true;
        Write(output, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = _openIndex, ["content_block"] = block });
    }

    private void Delta(IBufferWriterTarget output, JsonObject delta) =>
        Write(output, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = _openIndex, ["delta"] = delta });

    private void Close(IBufferWriterTarget output)
    {
        if (_open == BlockKind.None)
        {
            return;
        }
        Write(output, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = _openIndex });
        _open = BlockKind.None;
        _openTool = -1;
    }

    private static void Write(IBufferWriterTarget output, string name, JsonObject data) => ServerSentEvents.WriteEvent(output, name, JsonBytes.Of(data));

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
