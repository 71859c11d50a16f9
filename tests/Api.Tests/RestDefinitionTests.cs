using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary>
/// REST speaks router.toml's fields and spelling: prices in the model lists, pipelines and rewrite_body on models and
/// keys, a config key's last use, range-checked limits and unique key names.
/// </summary>
public sealed class RestDefinitionTests
{
    [Fact]
    public async Task Model_lists_spell_prices_as_router_toml_does()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var native = await SendAsync(router, HttpMethod.Get, "/models", credential: UserKey);
        var openAi = await SendAsync(router, HttpMethod.Get, "/v1/models", credential: UserKey);

        var nativePrice = native.Body!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "fake/gpt-test")!["pricing"]!.AsObject();
        var openAiPrice = openAi.Body!["data"]!.AsArray().Single(m => m!["id"]!.GetValue<string>() == "fake/gpt-test")!["pricing"]!.AsObject();
        foreach (var pricing in new[] { nativePrice, openAiPrice })
        {
            Assert.Equal(["cost_per_1k_tokens", "cost_per_1k_completion_tokens"], pricing.Select(p => p.Key));
            Assert.Equal((0.5m, 1.5m), (pricing["cost_per_1k_tokens"]!.GetValue<decimal>(), pricing["cost_per_1k_completion_tokens"]!.GetValue<decimal>()));
        }
    }

    [Fact]
    public async Task A_model_created_over_rest_takes_pipeline_and_rewrite_body()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        fake.Handler = PipelineTests.AnswerWithReasoning;

        var (status, created, _) = await PostAsync(router, "/models", """
            {"name":"thinker","provider":"fake","upstream_model":"deepseek-reasoner","pipeline":"think_tags",
             "rewrite_body":{"enable_thinking":false,"metadata":null}}
            """, AdminKey);
        var call = await PostAsync(router, "/v1/chat/completions",
            """{"model":"fake/thinker","metadata":{"user_id":"u1"},"messages":[{"role":"user","content":"2+2?"}]}""", UserKey);
        var patched = await SendAsync(router, HttpMethod.Patch, "/models/fake/thinker", """{"pipeline":null}""", AdminKey);
        var plain = await PostAsync(router, "/v1/chat/completions", ChatBody("fake/thinker"), UserKey);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("think_tags", created!["pipeline"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"enable_thinking":false,"metadata":null}"""), created["rewrite_body"]));
        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("<think>\nTwo plus two is four.\n</think>\n\n4", call.Body!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var sent = fake.Requests.First().Json;
        Assert.Equal("deepseek-reasoner", sent["model"]!.GetValue<string>());
        Assert.False(sent["enable_thinking"]!.GetValue<bool>());
        Assert.False(sent.ContainsKey("metadata"));
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Null(patched.Body!["pipeline"]);
        Assert.Equal("4", plain.Body!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"name":"m","provider":"fake","pipeline":"sparkles"}""", "pipeline")]
    [InlineData("""{"name":"m","provider":"fake","pipeline":7}""", "pipeline")]
    [InlineData("""{"name":"m","provider":"fake","rewrite_body":"{}"}""", "rewrite_body")]
    [InlineData("""{"name":"m","provider":"fake","rewrite_body":[1]}""", "rewrite_body")]
    public async Task Bad_model_pipelines_are_400_naming_the_field(string body, string param)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await PostAsync(router, "/models", body, AdminKey);

        Assert.Equal(param, AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", refused)["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_created_over_rest_takes_a_pipeline_that_lists_show_and_patch_changes()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        fake.Handler = PipelineTests.AnswerWithReasoning;

        var (status, created, _) = await PostAsync(router, "/api-keys", """{"name":"cursor-user","pipeline":"cursor"}""", AdminKey);
        var id = created!["id"]!.GetValue<string>();
        var secret = created["key"]!.GetValue<string>();
        var tagged = await PostAsync(router, "/v1/chat/completions", ChatBody(), secret);
        var list = await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey);
        var one = await SendAsync(router, HttpMethod.Get, "/api-keys/" + id, credential: AdminKey);
        var patched = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + id, """{"pipeline":null}""", AdminKey);
        var plain = await PostAsync(router, "/v1/chat/completions", ChatBody(), secret);
        var bad = await PostAsync(router, "/api-keys", """{"name":"odd","pipeline":"sparkles"}""", AdminKey);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("cursor", created["pipeline"]!.GetValue<string>());
        Assert.Equal("<think>\nTwo plus two is four.\n</think>\n\n4", tagged.Body!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("cursor", list.Body!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!["pipeline"]!.GetValue<string>());
        Assert.All(list.Body!.AsArray().Where(k => k!["id"]!.GetValue<string>() != id), k => Assert.Null(k!["pipeline"]));
        Assert.Equal("cursor", one.Body!["pipeline"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Null(patched.Body!["pipeline"]);
        Assert.Equal("4", plain.Body!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("pipeline", AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", bad)["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_router_toml_key_shows_the_same_last_use_alone_as_in_the_list()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var call = await PostAsync(router, "/v1/chat/completions", ChatBody(), UserKey);
        var listed = await WaitForLastUseAsync(router, "user");
        var one = await SendAsync(router, HttpMethod.Get, "/api-keys/" + listed["id"]!.GetValue<string>(), credential: AdminKey);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(HttpStatusCode.OK, one.Status);
        Assert.Equal("config", one.Body!["source"]!.GetValue<string>());
        Assert.Equal(listed["last_used_at"]!.GetValue<DateTimeOffset>(), one.Body["last_used_at"]!.GetValue<DateTimeOffset>());
        Assert.Null((await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey)).Body!.AsArray()
            .Single(k => k!["name"]!.GetValue<string>() == "limited")!["last_used_at"]);
    }

    [Theory]
    [InlineData("""{"name":"x","parameter_limits":{"temperature":7}}""", "parameter_limits.temperature")]
    [InlineData("""{"name":"x","parameter_limits":{"temperature":2.01}}""", "parameter_limits.temperature")]
    [InlineData("""{"name":"x","parameter_limits":{"top_p":1.5}}""", "parameter_limits.top_p")]
    [InlineData("""{"name":"x","parameter_limits":{"top_p":-0.1}}""", "parameter_limits.top_p")]
    [InlineData("""{"name":"x","parameter_limits":{"max_tokens":1.5}}""", "parameter_limits.max_tokens")]
    public async Task Out_of_range_parameter_limits_are_400_naming_the_field(string body, string param)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var (_, existing, _) = await PostAsync(router, "/api-keys", """{"name":"existing"}""", AdminKey);
        var limits = JsonNode.Parse(body)!["parameter_limits"]!.ToJsonString();

        var created = await PostAsync(router, "/api-keys", body, AdminKey);
        var patched = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + existing!["id"]!.GetValue<string>(), $$"""{"parameter_limits":{{limits}}}""", AdminKey);

        Assert.Equal(param, AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", created)["param"]!.GetValue<string>());
        Assert.Equal(param, AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", patched)["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_edges_of_the_parameter_ranges_are_accepted()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var (status, created, _) = await PostAsync(router, "/api-keys", """{"name":"edges","parameter_limits":{"temperature":2,"top_p":1,"max_tokens":1}}""", AdminKey);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal((2.0, 1.0, 1), (created!["parameter_limits"]!["temperature"]!.GetValue<double>(),
            created["parameter_limits"]!["top_p"]!.GetValue<double>(), created["parameter_limits"]!["max_tokens"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Key_names_are_unique_across_the_store_and_router_toml()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var first = await PostAsync(router, "/api-keys", """{"name":"team-a"}""", AdminKey);
        var second = await PostAsync(router, "/api-keys", """{"name":"team-a"}""", AdminKey);
        var other = await PostAsync(router, "/api-keys", """{"name":"team-b"}""", AdminKey);
        var otherId = other.Body!["id"]!.GetValue<string>();
        var renameToStored = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + otherId, """{"name":"team-a"}""", AdminKey);
        var renameToConfig = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + otherId, """{"name":"user"}""", AdminKey);
        var sameName = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + otherId, """{"name":"team-b","role":"admin"}""", AdminKey);
        var configName = await PostAsync(router, "/api-keys", """{"name":"limited"}""", AdminKey);
        var list = await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal("name", AssertError(HttpStatusCode.Conflict, "invalid_request_error", "conflict", second)["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, other.Status);
        Assert.Equal("name", AssertError(HttpStatusCode.Conflict, "invalid_request_error", "conflict", renameToStored)["param"]!.GetValue<string>());
        Assert.Equal("name", AssertError(HttpStatusCode.Conflict, "invalid_request_error", "conflict", renameToConfig)["param"]!.GetValue<string>());
        Assert.Equal((HttpStatusCode.OK, "admin"), (sameName.Status, sameName.Body!["role"]!.GetValue<string>()));
        Assert.Equal("name", AssertError(HttpStatusCode.Conflict, "invalid_request_error", "conflict", configName)["param"]!.GetValue<string>());
        var names = list.Body!.AsArray().Select(k => k!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(names, n => n == "team-a");
    }

    private static async Task<JsonNode> WaitForLastUseAsync(RouterHarness router, string name)
    {
        for (var i = 0; i < 100; i++)
        {
            var list = await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey);
            var key = list.Body!.AsArray().Single(k => k!["name"]!.GetValue<string>() == name)!;
            if (key["last_used_at"] is not null)
            {
                return key;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the use of key '{name}' was never recorded");
    }
}
