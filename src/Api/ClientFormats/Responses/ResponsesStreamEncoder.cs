using System.Text;
using LlmRouter.Abstractions.Responses;
using static LlmRouter.Api.Json.JsonNodes;

namespace LlmRouter.Api.ClientFormats.Responses;

/// <summary>
/// The Responses API's stream events for canonical (OpenAI chat) chunks, each with its <c>sequence_number</c>:
/// response.created and response.in_progress, then per output item (the assistant's text, each function call)
/// output_item.added, its content_part.added and output_text deltas or function_call_arguments deltas, and its done
/// events when the next item starts or the stream ends; last response.completed (or response.incomplete) with the
/// whole response and its usage, kept first when the request asked <c>store</c>. Events of an upstream serving the
/// Responses API itself (<see cref="ChatStreamChunk.Native"/>) are written as they came instead, the Response in them
/// renamed (<see cref="ResponsePassthrough"/>); the final one is held back until the response is kept.
/// </summary>
public sealed class ResponsesStreamEncoder(ResponseDraft draft, IResponseStore store) : IStreamEncoder
{
    private readonly List<OutputItem> _items = [];
    private readonly Dictionary<long, OutputItem> _calls = [];
    private OutputItem? _open;
    private OutputItem? _message;
    private bool _started;
    private long _sequence;
    private string? _finishReason;
    private long _cachedTokens;
    private JsonObject? _finished;
    private bool _passthrough;
    private (string Name, JsonObject Data)? _final;

    public void Start(HttpResponse response) => ServerSentEvents.Start(response);

    public void WriteChunk(ChatStreamChunk chunk, IBufferWriterTarget output)
    {
        if (chunk.Native is { Api: WireApis.OpenAiResponses } native)
        {
            Relay(native, output);
            return;
        }
        if (_passthrough || chunk.Json.IsEmpty || JsonNode.Parse(chunk.Json.Span) is not JsonObject root)
        {
            return;
        }
        EnsureStarted(output);
        if (ResponseDraft.CachedTokens(root) is { } cached)
        {
            _cachedTokens = cached;
        }
        var choice = First(root["choices"]) as JsonObject;
        if (choice?["delta"] is JsonObject delta)
        {
            if (String(delta["content"]) is { Length: > 0 } text)
            {
                // Text after a function call starts a message item of its own.
                if (_message is null || _message != _open)
                {
                    _message = Open(output, new OutputItem(ResponseDraft.NewId("msg"), null, ""));
                    Write(output, "response.content_part.added", Part(_message, ResponseDraft.TextPart("")));
                }
                _message.Text.Append(text);
                Write(output, "response.output_text.delta", Part(_message, null, ("delta", text), ("logprobs", new JsonArray())));
            }
            foreach (var call in (delta["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
            {
                ToolCall(output, call);
            }
        }
        if (String(choice?["finish_reason"]) is { } finish)
        {
            _finishReason = finish;
        }
    }

    /// <summary>Builds the finished response and keeps it before the client can ask for it by id.</summary>
    public async ValueTask FinishAsync(TokenUsage usage, CancellationToken cancellationToken)
    {
        if (_passthrough)
        {
            if (_finished is not null && draft.Store)
            {
                await store.SaveAsync(draft.Stored(_finished), cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        _finished = draft.Build(new JsonArray(_items.Select(Item).ToArray()), usage, _cachedTokens, _finishReason);
        if (draft.Store)
        {
            await store.SaveAsync(draft.Stored(_finished), cancellationToken).ConfigureAwait(false);
        }
    }

    public void WriteEnd(TokenUsage usage, IBufferWriterTarget output)
    {
        if (_passthrough)
        {
            if (_final is { } final)
            {
                ServerSentEvents.WriteEvent(output, final.Name, JsonBytes.Of(final.Data));
            }
            return;
        }
        EnsureStarted(output);
        Close(output);
        var finished = _finished ?? draft.Build(new JsonArray(_items.Select(Item).ToArray()), usage, _cachedTokens, _finishReason);
        var name = (String(finished["status"]) == "incomplete") ? "response.incomplete" : "response.completed";
        Write(output, name, new JsonObject { ["response"] = finished });
    }

    public Task WriteErrorResponseAsync(HttpContext http, ApiError error) => ErrorWriter.WriteAsync(http, error);

    public void WriteError(ApiError error, IBufferWriterTarget output) =>
        Write(output, "error", new JsonObject { ["code"] = error.Code ?? error.Type, ["message"] = error.Message, ["param"] = error.Param });

    /// <summary>
    /// Writes an upstream's own event, or holds it back when it is the final one. An error event of the router's own
    /// after it continues the upstream's numbering.
    /// </summary>
    private void Relay(NativeEvent native, IBufferWriterTarget output)
    {
        _passthrough = true;
        _sequence = (ResponsePassthrough.SequenceNumber(native.Data.Span) ?? _sequence) + 1;
        if (ResponsePassthrough.Event(native, draft) is not { } renamed)
        {
            ServerSentEvents.WriteEvent(output, native.Event ?? "message", native.Data.Span);
            return;
        }
        if (ResponsePassthrough.IsFinal(native.Event))
        {
            (_final, _finished) = ((native.Event!, renamed.Event), renamed.Response);
            return;
        }
        ServerSentEvents.WriteEvent(output, native.Event!, JsonBytes.Of(renamed.Event));
    }

    private void EnsureStarted(IBufferWriterTarget output)
    {
        if (_started)
        {
            return;
        }
        _started = true;
        Write(output, "response.created", new JsonObject { ["response"] = draft.Build([]) });
        Write(output, "response.in_progress", new JsonObject { ["response"] = draft.Build([]) });
    }

    private void ToolCall(IBufferWriterTarget output, JsonObject call)
    {
        var index = call["index"] is JsonValue i && i.TryGetValue(out long n) ? n : 0;
        var function = call["function"] as JsonObject;
        if (!_calls.TryGetValue(index, out var item))
        {
            var callId = String(call["id"]) ?? ResponseDraft.NewId("call");
            _calls[index] = item = Open(output, new OutputItem(ResponseDraft.NewId("fc"), callId, String(function?["name"]) ?? ""));
        }
        if (String(function?["arguments"]) is { Length: > 0 } arguments)
        {
            item.Text.Append(arguments);
            // A late piece of a call whose item is done already reaches the client in response.completed only.
            if (item == _open)
            {
                Write(output, "response.function_call_arguments.delta", new JsonObject { ["item_id"] = item.Id, ["output_index"] = item.Index, ["delta"] = arguments });
            }
        }
    }

    private OutputItem Open(IBufferWriterTarget output, OutputItem item)
    {
        Close(output);
        item.Index = _items.Count;
        _items.Add(item);
        _open = item;
        Write(output, "response.output_item.added", new JsonObject { ["output_index"] = item.Index, ["item"] = Item(item, "in_progress") });
        return item;
    }

    private void Close(IBufferWriterTarget output)
    {
        if (_open is not { } item)
        {
            return;
        }
        _open = null;
        var text = item.Text.ToString();
        if (item.CallId is null)
        {
            Write(output, "response.output_text.done", Part(item, null, ("text", text), ("logprobs", new JsonArray())));
            Write(output, "response.content_part.done", Part(item, ResponseDraft.TextPart(text)));
        }
        else
        {
            Write(output, "response.function_call_arguments.done", new JsonObject
            {
                ["item_id"] = item.Id, ["output_index"] = item.Index, ["name"] = item.Name, ["arguments"] = text,
            });
        }
        Write(output, "response.output_item.done", new JsonObject { ["output_index"] = item.Index, ["item"] = Item(item) });
    }

    private static JsonObject Item(OutputItem item) => Item(item, "completed");

    private static JsonObject Item(OutputItem item, string status) => item.CallId is null
        ? ResponseDraft.MessageItem(item.Id, status == "completed" ? item.Text.ToString() : null, status)
        : ResponseDraft.FunctionCallItem(item.Id, item.CallId, item.Name, status == "completed" ? item.Text.ToString() : "", status);

    private static JsonObject Part(OutputItem item, JsonObject? part, params (string Name, JsonNode Value)[] fields)
    {
        var data = new JsonObject { ["item_id"] = item.Id, ["output_index"] = item.Index, ["content_index"] = 0 };
        if (part is not null)
        {
            data["part"] = part;
        }
        foreach (var (name, value) in fields)
        {
            data[name] = value;
        }
        return data;
    }

    private void Write(IBufferWriterTarget output, string name, JsonObject data)
    {
        var named = new JsonObject { ["type"] = name, ["sequence_number"] = _sequence++ };
        foreach (var (key, value) in data.ToArray())
        {
            data.Remove(key);
            named[key] = value;
        }
        ServerSentEvents.WriteEvent(output, name, JsonBytes.Of(named));
    }

    /// <summary>One output item as it streams: the assistant's text, or a function call (with its call id) and its arguments.</summary>
    private sealed class OutputItem(string id, string? callId, string name)
    {
        public string Id { get; } = id;
        public string? CallId { get; } = callId;
        public string Name { get; } = name;
        public int Index { get; set; }
        public StringBuilder Text { get; } = new();
    }
}
