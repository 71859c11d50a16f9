using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Hostile;

namespace LlmRouter.Api.Tests;

/// <summary>
/// Hostile input: every malformed, oversized or tricky request gets a 4xx with its API's error object, nothing
/// reaches an upstream it should not, and the node keeps serving afterwards.
/// </summary>
public sealed class HostileInputTests(HostileNode node) : IClassFixture<HostileNode>
{
    private const string Chat = "/v1/chat/completions";
    private const string Messages = "/v1/messages";
    private const string Hello = """{"model":"fake/gpt-test","messages":[{"role":"user","content":"hi"}]}""";
    private const string AnthropicHello = """{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""";

    private static string Padded(string json, int bytes) =>
        json.Insert(json.Length - 1, ",\"padding\":\"" + new string('x', bytes) + "\"");

    [Theory]
    [InlineData(Chat)]
    [InlineData("/models/fake/gpt-test/v1/chat/completions")]
    [InlineData("/models/fake/gpt-test/invoke")]
    [InlineData("/v1/embeddings")]
    public async Task An_oversized_body_with_a_content_length_is_413_in_openai_shape(string path)
    {
        var (status, body, closes) = await node.PostWithHeadersAsync(path, new StringContent(Padded(Hello, HostileNode.BodyLimit * 2), Encoding.UTF8, "application/json"));

        Assert.Equal(413, status);
        // The body was left unread, so the connection is not kept for another request.
        Assert.True(closes, "a 413 for an unread body must close the connection");
        Assert.Equal("request_too_large", HostileNode.OpenAiError(body)["code"]?.GetValue<string>());
        await node.AssertStillServingAsync();
    }

    [Fact]
    public async Task An_oversized_chunked_body_without_content_length_is_413()
    {
        var (status, body) = await node.PostChunkedWhileReadingAsync(Chat, Encoding.UTF8.GetBytes(Padded(Hello, HostileNode.BodyLimit * 4)));

        Assert.Equal(413, status);
        HostileNode.OpenAiError(body);
        await node.AssertStillServingAsync();
    }

    [Fact]
    public async Task An_oversized_body_on_the_anthropic_door_is_413_in_anthropic_shape()
    {
        var (status, body) = await node.PostChunkedWhileReadingAsync(Messages, Encoding.UTF8.GetBytes(Padded(AnthropicHello, HostileNode.BodyLimit * 4)));

        Assert.Equal(413, status);
        Assert.Equal("request_too_large", HostileNode.AnthropicError(body)["type"]?.GetValue<string>());
        await node.AssertStillServingAsync();
    }

    [Theory]
    [InlineData(Chat)]
    [InlineData(Messages)]
    [InlineData("/v1/embeddings")]
    public async Task Invalid_utf8_is_400(string path)
    {
        var prefix = Encoding.UTF8.GetBytes("""{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"user","content":"a""");
        var suffix = Encoding.UTF8.GetBytes("\"}]}");
        byte[] bytes = [.. prefix, 0xC3, 0x28, 0xFF, 0xFE, .. suffix];
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");

        var (status, body) = await node.PostAsync(path, content);

        Assert.Equal(400, status);
        ErrorFor(path, body);
        await node.AssertStillServingAsync();
    }

    [Theory]
    [InlineData(Chat, """{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"user","content":"\ud800"}]}""")]
    [InlineData(Chat, """{"model":"fake/gpt-\udc00","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData(Chat, """{"model":"fake/gpt-test","messages":[{"role":"us\ud83der","content":"hi"}]}""")]
    [InlineData(Messages, """{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"user","content":"\ud800"}]}""")]
    [InlineData(Messages, """{"model":"fake/\udfff","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""")]
    public async Task Strings_escaping_a_lone_surrogate_are_400(string path, string json)
    {
        var (status, body) = await node.PostJsonAsync(path, json);

        Assert.Equal(400, status);
        ErrorFor(path, body);
        await node.AssertStillServingAsync();
    }

    [Theory]
    [InlineData(Chat)]
    [InlineData(Messages)]
    [InlineData("/models/fake/gpt-test/invoke")]
    public async Task Ten_thousand_deep_nesting_is_400(string path)
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var (status, body) = await node.PostJsonAsync(path, """{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"user","content":""" + deep + "}]}");

        Assert.Equal(400, status);
        ErrorFor(path, body);
        await node.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("""{"model":["fake/gpt-test"],"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":null,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"fake/gpt-test","messages":{"role":"user","content":"hi"}}""", "messages")]
    [InlineData("""{"model":"fake/gpt-test","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"fake/gpt-test","messages":[null]}""", "messages[0]")]
    [InlineData("""{"model":"fake/gpt-test","messages":["hi"]}""", "messages[0]")]
    [InlineData("""{"model":"fake/gpt-test","messages":[{"role":7,"content":"hi"}]}""", "messages[0]")]
    [InlineData("""{"model":"fake/gpt-test","messages":[{"role":{"x":1},"content":"hi"}]}""", "messages[0]")]
    [InlineData("""{"model":"fake/gpt-test","messages":[{"role":"user","content":42}]}""", "messages[0].content")]
    [InlineData("""{"model":"fake/gpt-test","messages":[{"role":"user","content":{"text":"hi"}}]}""", "messages[0].content")]
    [InlineData("""{"model":"fake/gpt-test","stream":1,"messages":[{"role":"user","content":"hi"}]}""", "stream")]
    [InlineData("""{"model":"fake/gpt-test","stream":"true","messages":[{"role":"user","content":"hi"}]}""", "stream")]
    [InlineData("""{"model":"fake/gpt-test","stream":true,"stream_options":"usage","messages":[{"role":"user","content":"hi"}]}""", "stream_options")]
    [InlineData("""{"model":"fake/gpt-test","stream":true,"stream_options":{"include_usage":"yes"},"messages":[{"role":"user","content":"hi"}]}""", "stream_options.include_usage")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":"ten","messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":-1,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":1e308,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":12.5,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"fake/gpt-test","max_completion_tokens":-5,"messages":[{"role":"user","content":"hi"}]}""", "max_completion_tokens")]
    [InlineData("""{"model":"fake/gpt-test","temperature":"hot","messages":[{"role":"user","content":"hi"}]}""", "temperature")]
    [InlineData("""{"model":"fake/gpt-test","temperature":1e308,"messages":[{"role":"user","content":"hi"}]}""", "temperature")]
    [InlineData("""{"model":"fake/gpt-test","temperature":-1,"messages":[{"role":"user","content":"hi"}]}""", "temperature")]
    [InlineData("""{"model":"fake/gpt-test","top_p":7,"messages":[{"role":"user","content":"hi"}]}""", "top_p")]
    [InlineData("""{"model":"fake/gpt-test","n":-3,"messages":[{"role":"user","content":"hi"}]}""", "n")]
    [InlineData("""{"model":"fake/gpt-test","presence_penalty":1e308,"messages":[{"role":"user","content":"hi"}]}""", "presence_penalty")]
    [InlineData("""{"model":"fake/gpt-test","frequency_penalty":"high","messages":[{"role":"user","content":"hi"}]}""", "frequency_penalty")]
    [InlineData("""{"model":"fake/gpt-test","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"fake/gpt-test","messages":[{"role":"","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"fake/gpt-test","messages":[{"role":"USER","content":"hi"}]}""", "messages[0].role")]
    public async Task Wrong_types_and_absurd_values_on_the_openai_door_are_400_and_never_reach_the_upstream(string json, string param)
    {
        var before = node.OpenAi.Requests.Count;

        var (status, body) = await node.PostJsonAsync(Chat, json);

        Assert.Equal(400, status);
        Assert.Equal(param, HostileNode.OpenAiError(body)["param"]?.GetValue<string>());
        Assert.Equal(before, node.OpenAi.Requests.Count);
        await node.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("""{"model":42,"max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":"16","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":-1,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":1e308,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"messages":"hi"}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"system","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"wizard","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"user","content":7}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"stream":"yes","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"system":42,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"temperature":"hot","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"temperature":1e308,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"top_k":"many","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"stop_sequences":"END","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"user","content":[{"type":"text","text":5}]}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"messages":[{"role":"user","content":[7]}]}""")]
    [InlineData("""{"model":"fake/gpt-test","max_tokens":16,"tools":"all","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"claude/sonnet","max_tokens":-1,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"claude/sonnet","max_tokens":16,"messages":[{"role":"wizard","content":"hi"}]}""")]
    public async Task Wrong_types_and_absurd_values_on_the_anthropic_door_are_400_in_anthropic_shape(string json)
    {
        var (openAiBefore, claudeBefore) = (node.OpenAi.Requests.Count, node.Claude.Requests.Count);

        var (status, body) = await node.PostJsonAsync(Messages, json);

        Assert.Equal(400, status);
        Assert.Equal("invalid_request_error", HostileNode.AnthropicError(body)["type"]?.GetValue<string>());
        Assert.Equal((openAiBefore, claudeBefore), (node.OpenAi.Requests.Count, node.Claude.Requests.Count));
        await node.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("/models/fake%2Fgpt-test/v1/chat/completions")]
    [InlineData("/models/fake/..%2F..%2Fmonitor%2Finvocations/v1/chat/completions")]
    [InlineData("/models/fake/../../monitor/v1/chat/completions")]
    [InlineData("/models/%2E%2E/gpt-test/invoke")]
    [InlineData("/models/fake/gpt-test%0D%0AX-Injected:%201/invoke")]
    [InlineData("/models/f%C3%A4ke/%E2%80%AEtset-tpg/v1/chat/completions")]
    [InlineData("/models/fake/%F0%9F%92%A3%F0%9F%92%A3/invoke")]
    [InlineData("/models/fake/%FF%FE/invoke")]
    public async Task Path_tricks_on_model_urls_are_4xx_in_openai_shape(string path)
    {
        var before = node.OpenAi.Requests.Count;

        var (status, body) = await node.PostJsonAsync(path, """{"messages":[{"role":"user","content":"hi"}],"prompt":"hi"}""");

        Assert.InRange(status, 400, 499);
        HostileNode.OpenAiError(body);
        Assert.Equal(before, node.OpenAi.Requests.Count);
        await node.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_nul_in_a_model_url_is_refused_by_the_server()
    {
        // Kestrel refuses a decoded NUL in the path before any application code runs: a bare 400, no body to shape.
        var (status, _) = await node.PostJsonAsync("/models/fake/gpt-test%00/invoke", """{"prompt":"hi"}""");

        Assert.Equal(400, status);
        await node.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_very_long_model_name_is_a_404_in_openai_shape()
    {
        var (status, body) = await node.PostJsonAsync($"/models/fake/{new string('m', 6000)}/v1/chat/completions", Hello);

        Assert.Equal(404, status);
        Assert.Equal("model_not_found", HostileNode.OpenAiError(body)["code"]?.GetValue<string>());
        await node.AssertStillServingAsync();
    }

    [Fact]
    public async Task A_model_name_in_the_body_of_a_megabyte_is_refused_without_echoing_it_whole()
    {
        var name = new string('m', 50_000);
        var (status, body) = await node.PostJsonAsync(Chat, $$"""{"model":"fake/{{name}}","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(404, status);
        Assert.Equal("model_not_found", HostileNode.OpenAiError(body)["code"]?.GetValue<string>());
        await node.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("anthropic-beta: tools-2024\r\n X-Injected: folded\r\n")]
    [InlineData("anthropic-beta: tools-2024\rX-Injected: bare-cr\r\n")]
    [InlineData("anthropic-beta: tools-2024\nX-Injected: bare-lf\r\n")]
    [InlineData("anthropic-beta: tools\u00002024\r\n")]
    [InlineData("anthropic-beta: tools-2024\r\nanthropic-beta: \r\nX-Injected: second\r\n")]
    public async Task Header_injection_in_forwarded_headers_never_reaches_the_upstream(string headers)
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"claude/sonnet","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""");
        var head = $"POST {Messages} HTTP/1.1\r\nHost: {node.Router.BaseUrl.Authority}\r\nContent-Type: application/json\r\n"
            + $"Content-Length: {body.Length}\r\nConnection: close\r\n{headers}\r\n";

        var response = await node.RawAsync(head, body);

        var statusLine = response.Split("\r\n")[0];
        Assert.StartsWith("HTTP/1.1 ", statusLine, StringComparison.Ordinal);
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(status is 200 or (>= 400 and < 500), response);
        foreach (var sent in node.Claude.Requests)
        {
            Assert.Null(sent.Header("x-injected"));
            Assert.All(sent.Headers.Values, value => Assert.DoesNotContain('\r', value));
            Assert.All(sent.Headers.Values, value => Assert.DoesNotContain('\n', value));
            Assert.All(sent.Headers.Values, value => Assert.DoesNotContain('\0', value));
        }
        await node.AssertStillServingAsync();
    }

    [Theory]
    [InlineData("model=fake%2Fgpt-test'%20OR%20'1'%3D'1")]
    [InlineData("model=x%22%3B%20DROP%20TABLE%20invocations%3B%20--")]
    [InlineData("provider=fake'--")]
    [InlineData("api_key=%25")]
    [InlineData("model=%25%25")]
    [InlineData("model=_")]
    [InlineData("model=*")]
    public async Task Sql_looking_text_filters_match_nothing_and_harm_nothing(string query)
    {
        await node.AssertStillServingAsync();
        var before = await InvocationCountAsync();
        Assert.True(before > 0);

        using var response = await node.Router.Http.GetAsync($"/monitor/invocations?{query}");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(json["items"]!.AsArray());
        Assert.Equal(before, await InvocationCountAsync());
    }

    [Theory]
    [InlineData("limit=1%3B%20DROP%20TABLE%20invocations")]
    [InlineData("limit=-1")]
    [InlineData("limit=99999999999999999999")]
    [InlineData("offset=1%20OR%201%3D1")]
    [InlineData("status=success'%20OR%20'1'%3D'1")]
    [InlineData("start=2025-01-01'%3B--")]
    [InlineData("end=1e308")]
    public async Task Sql_looking_typed_filters_are_400_in_openai_shape(string query)
    {
        await node.AssertStillServingAsync();
        var before = await InvocationCountAsync();

        using var response = await node.Router.Http.GetAsync($"/monitor/invocations?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        HostileNode.OpenAiError(JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        Assert.Equal(before, await InvocationCountAsync());
    }

    [Fact]
    public async Task Thousands_of_mutated_bodies_get_no_5xx_and_the_node_survives()
    {
        var random = new Random(20261122);
        var seeds = new (string Path, string Json)[]
        {
            (Chat, """{"model":"fake/gpt-test","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}],"max_tokens":16,"temperature":0.5,"stream":false}"""),
            (Chat, """{"model":"fake/gpt-test","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"stream":true,"stream_options":{"include_usage":true}}"""),
            (Messages, """{"model":"fake/gpt-test","max_tokens":16,"system":"be brief","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"temperature":0.5}"""),
            (Messages, """{"model":"claude/sonnet","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},{"role":"user","content":"again"}]}"""),
            ("/models/fake/gpt-test/invoke", """{"prompt":"hi","parameters":{"max_tokens":16,"temperature":0.1}}"""),
        };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var statuses = new Dictionary<int, int>();
        var sent = 0;
        using var throttle = new SemaphoreSlim(8);
        var pending = new List<Task>();
        while (sent < 3000 && DateTime.UtcNow < deadline)
        {
            var (path, json) = seeds[random.Next(seeds.Length)];
            var mutated = MalformedBodies.Mutate(random, Encoding.UTF8.GetBytes(json));
            sent++;
            await throttle.WaitAsync();
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    var content = new ByteArrayContent(mutated);
                    content.Headers.ContentType = new("application/json");
                    using var response = await node.Router.Http.PostAsync(path, content);
                    await response.Content.ReadAsByteArrayAsync();
                    var status = (int)response.StatusCode;
                    Assert.True(status < 500, $"{status} for {path}: {Encoding.UTF8.GetString(mutated)}");
                    lock (statuses)
                    {
                        statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    }
                }
                finally
                {
                    throttle.Release();
                }
            }));
        }
        await Task.WhenAll(pending);

        Assert.True(sent >= 1000, $"only {sent} bodies in 30 s");
        // Both refusals and served calls occurred, so the mutations reached past the parser as well as into it.
        Assert.Contains(400, statuses.Keys);
        Assert.Contains(200, statuses.Keys);
        await node.AssertStillServingAsync();
    }

    private async Task<int> InvocationCountAsync() => (await node.Router.InvocationsAsync()).Count;

    private static void ErrorFor(string path, JsonNode? body)
    {
        if (path == Messages)
        {
            HostileNode.AnthropicError(body);
        }
        else
        {
            HostileNode.OpenAiError(body);
        }
    }
}
