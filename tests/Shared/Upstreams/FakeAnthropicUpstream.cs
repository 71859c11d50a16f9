using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// A fake Anthropic Messages upstream, faithful to the spec notes: POST /v1/messages needing <c>x-api-key</c> and
/// <c>anthropic-version</c>; refuses what the real API refuses (no max_tokens, a system role in messages, empty
/// text blocks); answers a message, or streams message_start, content blocks (with ping), message_delta,
/// message_stop. Errors are <c>{"type":"error","error":{…}}</c>.
/// </summary>
public sealed class FakeAnthropicUpstream : FakeUpstreamServer
{
    public string Reply { get; set; } = "Hello from Claude";
    public int InputTokens { get; set; } = 12;

    /// <summary>When set, the answer ends with this tool call (stop_reason tool_use).</summary>
    public (string Id, string Name, string InputJson)? ToolUse { get; set; }

    /// <summary>When set, the answer starts with this thinking block (signature "sig-fake").</summary>
    public string? Thinking { get; set; }

    /// <summary>Runs after the text delta with this index is flushed (tests use it to stall or break the stream).</summary>
    public Func<HttpContext, int, Task>? AfterDelta { get; set; }

    protected override Task DefaultAsync(HttpContext http, RecordedRequest request)
    {
        if (request.Method != "POST" || request.Path != "/v1/messages")
        {
            return WriteErrorAsync(http, 404, "not_found_error", $"Not found: {request.Path}");
        }
        if (string.IsNullOrEmpty(request.Header("x-api-key")))
        {
            return WriteErrorAsync(http, 401, "authentication_error", "x-api-key header is required");
        }
        if (string.IsNullOrEmpty(request.Header("anthropic-version")))
        {
            return WriteErrorAsync(http, 400, "invalid_request_error", "anthropic-version: header is required");
        }
        JsonObject body;
        try
        {
            body = request.Json;
        }
        catch (JsonException)
        {
            return WriteErrorAsync(http, 400, "invalid_request_error", "There was an issue with the JSON body");
        }
        if (Invalid(body) is { } problem)
        {
            return WriteErrorAsync(http, 400, "invalid_request_error", problem);
        }
        var model = body["model"]!.GetValue<string>();
        return body["stream"]?.GetValue<bool>() == true ? StreamAsync(http, model) : WriteMessageAsync(http, model);
    }

    private static string? Invalid(JsonObject body)
    {
        if (body["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String)
        {
            return "model: Field required";
        }
        if (body["max_tokens"] is not JsonValue max || !max.TryGetValue(out long tokens) || tokens < 1)
        {
            return "max_tokens: Field required";
        }
        if (body["system"] is { } system && system.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Array))
        {
            return "system: Input should be a valid string or list";
        }
        if (body["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return "messages: Field required";
        }
        foreach (var message in messages)
        {
            var role = message?["role"]?.GetValue<string>();
            if (role is not ("user" or "assistant"))
            {
                return $"messages: Unexpected role \"{role}\". Allowed roles are \"user\" or \"assistant\". Use the top-level system parameter for a system prompt.";
            }
            switch (message!["content"])
            {
                case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                    break;
                case JsonArray blocks when blocks.Count > 0:
                    foreach (var block in blocks)
                    {
                        var type = block?["type"]?.GetValue<string>();
                        if (type is null)
                        {
                            return "messages: content blocks need a type";
                        }
                        if (type == "text" && string.IsNullOrEmpty(block!["text"]?.GetValue<string>()))
                        {
                            return "messages: text content blocks must be non-empty";
                        }
                    }
                    break;
                default:
                    return "messages: all messages must have non-empty content";
            }
        }
        return null;
    }

    private JsonObject Usage(int outputTokens) => new()
    {
        ["input_tokens"] = InputTokens,
        ["cache_creation_input_tokens"] = 0,
        ["cache_read_input_tokens"] = 0,
        ["output_tokens"] = outputTokens,
    };

    private Task WriteMessageAsync(HttpContext http, string model)
    {
        var content = new JsonArray();
        if (Thinking is { } thinking)
        {
            content.Add(new JsonObject { ["type"] = "thinking", ["thinking"] = thinking, ["signature"] = "sig-fake" });
        }
        content.Add(new JsonObject { ["type"] = "text", ["text"] = Reply });
        if (ToolUse is { } tool)
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = tool.Id, ["name"] = tool.Name, ["input"] = JsonNode.Parse(tool.InputJson) });
        }
        var message = new JsonObject
        {
            ["id"] = "msg_fake1",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = content,
            ["stop_reason"] = ToolUse is null ? "end_turn" : "tool_use",
            ["stop_sequence"] = null,
            ["usage"] = Usage(FakeOpenAiUpstream.SplitWords(Reply).Length),
        };
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(message.ToJsonString());
    }

    private async Task StreamAsync(HttpContext http, string model)
    {
        http.Response.ContentType = "text/event-stream";
        await http.Response.StartAsync();
        var start = new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = "msg_fake1", ["type"] = "message", ["role"] = "assistant", ["model"] = model,
                ["content"] = new JsonArray(), ["stop_reason"] = null, ["stop_sequence"] = null, ["usage"] = Usage(1),
            },
        };
        await Event(http, start);
        var index = 0;
        if (Thinking is { } thinking)
        {
            await Event(http, new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" } });
            await Event(http, new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "thinking_delta", ["thinking"] = thinking } });
            await Event(http, new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "signature_delta", ["signature"] = "sig-fake" } });
            await Event(http, new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
            index++;
        }
        await Event(http, new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } });
        await Event(http, new JsonObject { ["type"] = "ping" });
        var pieces = FakeOpenAiUpstream.SplitWords(Reply);
        for (var i = 0; i < pieces.Length; i++)
        {
            await Event(http, new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = pieces[i] } });
            if (AfterDelta is { } after)
            {
                await after(http, i);
            }
        }
        await Event(http, new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
        if (ToolUse is { } tool)
        {
            index++;
            await Event(http, new JsonObject
            {
                ["type"] = "content_block_start", ["index"] = index,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = tool.Id, ["name"] = tool.Name, ["input"] = new JsonObject() },
            });
            var half = tool.InputJson.Length / 2;
            foreach (var fragment in (string[])["", tool.InputJson[..half], tool.InputJson[half..]])
            {
                await Event(http, new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = fragment } });
            }
            await Event(http, new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
        }
        await Event(http, new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = ToolUse is null ? "end_turn" : "tool_use", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = pieces.Length },
        });
        await Event(http, new JsonObject { ["type"] = "message_stop" });
    }

    public static Task Event(HttpContext http, JsonObject data) => WriteSseAsync(http, data["type"]!.GetValue<string>(), data.ToJsonString());

    public static Task WriteErrorAsync(HttpContext http, int status, string type, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var error = new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } };
        return http.Response.WriteAsync(error.ToJsonString());
    }
}
