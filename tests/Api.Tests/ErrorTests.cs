using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests;

/// <summary>Every error class answers in OpenAI's error shape with the right status.</summary>
public sealed class ErrorTests
{
    private static readonly Dictionary<string, string> Environment = new() { ["FAKE_UPSTREAM_KEY"] = "sk-upstream-secret" };
    private const string Hello = """{"model":"fake/gpt-test","messages":[{"role":"user","content":"hi"}]}""";

    [Theory]
    [InlineData("{not json", 400, "invalid_json", null)]
    [InlineData("[1,2]", 400, "invalid_json", null)]
    [InlineData("""{"model":"fake/gpt-test"}""", 400, "invalid_value", "messages")]
    [InlineData("""{"model":"fake/gpt-test","messages":[]}""", 400, "invalid_value", "messages")]
    [InlineData("""{"model":"fake/gpt-test","messages":[{"content":"no role"}]}""", 400, "invalid_value", "messages[0]")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_value", "model")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_value", "model")]
    [InlineData("""{"model":"fake/gpt-test","stream":"yes","messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_value", "stream")]
    [InlineData("""{"model":"nobody/nothing","messages":[{"role":"user","content":"hi"}]}""", 404, "model_not_found", "model")]
    [InlineData("""{"model":"nothing","messages":[{"role":"user","content":"hi"}]}""", 404, "model_not_found", "model")]
    public async Task Bad_requests_are_refused_before_reaching_the_upstream(string body, int status, string code, string? param)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        var (actualStatus, error) = await PostAsync(router, body);

        Assert.Equal(status, actualStatus);
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Ambiguous_bare_name_lists_the_candidates()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var toml = RouterHarness.Toml(fake.BaseUrl, extra: $"""
            [[providers]]
            name = "other"
            type = "deepseek"
            base_url = "{fake.BaseUrl}"

            [[models]]
            name = "gpt-test"
            provider = "other"
            """);
        await using var router = await RouterHarness.StartAsync(toml, Environment);

        var (status, error) = await PostAsync(router, """{"model":"gpt-test","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(400, status);
        Assert.Equal("model_ambiguous", error["code"]!.GetValue<string>());
        Assert.Contains("fake/gpt-test", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("other/gpt-test", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openai_sdk_sees_a_404_for_an_unknown_model()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        var exception = await Assert.ThrowsAsync<ClientResultException>(() => router.OpenAiChat("fake/unknown").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, exception.Status);
        Assert.Contains("model_not_found", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upstream_timeout_is_504_and_logged()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = async (http, _) => await Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted);
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl),
            new Dictionary<string, string>(Environment) { ["LLM_ROUTER_DEFAULT_TIMEOUT"] = "0.5" });

        var (status, error) = await PostAsync(router, Hello);

        Assert.Equal(504, status);
        Assert.Equal("upstream_timeout", error["code"]!.GetValue<string>());
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Error, 504), (logged.Status, logged.HttpStatus));
    }

    [Fact]
    public async Task Upstream_server_error_is_502_keeping_the_upstream_message()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, _) => FakeOpenAiUpstream.WriteErrorAsync(http, 500, "server_error", "The engine is overloaded");
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        var (status, error) = await PostAsync(router, Hello);

        Assert.Equal(502, status);
        Assert.Equal("upstream_error", error["type"]!.GetValue<string>());
        Assert.Contains("The engine is overloaded", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("500", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "invalid_request_error", "max_tokens is too large")]
    [InlineData(401, "invalid_request_error", "Incorrect API key provided")]
    [InlineData(429, "rate_limit_error", "Rate limit reached for requests")]
    public async Task Upstream_client_errors_pass_through_with_their_status_and_body(int upstreamStatus, string type, string message)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, _) =>
        {
            if (upstreamStatus == 429)
            {
                http.Response.Headers.RetryAfter = "7";
            }
            return FakeOpenAiUpstream.WriteErrorAsync(http, upstreamStatus, type, message, "upstream_code");
        };
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(Hello, Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(upstreamStatus, (int)response.StatusCode);
        Assert.Equal(message, error["message"]!.GetValue<string>());
        Assert.Equal(type, error["type"]!.GetValue<string>());
        Assert.Equal("upstream_code", error["code"]!.GetValue<string>());
        if (upstreamStatus == 429)
        {
            Assert.Equal("7", response.Headers.RetryAfter!.ToString());
        }
    }

    [Fact]
    public async Task Unreachable_upstream_is_502()
    {
        var closedPort = FreeLoopbackPort();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(new Uri($"http://127.0.0.1:{closedPort}")), Environment);

        var (status, error) = await PostAsync(router, Hello);

        Assert.Equal(502, status);
        Assert.Equal("upstream_unreachable", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upstream_answering_garbage_is_502()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = (http, _) => http.Response.WriteAsync("<html>gateway</html>");
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        var (status, error) = await PostAsync(router, Hello);

        Assert.Equal(502, status);
        Assert.Equal("upstream_protocol_error", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_route_is_an_openai_shaped_404()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Environment);

        using var response = await router.Http.GetAsync("/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    internal static async Task<(int Status, JsonNode Error)> PostAsync(RouterHarness router, string body, string path = "/v1/chat/completions")
    {
        using var response = await router.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return ((int)response.StatusCode, json["error"]!);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
