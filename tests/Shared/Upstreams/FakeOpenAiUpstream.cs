using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// A real HTTP server on loopback that speaks OpenAI's chat-completions wire format (per the OpenAPI spec:
/// chat.completion objects, chat.completion.chunk SSE events ending in [DONE], a usage-only chunk when
/// stream_options.include_usage is true), and POST /v1/responses as <see cref="FakeOpenAiResponses"/>. It records
/// every request; tests may replace the handler.
/// </summary>
public sealed class FakeOpenAiUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAiUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Replaces the default behaviour; receives the recorded request.</summary>
    public Func<HttpContext, RecordedRequest, Task>? Handler { get; set; }

    /// <summary>The text the default handler answers with.</summary>
    public string Reply { get; set; } = "Hello from the fake upstream";

    public Uri BaseUrl { get; private set; } = null!;

    public RecordedRequest Single() => Assert.Single(Requests);

    public static async Task<FakeOpenAiUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeOpenAiUpstream(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var recorded = new RecordedRequest(http.Request.Method, http.Request.Path, http.Request.QueryString.Value ?? "", headers, body);
        Requests.Enqueue(recorded);
        if (Handler is { } handler)
        {
            await handler(http, recorded);
            return;
        }
        await DefaultAsync(http, recorded);
    }

    private Task DefaultAsync(HttpContext http, RecordedRequest request)
    {
        if (request.Path == "/v1/embeddings" && request.Method == "POST")
        {
            return WriteEmbeddingsAsync(http, request.Json);
        }
        if (request.Path == "/v1/responses" && request.Method == "POST")
        {
            return FakeOpenAiResponses.AnswerAsync(http, request.Json, Reply);
        }
        if (request.Path != "/v1/chat/completions" || request.Method != "POST")
        {
            return WriteErrorAsync(http, 404, "invalid_request_error", $"Unknown path {request.Path}");
        }
        var json = request.Json;
        var model = json["model"]?.GetValue<string>() ?? "";
        if (json["stream"]?.GetValue<bool>() == true)
        {
            var includeUsage = json["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
            return StreamAsync(http, model, SplitWords(Reply), includeUsage);
        }
        return WriteCompletionAsync(http, model, Reply);
    }

    /// <summary>
    /// OpenAI's embeddings answer (CreateEmbeddingResponse): one <see cref="FakeEmbeddings"/> vector per text or token
    /// array, as numbers or base64; usage counts words (a token array's length).
    /// </summary>
    public static Task WriteEmbeddingsAsync(HttpContext http, JsonObject body)
    {
        var model = body["model"]?.GetValue<string>();
        var input = body["input"];
        var texts = FakeEmbeddings.Texts(input)
            ?? (input is JsonArray { Count: > 0 } arrays && arrays.All(a => a is JsonArray) ? arrays.Select(a => new string('t', a!.AsArray().Count)).ToArray() : null);
        if (model is null || texts is null)
        {
            return WriteErrorAsync(http, 400, "invalid_request_error", "'input' and 'model' are required");
        }
        var width = body["dimensions"]?.GetValue<int>();
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var tokens = input is JsonArray tokenArrays && tokenArrays.All(a => a is JsonArray) ? texts.Sum(t => t.Length) : texts.Sum(FakeEmbeddings.Tokens);
        var response = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(texts.Select((text, i) => (JsonNode)new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64 ? FakeEmbeddings.Base64(FakeEmbeddings.Vector(text, width)) : FakeEmbeddings.Json(FakeEmbeddings.Vector(text, width)),
            }).ToArray()),
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(response.ToJsonString());
    }

    public static string[] SplitWords(string text) =>
        text.Split(' ').Select((w, i) => i == 0 ? w : " " + w).ToArray();

    public static Task WriteCompletionAsync(HttpContext http, string model, string text, int promptTokens = 11, string finishReason = "stop")
    {
        var completionTokens = SplitWords(text).Length;
        var response = new JsonObject
        {
            ["id"] = "chatcmpl-fake1",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
            },
            ["system_fingerprint"] = "fp_fake",
        };
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(response.ToJsonString());
    }

    /// <summary>Streams one chunk per piece; <paramref name="between"/> runs after each piece is flushed.</summary>
    public static async Task StreamAsync(HttpContext http, string model, IReadOnlyList<string> pieces, bool includeUsage, int promptTokens = 11, Func<int, Task>? between = null)
    {
        http.Response.ContentType = "text/event-stream";
        await http.Response.StartAsync();
        await WriteEventAsync(http, Chunk(model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null, includeUsage));
        for (var i = 0; i < pieces.Count; i++)
        {
            await WriteEventAsync(http, Chunk(model, new JsonObject { ["content"] = pieces[i] }, null, includeUsage));
            if (between is not null)
            {
                await between(i);
            }
        }
        await WriteEventAsync(http, Chunk(model, new JsonObject(), "stop", includeUsage));
        if (includeUsage)
        {
            var usage = new JsonObject
            {
                ["id"] = "chatcmpl-fake1",
                ["object"] = "chat.completion.chunk",
                ["created"] = 1_700_000_000,
                ["model"] = model,
                ["choices"] = new JsonArray(),
                ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = pieces.Count, ["total_tokens"] = promptTokens + pieces.Count },
            };
            await WriteEventAsync(http, usage.ToJsonString());
        }
        await http.Response.WriteAsync("data: [DONE]\n\n");
        await http.Response.Body.FlushAsync();
    }

    public static string Chunk(string model, JsonObject delta, string? finishReason, bool includeUsage)
    {
        var chunk = new JsonObject
        {
            ["id"] = "chatcmpl-fake1",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["system_fingerprint"] = "fp_fake",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }),
        };
        if (includeUsage)
        {
            chunk["usage"] = null;
        }
        return chunk.ToJsonString();
    }

    public static async Task WriteEventAsync(HttpContext http, string json)
    {
        await http.Response.WriteAsync("data: " + json + "\n\n");
        await http.Response.Body.FlushAsync();
    }

    public static Task WriteErrorAsync(HttpContext http, int status, string type, string message, string? code = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var error = new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
        };
        return http.Response.WriteAsync(error.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
