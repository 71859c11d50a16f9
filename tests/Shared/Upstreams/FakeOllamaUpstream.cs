using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// A fake Ollama server, faithful to the spec notes and ollama-openapi.yaml: POST /api/chat streams NDJSON unless
/// <c>"stream": false</c> (streaming is the default), sampling options under <c>options</c>, tool-call arguments
/// as objects, usage as prompt_eval_count / eval_count, errors as <c>{"error":"…"}</c>. Its OpenAI-compatible
/// /v1/chat/completions is served too, as a real Ollama does.
/// </summary>
public sealed class FakeOllamaUpstream : FakeUpstreamServer
{
    public string Reply { get; set; } = "Hello from Ollama";
    public int PromptTokens { get; set; } = 26;

    /// <summary>When set, the answer is this tool call.</summary>
    public (string Name, string ArgsJson)? ToolCall { get; set; }

    /// <summary>When set, thinking text streamed (and answered) before the content.</summary>
    public string? Thinking { get; set; }

    protected override Task DefaultAsync(HttpContext http, RecordedRequest request)
    {
        if (request.Method == "POST" && request.Path == "/v1/chat/completions")
        {
            var json = request.Json;
            var openAiModel = json["model"]!.GetValue<string>();
            return json["stream"]?.GetValue<bool>() == true
                ? FakeOpenAiUpstream.StreamAsync(http, openAiModel, FakeOpenAiUpstream.SplitWords(Reply), json["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
                : FakeOpenAiUpstream.WriteCompletionAsync(http, openAiModel, Reply);
        }
        if (request.Method == "POST" && request.Path == "/api/embed")
        {
            return EmbedAsync(http, request.Json);
        }
        if (request.Method != "POST" || request.Path != "/api/chat")
        {
            return WriteErrorAsync(http, 404, "404 page not found");
        }
        JsonObject body;
        try
        {
            body = request.Json;
        }
        catch (JsonException exception)
        {
            return WriteErrorAsync(http, 400, exception.Message);
        }
        if (body["model"] is not JsonValue model || model.GetValueKind() != JsonValueKind.String)
        {
            return WriteErrorAsync(http, 400, "model is required");
        }
        if (body["messages"] is not JsonArray messages || messages.Any(m => m?["role"]?.GetValue<string>() is not ("system" or "user" or "assistant" or "tool")))
        {
            return WriteErrorAsync(http, 400, "invalid message role");
        }
        if (messages.Any(m => m?["content"] is JsonArray))
        {
            return WriteErrorAsync(http, 400, "json: cannot unmarshal array into Go struct field Message.messages.content of type string");
        }
        var stream = body["stream"] is not JsonValue flag || flag.GetValueKind() != JsonValueKind.False;
        return stream ? StreamAsync(http, model.GetValue<string>()) : WriteAnswerAsync(http, model.GetValue<string>());
    }

    private JsonObject Message(string content, bool withTool)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (withTool && ToolCall is { } call)
        {
            message["tool_calls"] = new JsonArray(new JsonObject { ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = JsonNode.Parse(call.ArgsJson) } });
        }
        return message;
    }

    private JsonObject Final(string model, JsonObject message)
    {
        var output = FakeOpenAiUpstream.SplitWords(Reply).Length;
        return new JsonObject
        {
            ["model"] = model,
            ["created_at"] = "2025-10-26T17:15:24.12Z",
            ["message"] = message,
            ["done"] = true,
            ["done_reason"] = "stop",
            ["total_duration"] = 4_883_583_458L,
            ["load_duration"] = 1_334_875,
            ["prompt_eval_count"] = PromptTokens,
            ["prompt_eval_duration"] = 342_546_000,
            ["eval_count"] = output,
            ["eval_duration"] = 4_535_599_000L,
        };
    }

    private Task WriteAnswerAsync(HttpContext http, string model)
    {
        var message = Message(ToolCall is null ? Reply : "", withTool: true);
        if (Thinking is { } thinking)
        {
            message["thinking"] = thinking;
        }
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(Final(model, message).ToJsonString());
    }

    private async Task StreamAsync(HttpContext http, string model)
    {
        http.Response.ContentType = "application/x-ndjson";
        await http.Response.StartAsync();
        if (Thinking is { } thinking)
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = "", ["thinking"] = thinking };
            await LineAsync(http, new JsonObject { ["model"] = model, ["created_at"] = "2025-10-26T17:15:24.05Z", ["message"] = message, ["done"] = false });
        }
        if (ToolCall is null)
        {
            foreach (var piece in FakeOpenAiUpstream.SplitWords(Reply))
            {
                await LineAsync(http, new JsonObject { ["model"] = model, ["created_at"] = "2025-10-26T17:15:24.09Z", ["message"] = Message(piece, false), ["done"] = false });
            }
        }
        else
        {
            await LineAsync(http, new JsonObject { ["model"] = model, ["created_at"] = "2025-10-26T17:15:24.09Z", ["message"] = Message("", true), ["done"] = false });
        }
        await LineAsync(http, Final(model, Message("", false)));
    }

    public static async Task LineAsync(HttpContext http, JsonObject line)
    {
        await http.Response.WriteAsync(line.ToJsonString() + "\n");
        await http.Response.Body.FlushAsync();
    }

    public static Task WriteErrorAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(new JsonObject { ["error"] = message }.ToJsonString());
    }

    /// <summary>POST /api/embed (EmbedRequest → EmbedResponse): <c>embeddings</c> in input order, <c>prompt_eval_count</c> the words.</summary>
    private static Task EmbedAsync(HttpContext http, JsonObject body)
    {
        if (body["model"]?.GetValue<string>() is not { } model || FakeEmbeddings.Texts(body["input"]) is not { } texts)
        {
            return WriteErrorAsync(http, 400, "invalid input type");
        }
        var width = body["dimensions"]?.GetValue<int>();
        var response = new JsonObject
        {
            ["model"] = model,
            ["embeddings"] = new JsonArray(texts.Select(t => (JsonNode)FakeEmbeddings.Json(FakeEmbeddings.Vector(t, width))).ToArray()),
            ["total_duration"] = 14_143_917,
            ["load_duration"] = 1_019_500,
            ["prompt_eval_count"] = texts.Sum(FakeEmbeddings.Tokens),
        };
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(response.ToJsonString());
    }
}
