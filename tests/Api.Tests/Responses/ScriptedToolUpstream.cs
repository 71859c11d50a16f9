using System.Text.Json.Nodes;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>
/// Scripts a fake OpenAI chat upstream for a tool round trip, as a model would answer it: while the conversation has
/// no tool result yet it calls <c>get_weather</c> with <see cref="Arguments"/>, after that it answers in text.
/// </summary>
public static class ScriptedToolUpstream
{
    public const string CallId = "call_weather_1";
    public const string Arguments = """{"city":"Paris"}""";

    public static Func<HttpContext, RecordedRequest, Task> Handler(string finalAnswer) => (http, request) =>
    {
        var json = request.Json;
        var model = json["model"]!.GetValue<string>();
        var answered = json["messages"]!.AsArray().Any(m => m!["role"]!.GetValue<string>() == "tool");
        var stream = json["stream"]?.GetValue<bool>() == true;
        if (answered)
        {
            return stream
                ? FakeOpenAiUpstream.StreamAsync(http, model, FakeOpenAiUpstream.SplitWords(finalAnswer), includeUsage: true)
                : FakeOpenAiUpstream.WriteCompletionAsync(http, model, finalAnswer);
        }
        return stream ? StreamCallAsync(http, model) : WriteCallAsync(http, model);
    };

    private static Task WriteCallAsync(HttpContext http, string model)
    {
        var completion = new JsonObject
        {
            ["id"] = "chatcmpl-tool1",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = null,
                    ["tool_calls"] = new JsonArray(Call(new JsonObject { ["name"] = "get_weather", ["arguments"] = Arguments })),
                },
                ["finish_reason"] = "tool_calls",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 20, ["completion_tokens"] = 7, ["total_tokens"] = 27 },
        };
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(completion.ToJsonString());
    }

    /// <summary>The call as OpenAI streams it: id and name first, then the arguments in two pieces.</summary>
    private static async Task StreamCallAsync(HttpContext http, string model)
    {
        http.Response.ContentType = "text/event-stream";
        await http.Response.StartAsync();
        JsonObject[] deltas =
        [
            new() { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(Call(new JsonObject { ["name"] = "get_weather", ["arguments"] = "" })) },
            new() { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = 0, ["function"] = new JsonObject { ["arguments"] = Arguments[..9] } }) },
            new() { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = 0, ["function"] = new JsonObject { ["arguments"] = Arguments[9..] } }) },
        ];
        foreach (var delta in deltas)
        {
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk(model, delta, null, includeUsage: true));
        }
        await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk(model, new JsonObject(), "tool_calls", includeUsage: true));
        await FakeOpenAiUpstream.WriteEventAsync(http, new JsonObject
        {
            ["id"] = "chatcmpl-fake1",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 20, ["completion_tokens"] = 7, ["total_tokens"] = 27 },
        }.ToJsonString());
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static JsonObject Call(JsonObject function) =>
        new() { ["index"] = 0, ["id"] = CallId, ["type"] = "function", ["function"] = function };
}
