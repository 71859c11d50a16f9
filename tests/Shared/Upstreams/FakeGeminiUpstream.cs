using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// A fake Gemini upstream, faithful to the spec notes: POST /v1beta/models/{model}:generateContent, or
/// :streamGenerateContent?alt=sse (CRLF-framed <c>data:</c> events, no end sentinel, usage complete on the last);
/// key in <c>x-goog-api-key</c>; roles user/model only; errors in Google's envelope.
/// </summary>
public sealed partial class FakeGeminiUpstream : FakeUpstreamServer
{
    public string Reply { get; set; } = "Hello from Gemini";
    public int PromptTokens { get; set; } = 9;

    /// <summary>When set, the answer is this function call (arguments as a JSON object).</summary>
    public (string Name, string ArgsJson)? FunctionCall { get; set; }

    /// <summary>Runs after the streamed piece with this index is flushed.</summary>
    public Func<HttpContext, int, Task>? AfterPiece { get; set; }

    [GeneratedRegex("^/v1beta/models/(?<model>[^/:]+):(?<method>generateContent|streamGenerateContent|embedContent|batchEmbedContents)$")]
    private static partial Regex MethodPath();

    protected override Task DefaultAsync(HttpContext http, RecordedRequest request)
    {
        var match = MethodPath().Match(request.Path);
        if (request.Method != "POST" || !match.Success)
        {
            return WriteErrorAsync(http, 404, "NOT_FOUND", $"Requested entity was not found: {request.Path}");
        }
        if (string.IsNullOrEmpty(request.Header("x-goog-api-key")))
        {
            return WriteErrorAsync(http, 403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers. Please use an API key.");
        }
        JsonObject body;
        try
        {
            body = request.Json;
        }
        catch (JsonException)
        {
            return WriteErrorAsync(http, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
        }
        if (match.Groups["method"].Value is "embedContent" or "batchEmbedContents")
        {
            return EmbedAsync(http, match.Groups["model"].Value, match.Groups["method"].Value, body);
        }
        if (Invalid(body) is { } problem)
        {
            return WriteErrorAsync(http, 400, "INVALID_ARGUMENT", problem);
        }
        var model = match.Groups["model"].Value;
        if (match.Groups["method"].Value == "generateContent")
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync(Response(model, [Reply], final: true).ToJsonString());
        }
        return request.Query.Contains("alt=sse", StringComparison.Ordinal) ? StreamSseAsync(http, model) : StreamArrayAsync(http, model);
    }

    /// <summary>
    /// embedContent answers <c>{"embedding":{"values":[…]}}</c>; batchEmbedContents takes <c>requests</c>, each naming the
    /// URL's model as <c>models/{model}</c>, and answers <c>{"embeddings":[{"values":[…]}, …]}</c>. No token counts.
    /// </summary>
    private static Task EmbedAsync(HttpContext http, string model, string method, JsonObject body)
    {
        JsonObject? Embedding(JsonNode? request) =>
            request?["content"]?["parts"] is JsonArray { Count: 1 } parts && parts[0]?["text"]?.GetValue<string>() is { Length: > 0 } text
                ? new JsonObject { ["values"] = FakeEmbeddings.Json(FakeEmbeddings.Vector(text, request!["outputDimensionality"]?.GetValue<int>())) }
                : null;
        JsonObject response;
        if (method == "embedContent")
        {
            if (Embedding(body) is not { } one)
            {
                return WriteErrorAsync(http, 400, "INVALID_ARGUMENT", "* EmbedContentRequest.content: contents is not specified");
            }
            response = new JsonObject { ["embedding"] = one };
        }
        else
        {
            var requests = body["requests"] as JsonArray ?? [];
            if (requests.Count == 0 || requests.Any(r => r?["model"]?.GetValue<string>() != "models/" + model))
            {
                return WriteErrorAsync(http, 400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests: each request's model must be the batch's model");
            }
            var embeddings = requests.Select(Embedding).ToArray();
            if (embeddings.Contains(null))
            {
                return WriteErrorAsync(http, 400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests.content: contents is not specified");
            }
            response = new JsonObject { ["embeddings"] = new JsonArray(embeddings.Cast<JsonNode>().ToArray()) };
        }
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(response.ToJsonString());
    }

    private static string? Invalid(JsonObject body)
    {
        if (body["contents"] is not JsonArray contents || contents.Count == 0)
        {
            return "* GenerateContentRequest.contents: contents is not specified";
        }
        foreach (var content in contents)
        {
            var role = content?["role"]?.GetValue<string>();
            if (role is not (null or "user" or "model"))
            {
                return $"Please use a valid role: user, model. (got \"{role}\")";
            }
            if (content!["parts"] is not JsonArray parts || parts.Count == 0)
            {
                return "* GenerateContentRequest.contents.parts: contents.parts must not be empty.";
            }
            foreach (var part in parts)
            {
                var fields = part is JsonObject o ? o.Count(p => p.Key is "text" or "inlineData" or "fileData" or "functionCall" or "functionResponse") : 0;
                if (fields != 1)
                {
                    return "* GenerateContentRequest.contents.parts.data: a part must hold exactly one of text, inlineData, fileData, functionCall, functionResponse";
                }
            }
        }
        if (body["messages"] is not null || body["model"] is not null)
        {
            return "Invalid JSON payload received. Unknown name \"" + (body["messages"] is not null ? "messages" : "model") + "\": Cannot find field.";
        }
        return null;
    }

    private JsonObject Response(string model, IReadOnlyList<string> pieces, bool final)
    {
        var parts = new JsonArray([.. pieces.Select(p => (JsonNode)new JsonObject { ["text"] = p })]);
        if (final && FunctionCall is { } call)
        {
            parts = new JsonArray(new JsonObject { ["functionCall"] = new JsonObject { ["name"] = call.Name, ["args"] = JsonNode.Parse(call.ArgsJson) } });
        }
        var candidate = new JsonObject { ["content"] = new JsonObject { ["role"] = "model", ["parts"] = parts }, ["index"] = 0 };
        var usage = new JsonObject { ["promptTokenCount"] = PromptTokens };
        if (final)
        {
            var output = FakeOpenAiUpstream.SplitWords(Reply).Length;
            candidate["finishReason"] = "STOP";
            usage["candidatesTokenCount"] = output;
            usage["totalTokenCount"] = PromptTokens + output;
        }
        return new JsonObject
        {
            ["candidates"] = new JsonArray(candidate),
            ["usageMetadata"] = usage,
            ["modelVersion"] = model + "-001",
            ["responseId"] = "resp-fake1",
        };
    }

    private async Task StreamSseAsync(HttpContext http, string model)
    {
        http.Response.ContentType = "text/event-stream";
        await http.Response.StartAsync();
        var pieces = FakeOpenAiUpstream.SplitWords(Reply);
        for (var i = 0; i < pieces.Length; i++)
        {
            var last = i == pieces.Length - 1 && FunctionCall is null;
            await http.Response.WriteAsync("data: " + Response(model, [pieces[i]], final: last).ToJsonString() + "\r\n\r\n");
            await http.Response.Body.FlushAsync();
            if (AfterPiece is { } after)
            {
                await after(http, i);
            }
        }
        if (FunctionCall is not null)
        {
            await http.Response.WriteAsync("data: " + Response(model, [], final: true).ToJsonString() + "\r\n\r\n");
        }
    }

    /// <summary>Without alt=sse Gemini streams one JSON array, written progressively.</summary>
    private Task StreamArrayAsync(HttpContext http, string model)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("[" + Response(model, [Reply], final: true).ToJsonString() + "\n]");
    }

    public static Task WriteErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var error = new JsonObject { ["error"] = new JsonObject { ["code"] = status, ["message"] = message, ["status"] = code } };
        return http.Response.WriteAsync(error.ToJsonString());
    }
}
