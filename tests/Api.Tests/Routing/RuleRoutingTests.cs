using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>Rule routing (seed 002): conditions on the last user message, actions, order, every chat path, and rules over REST.</summary>
public sealed class RuleRoutingTests
{
    private const string Code = "Please fix:\n```python\nprint(1\n```";
    private const string Hard = "Why? How? When? Where?";

    /// <summary>Models a, b, coder on "fake" and x on "other"; group big = b; three rules.</summary>
    private static string Rules(Uri upstream) => $$"""
        [[providers]]
        name = "other"
        type = "deepseek"
        api_key_env = "FAKE_UPSTREAM_KEY"
        base_url = "{{upstream.ToString().TrimEnd('/')}}"

        [[models]]
        name = "x"
        provider = "other"

        [[model_groups]]
        name = "big"
        members = [{ model = "fake/b" }]

        [[routing_rules]]
        name = "code"
        priority = 10
        conditions = { regex = "```" }
        action = { use_model = "fake/coder" }

        [[routing_rules]]
        name = "hard"
        conditions = { min_complexity = 20 }
        action = { use_group = "big" }

        [[routing_rules]]
        name = "ask-deepseek"
        conditions = { regex = "(?i)deepseek", models = ["auto"] }
        action = { use_provider = "other" }
        """;

    private static async Task<(FakeOpenAiUpstream Fake, RouterHarness Router)> StartAsync(string extra = "")
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = RoutingKit.ByModel([]);
        try
        {
            return (fake, await RouterHarness.StartAsync(RoutingKit.Toml(fake.BaseUrl, ["a", "b", "coder"], Rules(fake.BaseUrl) + extra), RoutingKit.Environment()));
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Rules_route_by_the_last_user_message_on_every_chat_path()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var plain = await RoutingKit.AskAsync(router, "fake/a", "hello");
        var code = await RoutingKit.AskAsync(router, "fake/a", Code);
        var hard = await RoutingKit.AskAsync(router, "fake/a", Hard);
        var both = await RoutingKit.AskAsync(router, "fake/a", Code + "\n" + Hard);
        var modelPath = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/models/fake/a/v1/chat/completions",
            new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = Code }) }.ToJsonString());
        var invoke = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/models/fake/a/invoke", new JsonObject { ["prompt"] = Code }.ToJsonString());
        var streamed = new List<string>();
        await foreach (var update in RoutingKit.Chat(router, "fake/a").CompleteChatStreamingAsync([new UserChatMessage(Code)]))
        {
            streamed.AddRange(update.ContentUpdate.Select(p => p.Text));
        }

        Assert.Equal(["from a", "from coder", "from b", "from coder"], [plain, code, hard, both]);
        Assert.Equal("from coder", modelPath.Body!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("fake/coder", invoke.Body!["model"]!.GetValue<string>());
        Assert.Equal("from coder", string.Concat(streamed));
        Assert.Equal(["a", "coder", "b", "coder", "coder", "coder", "coder"], RoutingKit.Called(fake));
        var rows = (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();
        Assert.Equal([null, "code", "hard", "code", "code", "code", "code"], rows.Select(r => r.Rule));
        Assert.Equal([null, null, "big", null, null, null, null], rows.Select(r => r.Group));
    }

    [Fact]
    public async Task Only_the_last_user_message_counts()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        ChatCompletion answer = await RoutingKit.Chat(router, "fake/a").CompleteChatAsync(
            [new UserChatMessage(Code), new AssistantChatMessage("Fixed."), new UserChatMessage("thanks")]);

        Assert.Equal("from a", answer.Content[0].Text);
    }

    [Fact]
    public async Task A_rule_may_serve_a_name_no_model_has_and_only_that_name()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var routed = await RoutingKit.AskAsync(router, "auto", "ask DeepSeek about it");
        var otherName = await RoutingKit.AskAsync(router, "fake/a", "ask DeepSeek about it");
        var unmatched = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/v1/chat/completions", RoutingKit.ChatBody("auto", "hello"));

        Assert.Equal("from x", routed);
        Assert.Equal("from a", otherName);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", unmatched);
        Assert.Equal("other", (await router.InvocationsAsync()).Single(r => r.Model == "x").Provider);
    }

    [Fact]
    public async Task Rules_are_managed_over_rest_by_admins()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        const string Greet = """{"name": "greet", "priority": 20, "conditions": {"regex": "^hello"}, "action": {"use_model": "fake/b"}}""";

        var listed = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Get, "/router/rules");
        var created = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Post, "/router/rules", Greet);
        var greeted = await RoutingKit.AskAsync(router, "fake/a", "hello there");
        var relisted = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Get, "/router/rules");
        var replaced = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Post, "/router/rules", Greet.Replace("fake/b", "fake/coder", StringComparison.Ordinal));
        var regreeted = await RoutingKit.AskAsync(router, "fake/a", "hello again");
        var deleted = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Delete, "/router/rules/greet");
        var plain = await RoutingKit.AskAsync(router, "fake/a", "hello once more");
        var deletedAgain = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Delete, "/router/rules/greet");

        Assert.Equal(["code", "hard", "ask-deepseek"], listed.Body!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.All(listed.Body.AsArray(), r => Assert.Equal("config", r!["source"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("store", created.Body!["source"]!.GetValue<string>());
        Assert.Equal("from b", greeted);
        Assert.Equal(["greet", "code", "hard", "ask-deepseek"], relisted.Body!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.Equal("fake/coder", replaced.Body!["action"]!["use_model"]!.GetValue<string>());
        Assert.Equal("from coder", regreeted);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("from a", plain);
        AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "rule_not_found", deletedAgain);
        Assert.Equal(["greet", "greet"], (await router.InvocationsAsync()).Where(r => r.Rule is not null).Select(r => r.Rule));
    }

    [Fact]
    public async Task Rest_refuses_bad_rules_file_rule_names_and_non_admins()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        async Task<(HttpStatusCode, JsonNode?, HttpResponseMessage)> Post(string body, string key = RoutingKit.AdminKey) =>
            await RoutingKit.AsKeyAsync(router, key, HttpMethod.Post, "/router/rules", body);

        var fileName = await Post("""{"name": "code", "action": {"use_model": "fake/b"}}""");
        var noGroup = await Post("""{"name": "r", "action": {"use_group": "nope"}}""");
        var noModel = await Post("""{"name": "r", "action": {"use_model": "fake/nope"}}""");
        var badRegex = await Post("""{"name": "r", "conditions": {"regex": "[unclosed"}, "action": {"use_model": "fake/b"}}""");
        var typo = await Post("""{"name": "r", "action": {"use_model": "fake/b"}, "conditon": {}}""");
        var user = await Post("""{"name": "r", "action": {"use_model": "fake/b"}}""", RoutingKit.UserKey);
        var userList = await RoutingKit.AsKeyAsync(router, RoutingKit.UserKey, HttpMethod.Get, "/router/rules");
        var deleteFile = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Delete, "/router/rules/code");

        AccessKit.AssertError(HttpStatusCode.Conflict, "invalid_request_error", "defined_in_config", fileName);
        Assert.Equal("action.use_group", AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", noGroup)["param"]!.GetValue<string>());
        Assert.Equal("action.use_model", AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", noModel)["param"]!.GetValue<string>());
        Assert.Equal("conditions.regex", AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", badRegex)["param"]!.GetValue<string>());
        Assert.Equal("conditon", AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", typo)["param"]!.GetValue<string>());
        AccessKit.AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", user);
        AccessKit.AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", userList);
        AccessKit.AssertError(HttpStatusCode.Conflict, "invalid_request_error", "defined_in_config", deleteFile);
        Assert.Equal(3, (await RoutingKit.LocalAsync(router, HttpMethod.Get, "/router/rules")).Body!.AsArray().Count);
    }

    [Fact]
    public async Task Router_metrics_count_decisions_rule_hits_and_group_picks()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        await RoutingKit.AskAsync(router, "fake/a", "hello");
        await RoutingKit.AskAsync(router, "fake/a", Code);
        await RoutingKit.AskAsync(router, "fake/a", Code);
        await RoutingKit.AskAsync(router, "big", "hello");
        await RoutingKit.AskAsync(router, "fake/a", Hard);
        var (status, metrics, _) = await RoutingKit.AsKeyAsync(router, RoutingKit.AdminKey, HttpMethod.Get, "/router/metrics");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("test-node", metrics!["node"]!.GetValue<string>());
        Assert.True(metrics["enabled"]!.GetValue<bool>());
        var decisions = metrics["decisions"]!.AsObject();
        Assert.Equal((1, 3, 1), (decisions["direct"]!.GetValue<long>(), decisions["rule"]!.GetValue<long>(), decisions["group"]!.GetValue<long>()));
        var hits = metrics["rules"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!["hits"]!.GetValue<long>());
        Assert.Equal(new Dictionary<string, long> { ["code"] = 2, ["hard"] = 1, ["ask-deepseek"] = 0 }, hits);
        var member = metrics["groups"]![0]!["members"]![0]!;
        Assert.Equal(("fake/b", 100, 2L), (member["model"]!.GetValue<string>(), member["weight"]!.GetValue<int>(), member["picks"]!.GetValue<long>()));
        var coder = metrics["models"]!.AsArray().Single(m => m!["model"]!.GetValue<string>() == "fake/coder")!;
        Assert.Equal(2, coder["samples"]!.GetValue<long>());
        Assert.Equal(0, coder["in_flight"]!.GetValue<int>());
        Assert.True(coder["latency_ewma_ms"]!.GetValue<double>() >= 0);
    }
}
