using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>Model groups called by name through the official OpenAI SDK: each strategy's distribution over real HTTP.</summary>
public sealed class ModelGroupTests
{
    private static string Group(string strategy, string members) => $"""
        [[model_groups]]
        name = "pool"
        strategy = "{strategy}"
        members = [{members}]
        """;

    [Fact]
    public async Task Round_robin_spreads_calls_3_to_1_in_nginx_order()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Group("roundrobin", """{ model = "fake/a", weight = 3 }, { model = "fake/b", weight = 1 }"""));
        await using var _ = fake;
        await using var __ = router;

        var answers = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await RoutingKit.AskAsync(router, "pool"));
        }

        Assert.Equal(["a", "a", "b", "a", "a", "a", "b", "a"], RoutingKit.Called(fake));
        Assert.Equal("from a", answers[0]);
        Assert.Equal("from b", answers[2]);
        var rows = await router.InvocationsAsync();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, row => Assert.Equal("pool", row.Group));
        Assert.All(rows, row => Assert.Null(row.Rule));
    }

    [Fact]
    public async Task Weight_defaults_to_100_and_a_weight_0_member_only_stands_by()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b", "c"], Group("roundrobin", """{ model = "fake/a" }, { model = "fake/b", weight = 100 }, { model = "fake/c", weight = 0 }"""));
        await using var _ = fake;
        await using var __ = router;

        for (var i = 0; i < 4; i++)
        {
            await RoutingKit.AskAsync(router, "pool");
        }

        Assert.Equal(["a", "b", "a", "b"], RoutingKit.Called(fake));
    }

    [Fact]
    public async Task Random_follows_the_weights()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Group("random", """{ model = "fake/a", weight = 3 }, { model = "fake/b", weight = 1 }"""));
        await using var _ = fake;
        await using var __ = router;

        for (var i = 0; i < 200; i++)
        {
            await RoutingKit.AskAsync(router, "pool");
        }

        // 150 expected; the bound is about five standard deviations (the node draws from Random.Shared).
        Assert.InRange(RoutingKit.Called(fake).Count(m => m == "a"), 120, 180);
        Assert.Equal(200, fake.Requests.Count);
    }

    [Fact]
    public async Task Least_latency_tries_each_member_then_keeps_to_the_fastest()
    {
        var (fake, router) = await RoutingKit.StartAsync(["slow", "quick"], Group("least_latency", """{ model = "fake/slow" }, { model = "fake/quick" }"""),
            new()
            {
                ["slow"] = async (http, _) =>
                {
                    await Task.Delay(800);
                    await FakeOpenAiUpstream.WriteCompletionAsync(http, "slow", "from slow");
                },
            });
        await using var _ = fake;
        await using var __ = router;

        for (var i = 0; i < 6; i++)
        {
            await RoutingKit.AskAsync(router, "pool");
        }

        // Neither was observed: they take turns (slow first); then quick's average stays far below slow's.
        Assert.Equal(["slow", "quick", "quick", "quick", "quick", "quick"], RoutingKit.Called(fake));
    }

    [Fact]
    public async Task Least_busy_avoids_a_member_with_a_stream_in_flight()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Group("least_busy", """{ model = "fake/a" }, { model = "fake/b" }"""),
            new()
            {
                ["a"] = (http, request) => request.Json["stream"]?.GetValue<bool>() == true
                    ? FakeOpenAiUpstream.StreamAsync(http, "a", ["held", " open"], includeUsage: true, between: i => i == 0 ? release.Task : Task.CompletedTask)
                    : FakeOpenAiUpstream.WriteCompletionAsync(http, "a", "from a"),
            });
        await using var _ = fake;
        await using var __ = router;

        // The first call (a tie: a goes first) streams from a and stays open after its first chunk.
        var held = RoutingKit.Chat(router, "pool").CompleteChatStreamingAsync([new UserChatMessage("hold")]).GetAsyncEnumerator();
        Assert.True(await held.MoveNextAsync());
        var busy = new[] { await RoutingKit.AskAsync(router, "pool"), await RoutingKit.AskAsync(router, "pool") };
        release.SetResult();
        while (await held.MoveNextAsync())
        {
        }
        await held.DisposeAsync();
        await RoutingKit.WaitIdleAsync(router, "fake/a");
        var idle = new[] { await RoutingKit.AskAsync(router, "pool"), await RoutingKit.AskAsync(router, "pool") };

        Assert.Equal(["from b", "from b"], busy);
        Assert.Equal(["from a", "from b"], idle.Order());
        Assert.Equal(["a", "b", "b"], RoutingKit.Called(fake)[..3]);
        Assert.Equal(5, fake.Requests.Count);
    }

    [Fact]
    public async Task A_group_works_on_the_native_paths_and_binds_to_a_session_as_the_group()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Group("roundrobin", """{ model = "fake/a" }, { model = "fake/b" }"""));
        await using var _ = fake;
        await using var __ = router;
        var token = await AccessKit.LoginAsync(router, RoutingKit.AdminKey);

        var named = await AccessKit.SendAsync(router, HttpMethod.Post, "/v1/chat/completions", RoutingKit.ChatBody("pool"), credential: token);
        var bound = await AccessKit.SendAsync(router, HttpMethod.Post, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"again"}]}""", credential: token);

        Assert.Equal(HttpStatusCode.OK, named.Status);
        Assert.Equal(HttpStatusCode.OK, bound.Status);
        // The session is bound to "pool", not to the member that served: the next call without a model goes on rotating.
        Assert.Equal(["a", "b"], RoutingKit.Called(fake));
        Assert.Equal("from b", bound.Body!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_limited_to_some_members_only_reaches_those()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b"], Group("roundrobin", """{ model = "fake/a" }, { model = "fake/b" }""") + """

            [[api_keys]]
            name = "only-b"
            key = "sk-routing-only-b-5521"
            allowed_models = ["fake/b"]

            [[api_keys]]
            name = "only-c"
            key = "sk-routing-only-c-7730"
            allowed_models = ["fake/c"]
            """);
        await using var _ = fake;
        await using var __ = router;

        for (var i = 0; i < 3; i++)
        {
            var (status, _, _) = await AccessKit.SendAsync(router, HttpMethod.Post, "/v1/chat/completions", RoutingKit.ChatBody("pool"), credential: "sk-routing-only-b-5521");
            Assert.Equal(HttpStatusCode.OK, status);
        }
        var denied = await AccessKit.SendAsync(router, HttpMethod.Post, "/v1/chat/completions", RoutingKit.ChatBody("pool"), credential: "sk-routing-only-c-7730");

        Assert.Equal(["b", "b", "b"], RoutingKit.Called(fake));
        AccessKit.AssertError(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", denied);
    }

    [Fact]
    public async Task A_group_without_an_active_member_is_not_found()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a"], """
            [[models]]
            name = "off"
            provider = "fake"
            is_active = false

            [[model_groups]]
            name = "dead"
            members = [{ model = "fake/off" }]
            """);
        await using var _ = fake;
        await using var __ = router;

        var response = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/v1/chat/completions", RoutingKit.ChatBody("dead"));

        var error = AccessKit.AssertError(HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", response);
        Assert.Contains("'dead' has no active member", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(fake.Requests);
    }
}
