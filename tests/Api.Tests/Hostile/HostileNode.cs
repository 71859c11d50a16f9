using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Hostile;

/// <summary>
/// One node shared by the hostile-input tests: an OpenAI-type provider (fake/gpt-test) and a Claude provider
/// (claude/sonnet), a small body limit so the 413 path is cheap to reach, and helpers to speak raw HTTP.
/// </summary>
public sealed class HostileNode : IAsyncLifetime
{
    public const int BodyLimit = 64 * 1024;

    public FakeOpenAiUpstream OpenAi { get; private set; } = null!;
    public FakeAnthropicUpstream Claude { get; private set; } = null!;
    public RouterHarness Router { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        OpenAi = await FakeOpenAiUpstream.StartAsync();
        // Whatever reaches the fake gets a fixed, well-formed answer: the tests judge the router, not the fake.
        OpenAi.Handler = (http, _) => FakeOpenAiUpstream.WriteCompletionAsync(http, "gpt-4o-mini", "ok");
        Claude = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        var toml = $"""
            [server]
            host = "127.0.0.1"
            max_request_body_bytes = {BodyLimit}

            [[providers]]
            name = "fake"
            type = "openai"
            api_key_env = "{UpstreamToml.KeyEnv}"
            base_url = "{OpenAi.BaseUrl.ToString().TrimEnd('/')}"

            [[providers]]
            name = "claude"
            type = "claude"
            api_key_env = "{UpstreamToml.KeyEnv}"
            base_url = "{Claude.BaseUrl.ToString().TrimEnd('/')}"

            [[models]]
            name = "gpt-test"
            provider = "fake"
            upstream_model = "gpt-4o-mini"

            [[models]]
            name = "sonnet"
            provider = "claude"
            upstream_model = "claude-sonnet-4-5"
            """;
        Router = await RouterHarness.StartAsync(toml, UpstreamToml.Environment);
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await Claude.DisposeAsync();
        await OpenAi.DisposeAsync();
    }

    /// <summary>Posts raw bytes; answers the status and the parsed JSON body (null when the body is not JSON).</summary>
    public async Task<(int Status, JsonNode? Body)> PostAsync(string path, HttpContent content, Action<HttpRequestMessage>? prepare = null)
    {
        var (status, body, _) = await PostWithHeadersAsync(path, content, prepare);
        return (status, body);
    }

    /// <summary>As <see cref="PostAsync"/>, with whether the answer closes the connection (<c>Connection: close</c>).</summary>
    public async Task<(int Status, JsonNode? Body, bool ClosesConnection)> PostWithHeadersAsync(string path, HttpContent content, Action<HttpRequestMessage>? prepare = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        prepare?.Invoke(request);
        using var response = await Router.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            // Left null: the assertions say what was expected.
        }
        return ((int)response.StatusCode, json, response.Headers.ConnectionClose == true);
    }

    public Task<(int Status, JsonNode? Body)> PostJsonAsync(string path, string json) =>
        PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Sends a hand-written HTTP/1.1 request over a socket, so headers no client library would send can be tried.</summary>
    public async Task<string> RawAsync(string requestHead, byte[] body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Router.BaseUrl.Host, Router.BaseUrl.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(requestHead));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await reader.ReadToEndAsync(timeout.Token);
    }

    /// <summary>Posts <paramref name="body"/> chunked while reading the answer (<see cref="ChunkedPost"/>).</summary>
    public async Task<(int Status, JsonNode? Body)> PostChunkedWhileReadingAsync(string path, byte[] body)
    {
        var (status, answer) = await ChunkedPost.SendWhileReadingAsync(Router.BaseUrl, path, body);
        return (status, answer.Length == 0 ? null : JsonNode.Parse(answer));
    }

    /// <summary>Proof the node still serves: a normal call through the official OpenAI SDK succeeds.</summary>
    public async Task AssertStillServingAsync()
    {
        var client = Router.OpenAiChat("fake/gpt-test");
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("still there?")]);
        Assert.Equal("ok", completion.Content[0].Text);
    }

    /// <summary>Asserts an OpenAI-shaped error object with a message.</summary>
    public static JsonNode OpenAiError(JsonNode? body)
    {
        Assert.NotNull(body);
        var error = body["error"];
        Assert.NotNull(error);
        Assert.False(string.IsNullOrEmpty(error["message"]?.GetValue<string>()), body.ToJsonString());
        Assert.False(string.IsNullOrEmpty(error["type"]?.GetValue<string>()), body.ToJsonString());
        return error;
    }

    /// <summary>Asserts an Anthropic-shaped error object with a message.</summary>
    public static JsonNode AnthropicError(JsonNode? body)
    {
        Assert.NotNull(body);
        Assert.Equal("error", body["type"]?.GetValue<string>());
        var error = body["error"];
        Assert.NotNull(error);
        Assert.False(string.IsNullOrEmpty(error["message"]?.GetValue<string>()), body.ToJsonString());
        Assert.False(string.IsNullOrEmpty(error["type"]?.GetValue<string>()), body.ToJsonString());
        return error;
    }
}
