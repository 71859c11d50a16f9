using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests;

/// <summary>POST /v1/chat/completions through the official OpenAI SDK against a fake upstream.</summary>
public sealed class ChatCompletionsTests
{
    private static readonly Dictionary<string, string> UpstreamKey = new() { ["FAKE_UPSTREAM_KEY"] = "sk-upstream-secret" };

    [Fact]
    public async Task Non_streamed_call_reaches_the_upstream_exactly_and_returns_its_answer()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), UpstreamKey);

        var completion = (await router.OpenAiChat("fake/gpt-test").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello")],
            new ChatCompletionOptions { Temperature = 0.25f, MaxOutputTokenCount = 50 })).Value;

        Assert.Equal("Hello from the fake upstream", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(11, completion.Usage.InputTokenCount);
        Assert.Equal(5, completion.Usage.OutputTokenCount);

        var sent = fake.Single();
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer sk-upstream-secret", sent.Header("Authorization"));
        Assert.StartsWith("application/json", sent.Header("Content-Type"));
        var body = sent.Json;
        Assert.Equal("gpt-4o-mini-2024-07-18", body["model"]!.GetValue<string>());
        Assert.Equal(0.25, body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(50, body["max_completion_tokens"]?.GetValue<int>() ?? body["max_tokens"]!.GetValue<int>());
        var messages = body["messages"]!.AsArray();
        Assert.Equal(2, messages.Count);
        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.Equal("user", messages[1]!["role"]!.GetValue<string>());
        Assert.Equal("Say hello", ContentText(messages[1]!));
        Assert.Null(body["stream"]);

        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal(InvocationStatus.Success, logged.Status);
        Assert.Equal(("fake", "gpt-test", 200, 11L, 5L), (logged.Provider, logged.Model, logged.HttpStatus, logged.PromptTokens, logged.CompletionTokens));
        Assert.Equal(0.0130m, logged.Cost);
        Assert.Equal("openai", logged.ClientFormat);
        Assert.Equal("test-node", logged.Node);
        Assert.False(logged.Stream);
    }

    [Fact]
    public async Task Streamed_call_passes_chunks_through_and_reports_usage_when_asked()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Reply = "one two three four";
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), UpstreamKey);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in router.OpenAiChat("fake/gpt-test").CompleteChatStreamingAsync(
            [new UserChatMessage("count")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("one two three four", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        var sent = fake.Single().Json;
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.True(sent["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal("gpt-4o-mini-2024-07-18", sent["model"]!.GetValue<string>());
        Assert.NotNull(usage);
        Assert.Equal((11, 4), (usage!.InputTokenCount, usage.OutputTokenCount));

        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Success, true, 11L, 4L), (logged.Status, logged.Stream, logged.PromptTokens, logged.CompletionTokens));
        Assert.NotNull(logged.TimeToFirstTokenMs);
        var detail = await router.Services.GetService<IInvocationLog>()!.GetAsync(logged.Id);
        Assert.Equal("one two three four", detail!.ResponseBody);
    }

    [Fact]
    public async Task Stream_without_include_usage_gets_no_usage_chunk_but_the_log_still_counts_tokens()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Reply = "alpha beta";
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), UpstreamKey);

        var events = await ReadSseAsync(router, """{"model":"fake/gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.Take(events.Count - 1).Select(e => JsonNode.Parse(e)!.AsObject()).ToList();
        Assert.All(chunks, c => Assert.NotEmpty(c["choices"]!.AsArray()));
        Assert.All(chunks, c => Assert.Null(c["usage"]));
        Assert.Equal("alpha beta", string.Concat(chunks.Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>())));
        Assert.True(fake.Single().Json["stream_options"]!["include_usage"]!.GetValue<bool>());

        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((11L, 2L), (logged.PromptTokens, logged.CompletionTokens));
    }

    [Fact]
    public async Task Stream_chunks_reach_the_client_before_the_upstream_finishes()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var release = new TaskCompletionSource();
        fake.Handler = (http, request) => FakeOpenAiUpstream.StreamAsync(http, "m", ["first", " second"], includeUsage: true,
            between: i => i == 0 ? release.Task.WaitAsync(TimeSpan.FromSeconds(20)) : Task.CompletedTask);
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), UpstreamKey);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"fake/gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await router.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!seen.ToString().Contains("\"first\"", StringComparison.Ordinal))
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            seen.AppendLine(line);
        }
        // The upstream is still holding back " second": the router forwarded "first" on its own.
        Assert.DoesNotContain("second", seen.ToString(), StringComparison.Ordinal);
        release.SetResult();
        var rest = await reader.ReadToEndAsync(timeout.Token);
        Assert.Contains("\" second\"", rest, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bare_model_name_resolves_when_unique()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), UpstreamKey);

        var completion = (await router.OpenAiChat("gpt-test").CompleteChatAsync([new UserChatMessage("hi")])).Value;

        Assert.Equal("Hello from the fake upstream", completion.Content[0].Text);
        Assert.Equal("gpt-4o-mini-2024-07-18", fake.Single().Json["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Model_specific_endpoint_takes_the_model_from_the_path()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), UpstreamKey);

        using var response = await router.Http.PostAsync("/models/fake/gpt-test/v1/chat/completions",
            new StringContent("""{"messages":[{"role":"user","content":"hi"}],"temperature":0.7}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("chat.completion", answer["object"]!.GetValue<string>());
        Assert.Equal("Hello from the fake upstream", answer["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var sent = fake.Single().Json;
        Assert.Equal("gpt-4o-mini-2024-07-18", sent["model"]!.GetValue<string>());
        Assert.Equal(0.7, sent["temperature"]!.GetValue<double>(), 3);
    }

    [Fact]
    public async Task Model_specific_endpoint_works_through_the_openai_sdk()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), UpstreamKey);
        var client = new ChatClient("ignored-by-the-router", new System.ClientModel.ApiKeyCredential("k"),
            new OpenAI.OpenAIClientOptions { Endpoint = new Uri(router.BaseUrl, "/models/fake/gpt-test/v1") });

        var completion = (await client.CompleteChatAsync([new UserChatMessage("hi")])).Value;

        Assert.Equal("Hello from the fake upstream", completion.Content[0].Text);
        Assert.Equal("gpt-4o-mini-2024-07-18", fake.Single().Json["model"]!.GetValue<string>());
    }

    internal static string ContentText(JsonNode message) => message["content"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
        _ => "",
    };

    /// <summary>Posts a raw body and returns the data of each server-sent event.</summary>
    internal static async Task<List<string>> ReadSseAsync(RouterHarness router, string body)
    {
        using var response = await router.Http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => Assert.Single(e.Split('\n'), l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])
            .ToList();
    }
}
