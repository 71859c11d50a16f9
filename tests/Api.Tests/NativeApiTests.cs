using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests;

/// <summary>The seeds' native endpoints: /models, /models/{provider}/{model}/invoke, /health, /v1/models.</summary>
public sealed class NativeApiTests
{
    [Fact]
    public async Task Invoke_with_a_prompt_returns_text_usage_and_the_raw_response()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        using var response = await router.Http.PostAsync("/models/fake/gpt-test/invoke",
            new StringContent("""{"prompt":"你好","parameters":{"max_tokens":100,"temperature":0.2}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("fake/gpt-test", answer["model"]!.GetValue<string>());
        Assert.Equal("Hello from the fake upstream", answer["output_text"]!.GetValue<string>());
        Assert.Equal("stop", answer["finish_reason"]!.GetValue<string>());
        Assert.Equal(16, answer["usage"]!["total_tokens"]!.GetValue<int>());
        Assert.Equal("chat.completion", answer["raw"]!["object"]!.GetValue<string>());

        var sent = fake.Single().Json;
        Assert.Equal("gpt-4o-mini-2024-07-18", sent["model"]!.GetValue<string>());
        Assert.Equal(100, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.2, sent["temperature"]!.GetValue<double>(), 3);
        var message = Assert.Single(sent["messages"]!.AsArray())!;
        Assert.Equal(("user", "你好"), (message["role"]!.GetValue<string>(), message["content"]!.GetValue<string>()));
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal("native", logged.ClientFormat);
    }

    [Fact]
    public async Task Invoke_with_messages_sends_them_in_order()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        using var response = await router.Http.PostAsync("/models/fake/gpt-test/invoke", new StringContent(
            """{"messages":[{"role":"system","content":"你是一个有用的助手"},{"role":"user","content":"写一个快速排序"}],"parameters":{"temperature":0.7}}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = fake.Single().Json["messages"]!.AsArray();
        Assert.Equal(["system", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Invoke_without_prompt_or_messages_is_400()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        var (status, error) = await ErrorTests.PostAsync(router, """{"parameters":{}}""", "/models/fake/gpt-test/invoke");

        Assert.Equal(400, status);
        Assert.Equal("prompt", error["param"]!.GetValue<string>());
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Openai_models_list_shows_ids_display_names_tags_and_capabilities()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: """
            [[models]]
            name = "hidden"
            provider = "fake"
            is_active = false
            """));

        var list = JsonNode.Parse(await router.Http.GetStringAsync("/v1/models"))!;

        Assert.Equal("list", list["object"]!.GetValue<string>());
        var model = Assert.Single(list["data"]!.AsArray())!;
        Assert.Equal("fake/gpt-test", model["id"]!.GetValue<string>());
        Assert.Equal("model", model["object"]!.GetValue<string>());
        Assert.Equal("fake", model["owned_by"]!.GetValue<string>());
        Assert.Equal("GPT Test", model["display_name"]!.GetValue<string>());
        Assert.Equal(["chat", "fast"], model["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("128k", model["capabilities"]!["context_window"]!.GetValue<string>());
        Assert.True(model["capabilities"]!["supports_tools"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Openai_sdk_lists_the_models()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));
        var client = new OpenAI.Models.OpenAIModelClient(new System.ClientModel.ApiKeyCredential("k"), new OpenAI.OpenAIClientOptions { Endpoint = new Uri(router.BaseUrl, "/v1") });

        var models = (await client.GetModelsAsync()).Value;

        Assert.Equal(["fake/gpt-test"], models.Select(m => m.Id));
        Assert.Equal("fake", models[0].OwnedBy);
    }

    [Fact]
    public async Task Native_models_list_filters_by_tag_and_provider_type()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: """
            [[models]]
            name = "coder"
            provider = "fake"
            tags = ["coding", "fast"]
            """));

        var fast = JsonNode.Parse(await router.Http.GetStringAsync("/models?tag=fast"))!.AsArray();
        var fastCoding = JsonNode.Parse(await router.Http.GetStringAsync("/models?tag=coding&tag=fast"))!.AsArray();
        var openai = JsonNode.Parse(await router.Http.GetStringAsync("/models?provider_type=openai"))!.AsArray();
        var gemini = JsonNode.Parse(await router.Http.GetStringAsync("/models?provider_type=gemini"))!.AsArray();

        // Filtered lists are in tag routing's order of preference: equal priority, no latency seen yet, so the cheaper first.
        Assert.Equal(["fake/coder", "fake/gpt-test"], fast.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(["fake/coder"], fastCoding.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(2, openai.Count);
        Assert.Empty(gemini);
        Assert.Equal("openai", fast[1]!["provider_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_reports_version_node_and_storage()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        using var response = await router.Http.GetAsync("/health");
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.Equal("test-node", health["node"]!.GetValue<string>());
        Assert.Matches(@"^\d+\.\d+\.\d+", health["version"]!.GetValue<string>());
        Assert.Equal("sqlite", health["storage"]!["kind"]!.GetValue<string>());
        Assert.Equal("ok", health["storage"]!["status"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(router.Directory, "llm_router.db")));
    }
}
