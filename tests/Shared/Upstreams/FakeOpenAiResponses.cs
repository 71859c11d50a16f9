using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// OpenAI's Responses API as the fake OpenAI upstream speaks it (per the OpenAPI spec): POST /v1/responses answers a
/// Response object whose output is one assistant message, or streams the event sequence response.created,
/// response.in_progress, output_item.added, content_part.added, output_text deltas, output_text.done,
/// content_part.done, output_item.done and response.completed, each named and numbered.
/// </summary>
public static class FakeOpenAiResponses
{
    /// <summary>The upstream's own ids, which the router replaces with its own when it keeps the response.</summary>
    public const string ResponseId = "resp_upstream1";

    public const string MessageId = "msg_upstream1";

    public const int InputTokens = 11;

    public static Task AnswerAsync(HttpContext http, JsonObject request, string text) =>
        request["stream"]?.GetValue<bool>() == true
            ? StreamAsync(http, request, FakeOpenAiUpstream.SplitWords(text))
            : WriteAsync(http, Response(request, [Message(text, "completed")], FakeOpenAiUpstream.SplitWords(text).Length));

    /// <summary>Streams one output_text delta per piece; <paramref name="between"/> runs after each piece is flushed.</summary>
    public static async Task StreamAsync(HttpContext http, JsonObject request, IReadOnlyList<string> pieces, Func<int, Task>? between = null)
    {
        http.Response.ContentType = "text/event-stream";
        await http.Response.StartAsync();
        var sequence = 0;
        Task Send(string type, JsonObject data)
        {
            var named = new JsonObject { ["type"] = type, ["sequence_number"] = sequence++ };
            foreach (var (key, value) in data.ToArray())
            {
                data.Remove(key);
                named[key] = value;
            }
            return WriteEventAsync(http, type, named);
        }
        await Send("response.created", new JsonObject { ["response"] = Response(request, [], null) });
        await Send("response.in_progress", new JsonObject { ["response"] = Response(request, [], null) });
        await Send("response.output_item.added", new JsonObject { ["output_index"] = 0, ["item"] = Message(null, "in_progress") });
        await Send("response.content_part.added", Part(new JsonObject { ["part"] = TextPart("") }));
        for (var i = 0; i < pieces.Count; i++)
        {
            await Send("response.output_text.delta", Part(new JsonObject { ["delta"] = pieces[i], ["logprobs"] = new JsonArray() }));
            if (between is not null)
            {
                await between(i);
            }
        }
        var text = string.Concat(pieces);
        await Send("response.output_text.done", Part(new JsonObject { ["text"] = text, ["logprobs"] = new JsonArray() }));
        await Send("response.content_part.done", Part(new JsonObject { ["part"] = TextPart(text) }));
        await Send("response.output_item.done", new JsonObject { ["output_index"] = 0, ["item"] = Message(text, "completed") });
        await Send("response.completed", new JsonObject { ["response"] = Response(request, [Message(text, "completed")], pieces.Count) });
    }

    /// <summary>A Response object echoing the request's fields; <paramref name="outputTokens"/> null while in progress.</summary>
    public static JsonObject Response(JsonObject request, JsonNode[] output, int? outputTokens) => new()
    {
        ["id"] = ResponseId,
        ["object"] = "response",
        ["created_at"] = 1_700_000_000,
        ["status"] = outputTokens is null ? "in_progress" : "completed",
        ["background"] = false,
        ["error"] = null,
        ["incomplete_details"] = null,
        ["instructions"] = request["instructions"]?.DeepClone(),
        ["max_output_tokens"] = request["max_output_tokens"]?.DeepClone(),
        ["model"] = request["model"]?.DeepClone(),
        ["output"] = new JsonArray(output),
        ["parallel_tool_calls"] = true,
        ["previous_response_id"] = request["previous_response_id"]?.DeepClone(),
        ["reasoning"] = new JsonObject { ["effort"] = null, ["summary"] = null },
        ["store"] = request["store"]?.DeepClone() ?? true,
        ["temperature"] = request["temperature"]?.DeepClone() ?? 1,
        ["text"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
        ["tool_choice"] = "auto",
        ["tools"] = new JsonArray(),
        ["top_p"] = request["top_p"]?.DeepClone() ?? 1,
        ["truncation"] = "disabled",
        ["usage"] = outputTokens is not { } tokens ? null : new JsonObject
        {
            ["input_tokens"] = InputTokens,
            ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
            ["output_tokens"] = tokens,
            ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
            ["total_tokens"] = InputTokens + tokens,
        },
        ["user"] = null,
        ["metadata"] = request["metadata"]?.DeepClone() ?? new JsonObject(),
    };

    /// <summary>The assistant's message item; <paramref name="text"/> null for the item as it starts (no content yet).</summary>
    public static JsonObject Message(string? text, string status) => new()
    {
        ["id"] = MessageId,
        ["type"] = "message",
        ["status"] = status,
        ["role"] = "assistant",
        ["content"] = text is null ? new JsonArray() : new JsonArray(TextPart(text)),
    };

    private static JsonObject TextPart(string text) =>
        new() { ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray() };

    private static JsonObject Part(JsonObject fields)
    {
        var data = new JsonObject { ["item_id"] = MessageId, ["output_index"] = 0, ["content_index"] = 0 };
        foreach (var (key, value) in fields.ToArray())
        {
            fields.Remove(key);
            data[key] = value;
        }
        return data;
    }

    private static Task WriteAsync(HttpContext http, JsonObject response)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(response.ToJsonString());
    }

    private static async Task WriteEventAsync(HttpContext http, string type, JsonObject data)
    {
        await http.Response.WriteAsync($"event: {type}\ndata: {data.ToJsonString()}\n\n");
        await http.Response.Body.FlushAsync();
    }
}
