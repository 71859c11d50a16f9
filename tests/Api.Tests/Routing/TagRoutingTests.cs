using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>POST /route/invoke (seeds 000/001): the best active model having every tag, and GET /models?tag=… in the same order.</summary>
public sealed class TagRoutingTests
{
    private static string Tagged(string name, string tags, int priority = 0, double price = 0, string provider = "fake") => $"""

        [[models]]
        name = "{name}"
        provider = "{provider}"
        tags = [{tags}]
        priority = {priority}
        [models.config]
        cost_per_1k_tokens = {price.ToString(System.Globalization.CultureInfo.InvariantCulture)}
        cost_per_1k_completion_tokens = {price.ToString(System.Globalization.CultureInfo.InvariantCulture)}

        """;

    /// <summary>A route request; <paramref name="tags"/> and <paramref name="types"/> are JSON array items, e.g. <c>"coding", "analysis"</c>.</summary>
    private static string Route(string tags, string? types = null, string prompt = "分析这段代码的性能问题")
    {
        var query = new JsonObject { ["tags"] = JsonNode.Parse($"[{tags}]") };
        if (types is not null)
        {
            query["provider_types"] = JsonNode.Parse($"[{types}]");
        }
        return new JsonObject
        {
            ["query"] = query,
            ["request"] = new JsonObject { ["prompt"] = prompt, ["parameters"] = new JsonObject { ["temperature"] = 0.5 } },
        }.ToJsonString();
    }

    private static async Task<string[]> ListedAsync(RouterHarness router, string query) =>
        (await RoutingKit.LocalAsync(router, HttpMethod.Get, "/models?" + query)).Body!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Priority_decides_first_and_the_model_list_agrees()
    {
        var (fake, router) = await RoutingKit.StartAsync([],
            Tagged("cheap", "\"coding\", \"analysis\"", price: 0.1) + Tagged("premium", "\"coding\", \"analysis\", \"vision\"", priority: 5, price: 10) + Tagged("chatty", "\"chat\""));
        await using var _ = fake;
        await using var __ = router;

        var (status, body, _) = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/route/invoke", Route("\"coding\", \"analysis\""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("fake/premium", "fake", "from premium"), (body!["model"]!.GetValue<string>(), body["provider"]!.GetValue<string>(), body["output_text"]!.GetValue<string>()));
        Assert.Equal(["fake/premium", "fake/cheap"], body["route"]!["candidates"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(1, body["route"]!["attempts"]!.GetValue<int>());
        Assert.Equal(["coding", "analysis"], body["route"]!["tags"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(11, body["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.Equal("chat.completion", body["raw"]!["object"]!.GetValue<string>());
        var sent = fake.Single().Json;
        Assert.Equal("premium", sent["model"]!.GetValue<string>());
        Assert.Equal(0.5, sent["temperature"]!.GetValue<double>());
        Assert.Equal("分析这段代码的性能问题", sent["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(["fake/premium", "fake/cheap"], await ListedAsync(router, "tag=coding&tag=analysis"));
        Assert.Equal(["fake/premium"], await ListedAsync(router, "tag=vision"));
        var row = Assert.Single(await router.InvocationsAsync());
        Assert.Equal(("premium", "native"), (row.Model, row.ClientFormat));
    }

    [Fact]
    public async Task At_equal_priority_the_cheaper_goes_first_until_observed_latency_says_otherwise()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Tagged("cheap", "\"coding\"", price: 0.1) + Tagged("pricey", "\"coding\"", price: 3), new()
        {
            ["cheap"] = async (http, _) =>
            {
                await Task.Delay(800);
                await FakeOpenAiUpstream.WriteCompletionAsync(http, "cheap", "from cheap");
            },
        });
        await using var _ = fake;
        await using var __ = router;

        var served = new List<string>();
        var listedFirst = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            listedFirst.Add((await ListedAsync(router, "tag=coding"))[0]);
            var (_, body, _) = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/route/invoke", Route("\"coding\""));
            served.Add(body!["model"]!.GetValue<string>());
        }

        // cheap first (neither observed), then pricey (never observed counts as 0 ms), then pricey (far faster).
        Assert.Equal(["fake/cheap", "fake/pricey", "fake/pricey"], served);
        Assert.Equal(served, listedFirst);
    }

    [Fact]
    public async Task Provider_types_narrow_the_choice()
    {
        var (fake, router) = await RoutingKit.StartAsync([], $$"""
            [[providers]]
            name = "ds"
            type = "deepseek"
            api_key_env = "FAKE_UPSTREAM_KEY"
            base_url = "{upstream}"
            """ + Tagged("best", "\"coding\"", priority: 9) + Tagged("coder", "\"coding\"", provider: "ds"));
        await using var _ = fake;
        await using var __ = router;

        var (status, body, _) = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/route/invoke", Route("\"coding\"", "\"deepseek\""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ds/coder", body!["model"]!.GetValue<string>());
        Assert.Equal(["ds/coder"], await ListedAsync(router, "tag=coding&provider_type=deepseek"));
    }

    [Fact]
    public async Task The_next_best_model_serves_when_the_best_fails()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Tagged("best", "\"t\"", priority: 2) + Tagged("second", "\"t\"", priority: 1), new()
        {
            ["best"] = (http, _) => FakeOpenAiUpstream.WriteErrorAsync(http, 503, "server_error", "down"),
        });
        await using var _ = fake;
        await using var __ = router;

        var (_, body, _) = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/route/invoke", Route("\"t\""));

        Assert.Equal("fake/second", body!["model"]!.GetValue<string>());
        Assert.Equal(2, body["route"]!["attempts"]!.GetValue<int>());
        Assert.Equal(["best", "second"], RoutingKit.Called(fake));
    }

    [Fact]
    public async Task A_key_only_reaches_the_tagged_models_it_may_use()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Tagged("best", "\"t\"", priority: 2) + Tagged("allowed", "\"t\"") + """

            [[api_keys]]
            name = "narrow"
            key = "sk-routing-narrow-9911"
            allowed_models = ["fake/allowed"]
            """);
        await using var _ = fake;
        await using var __ = router;

        var (_, body, _) = await RoutingKit.AsKeyAsync(router, "sk-routing-narrow-9911", HttpMethod.Post, "/route/invoke", Route("\"t\""));

        Assert.Equal("fake/allowed", body!["model"]!.GetValue<string>());
        Assert.Equal(["fake/allowed"], body["route"]!["candidates"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task Unknown_tags_and_malformed_queries_are_refused()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Tagged("m", "\"t\""));
        await using var _ = fake;
        await using var __ = router;

        var none = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/route/invoke", Route("\"t\", \"missing\""));
        var noQuery = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/route/invoke", """{"request": {"prompt": "x"}}""");
        var badTags = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/route/invoke", """{"query": {"tags": "t"}, "request": {"prompt": "x"}}""");
        var noRequest = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/route/invoke", """{"query": {"tags": ["t"]}}""");

        var error = AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", none);
        Assert.Contains("[t, missing]", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("query", AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", noQuery)["param"]!.GetValue<string>());
        Assert.Equal("query.tags", AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", badTags)["param"]!.GetValue<string>());
        Assert.Equal("request", AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", noRequest)["param"]!.GetValue<string>());
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task With_routing_off_tags_choose_nothing()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Tagged("m", "\"t\"") + "\n[routing]\nenabled = false\n");
        await using var _ = fake;
        await using var __ = router;

        var response = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/route/invoke", Route("\"t\""));

        AccessKit.AssertError(HttpStatusCode.ServiceUnavailable, "routing_disabled", "routing_disabled", response);
        Assert.Empty(fake.Requests);
    }
}
