using System.Net;
using System.Text;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Api.Limits;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests.Routing;

/// <summary>
/// Fallbacks: on an unreachable upstream, a timeout, 429 or 5xx before anything reached the client, the next
/// candidate is tried, in order; every attempt is a row of the invocation log.
/// </summary>
public sealed class FallbackTests
{
    /// <summary>a falls back to the group "backup" (b), then to c; d stands alone.</summary>
    private const string Chain = """
        [[models]]
        name = "a"
        provider = "fake"
        fallbacks = ["backup", "fake/c"]

        [[models]]
        name = "b"
        provider = "fake"

        [[models]]
        name = "c"
        provider = "fake"

        [[model_groups]]
        name = "backup"
        members = [{ model = "fake/b" }]
        """;

    private static Func<HttpContext, RecordedRequest, Task> Fails(int status, string message) =>
        (http, _) => FakeOpenAiUpstream.WriteErrorAsync(http, status, status == 429 ? "rate_limit_error" : "server_error", message);

    /// <summary>A streamed call over plain HTTP: the status and every byte of the event stream.</summary>
    private static async Task<(HttpStatusCode Status, string Events)> StreamAsync(RouterHarness router, string model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(RoutingKit.ChatBody(model, stream: true), Encoding.UTF8, "application/json"),
        };
        using var response = await router.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<InvocationRecord[]> RowsAsync(RouterHarness router) => (await router.InvocationsAsync()).OrderBy(r => r.Id).ToArray();

    [Fact]
    public async Task A_call_falls_back_in_order_and_logs_every_attempt()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Chain, new()
        {
            ["a"] = Fails(503, "a is overloaded"),
            ["b"] = async (http, request) =>
            {
                http.Response.Headers.RetryAfter = "7";
                await Fails(429, "b is rate limited")(http, request);
            },
        });
        await using var _ = fake;
        await using var __ = router;

        var answer = await RoutingKit.AskAsync(router, "fake/a", "which one?");

        Assert.Equal("from c", answer);
        Assert.Equal(["a", "b", "c"], RoutingKit.Called(fake));
        Assert.All(fake.Requests, r => Assert.Equal("which one?", r.Json["messages"]![0]!["content"]!.GetValue<string>()));
        var rows = await RowsAsync(router);
        Assert.Equal([("a", InvocationStatus.Error, 502), ("b", InvocationStatus.Error, 429), ("c", InvocationStatus.Success, 200)],
            rows.Select(r => (r.Model, r.Status, r.HttpStatus)));
        Assert.Equal("a is overloaded (fell back to fake/b)", rows[0].Error);
        Assert.Equal("b is rate limited (fell back to fake/c)", rows[1].Error);
        Assert.Null(rows[2].Error);
        var logged = await router.Services.GetRequiredService<IInvocationLog>().GetAsync(rows[1].Id);
        Assert.Contains("\"model\":\"b\"", logged!.RequestBody, StringComparison.Ordinal);
        var (_, metrics, _) = await RoutingKit.LocalAsync(router, HttpMethod.Get, "/router/metrics");
        var fallbacks = metrics!["fallbacks"]!.AsArray().Select(f => (f!["from"]!.GetValue<string>(), f["to"]!.GetValue<string>(), f["count"]!.GetValue<long>()));
        Assert.Equal([("fake/a", "fake/b", 1L), ("fake/b", "fake/c", 1L)], fallbacks);
    }

    [Fact]
    public async Task Each_attempt_of_a_call_that_fell_back_links_to_every_attempt_of_it_and_a_single_attempt_links_to_none()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Chain, new()
        {
            ["a"] = Fails(503, "a is overloaded"),
            ["b"] = Fails(500, "b is down"),
        });
        await using var _ = fake;
        await using var __ = router;

        Assert.Equal("from c", await RoutingKit.AskAsync(router, "fake/a"));
        Assert.Equal("from c", await RoutingKit.AskAsync(router, "fake/c"));
        Assert.Equal("from c", await RoutingKit.AskAsync(router, "fake/a"));

        var rows = await RowsAsync(router);
        Assert.Equal(["a", "b", "c", "c", "a", "b", "c"], rows.Select(r => r.Model));
        foreach (var call in new[] { rows[..3], rows[4..] })
        {
            var expected = call.Select(r => (r.Id, "fake", r.Model, r == call[^1] ? "success" : "error", r.HttpStatus)).ToArray();
            foreach (var attempt in call)
            {
                var (_, detail, _) = await RoutingKit.LocalAsync(router, HttpMethod.Get, $"/monitor/invocations/{attempt.Id}");
                var links = detail!["call_attempts"]!.AsArray().Select(a => (a!["id"]!.GetValue<long>(), a["provider"]!.GetValue<string>(),
                    a["model"]!.GetValue<string>(), a["status"]!.GetValue<string>(), a["http_status"]!.GetValue<int>()));
                Assert.Equal(expected, links);
            }
        }
        var (___, single, ____) = await RoutingKit.LocalAsync(router, HttpMethod.Get, $"/monitor/invocations/{rows[3].Id}");
        Assert.Null(single!["call_attempts"]);
    }

    [Fact]
    public async Task A_candidate_exhausts_its_providers_retries_first_and_an_open_circuit_is_skipped()
    {
        var (fake, router) = await RoutingKit.StartAsync(["c"], """
            [[providers]]
            name = "flaky"
            type = "openai"
            api_key_env = "FAKE_UPSTREAM_KEY"
            base_url = "{upstream}"
            settings = { max_retries = 2, retry_delay = 0.01, breaker_minimum_calls = 3, breaker_failure_ratio = 0.5, breaker_break_seconds = 600 }

            [[models]]
            name = "a"
            provider = "flaky"
            fallbacks = ["fake/c"]
            """,
            new() { ["a"] = Fails(503, "flaky is down") });
        await using var _ = fake;
        await using var __ = router;

        var first = await RoutingKit.AskAsync(router, "flaky/a");
        var calledFirst = RoutingKit.Called(fake);
        // Once the breaker has seen enough failures, flaky/a is refused at once and c serves without a call to a.
        var skipped = false;
        for (var i = 0; i < 5 && !skipped; i++)
        {
            var before = fake.Requests.Count;
            Assert.Equal("from c", await RoutingKit.AskAsync(router, "flaky/a"));
            skipped = RoutingKit.Called(fake).Skip(before).SequenceEqual(["c"]);
        }

        Assert.Equal("from c", first);
        Assert.Equal(["a", "a", "a", "c"], calledFirst);
        Assert.True(skipped, "the open circuit was not skipped: " + string.Join(",", RoutingKit.Called(fake)));
        var rows = await RowsAsync(router);
        Assert.Equal((3, "flaky is down (fell back to fake/c)"), (rows[0].Attempts, rows[0].Error));
        var refused = rows[^2];
        // Refused by the open circuit: no upstream call was made for it.
        Assert.Equal(("a", 503, 0), (refused.Model, refused.HttpStatus, refused.Attempts));
        Assert.EndsWith("(fell back to fake/c)", refused.Error, StringComparison.Ordinal);
        Assert.Equal(("c", InvocationStatus.Success), (rows[^1].Model, rows[^1].Status));
    }

    [Fact]
    public async Task A_keys_budget_is_charged_once_for_what_the_serving_model_used()
    {
        const string Secret = "sk-routing-team-31f7a0";
        var (fake, router) = await RoutingKit.StartAsync([], $$"""
            [[models]]
            name = "a"
            provider = "fake"
            fallbacks = ["fake/c"]
            [models.config]
            cost_per_1k_tokens = 0.5
            cost_per_1k_completion_tokens = 1.5

            [[models]]
            name = "c"
            provider = "fake"
            [models.config]
            cost_per_1k_tokens = 1.0
            cost_per_1k_completion_tokens = 2.0

            [[api_keys]]
            name = "team"
            key = "{{Secret}}"
            [api_keys.budget]
            limit_usd = 10.0
            period = "day"
            """,
            new() { ["a"] = Fails(503, "a down") });
        await using var _ = fake;
        await using var __ = router;

        var (status, _, _) = await RoutingKit.AsKeyAsync(router, Secret, HttpMethod.Post, "/v1/chat/completions", RoutingKit.ChatBody("fake/a"));
        await router.Services.GetRequiredService<PendingSettlements>().FlushAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        var rows = await RowsAsync(router);
        var keyId = rows.Select(r => r.ApiKeyId).Distinct().Single()!;
        var budget = await router.Services.GetRequiredService<IGrainFactory>().GetGrain<IApiKeyGrain>(keyId).GetBudgetAsync(BudgetPeriod.Day);
        // c answered 11 prompt and 2 completion tokens: 0.011 + 0.004 USD; the reservation is settled once, by c's row.
        Assert.Equal((0.015m, 0m), (budget.SpentUsd, budget.ReservedUsd));
        Assert.Equal([0m, 0.015m], rows.Select(r => r.Cost));
    }

    [Fact]
    public async Task A_stream_falls_back_while_nothing_was_sent_to_the_client()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Chain, new()
        {
            ["a"] = Fails(500, "a broke"),
            // b accepts the stream, then its first event is an error: still nothing has reached the client.
            ["b"] = async (http, _) =>
            {
                http.Response.ContentType = "text/event-stream";
                await FakeOpenAiUpstream.WriteEventAsync(http, """{"error":{"message":"b failed to start","type":"server_error","param":null,"code":null}}""");
            },
        });
        await using var _ = fake;
        await using var __ = router;

        var text = new StringBuilder();
        await foreach (var update in RoutingKit.Chat(router, "fake/a").CompleteChatStreamingAsync([new UserChatMessage("stream please")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("from c", text.ToString());
        Assert.Equal(["a", "b", "c"], RoutingKit.Called(fake));
        var rows = await RowsAsync(router);
        Assert.Equal([("a", 502), ("b", 502), ("c", 200)], rows.Select(r => (r.Model, r.HttpStatus)));
        Assert.All(rows, r => Assert.True(r.Stream));
        Assert.Equal("b failed to start (fell back to fake/c)", rows[1].Error);
        Assert.Equal(InvocationStatus.Success, rows[2].Status);
    }

    [Fact]
    public async Task An_unreachable_upstream_and_a_timeout_before_the_first_event_fall_back()
    {
        var (fake, router) = await RoutingKit.StartAsync(["c"], """
            [[providers]]
            name = "dead"
            type = "openai"
            base_url = "http://127.0.0.1:1"

            [[models]]
            name = "a"
            provider = "dead"
            fallbacks = ["fake/slow", "fake/c"]

            [[models]]
            name = "slow"
            provider = "fake"
            """,
            new()
            {
                // Headers go out at once; the first event never comes.
                ["slow"] = async (http, _) =>
                {
                    http.Response.ContentType = "text/event-stream";
                    await http.Response.StartAsync();
                    await RoutingKit.HangAsync(http);
                },
            },
            ("LLM_ROUTER_DEFAULT_TIMEOUT", "1"));
        await using var _ = fake;
        await using var __ = router;

        var (status, events) = await StreamAsync(router, "dead/a");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"content\":\" c\"", events, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", events, StringComparison.Ordinal);
        Assert.Equal(["slow", "c"], RoutingKit.Called(fake));
        var rows = await RowsAsync(router);
        Assert.Equal([("dead", "a", 502), ("fake", "slow", 504), ("fake", "c", 200)], rows.Select(r => (r.Provider, r.Model, r.HttpStatus)));
        Assert.EndsWith("(fell back to fake/slow)", rows[0].Error, StringComparison.Ordinal);
        Assert.EndsWith("(fell back to fake/c)", rows[1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_a_byte_reached_the_client_there_is_no_fallback()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Chain, new()
        {
            ["a"] = (http, _) => FakeOpenAiUpstream.StreamAsync(http, "a", ["partial", " never"], includeUsage: true,
                between: i => i == 0 ? RoutingKit.HangAsync(http) : Task.CompletedTask),
        }, ("LLM_ROUTER_DEFAULT_TIMEOUT", "1"));
        await using var _ = fake;
        await using var __ = router;

        var (status, events) = await StreamAsync(router, "fake/a");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"content\":\"partial\"", events, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"upstream_timeout\"", events, StringComparison.Ordinal);
        Assert.Equal(["a"], RoutingKit.Called(fake));
        var row = Assert.Single(await RowsAsync(router));
        Assert.Equal(InvocationStatus.Error, row.Status);
        Assert.DoesNotContain("fell back", row.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_error_is_final()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Chain, new()
        {
            ["a"] = (http, _) => FakeOpenAiUpstream.WriteErrorAsync(http, 400, "invalid_request_error", "a does not like this", "bad_thing"),
        });
        await using var _ = fake;
        await using var __ = router;

        var response = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/v1/chat/completions", RoutingKit.ChatBody("fake/a"));

        var error = AccessKit.AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "bad_thing", response);
        Assert.Equal("a does not like this", error["message"]!.GetValue<string>());
        Assert.Equal(["a"], RoutingKit.Called(fake));
    }

    [Fact]
    public async Task At_most_max_attempts_candidates_are_tried_and_the_last_failure_is_answered()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Chain + "\n[routing]\nmax_attempts = 2\n", new()
        {
            ["a"] = Fails(503, "a down"),
            ["b"] = Fails(502, "b down"),
        });
        await using var _ = fake;
        await using var __ = router;

        var response = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/v1/chat/completions", RoutingKit.ChatBody("fake/a"));

        var error = AccessKit.AssertError(HttpStatusCode.BadGateway, "upstream_error", "upstream_http_502", response);
        Assert.Contains("b down", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["a", "b"], RoutingKit.Called(fake));
        Assert.Equal(2, (await RowsAsync(router)).Length);
    }

    [Fact]
    public async Task Native_invoke_falls_back_and_names_the_model_that_served()
    {
        var (fake, router) = await RoutingKit.StartAsync([], Chain, new() { ["a"] = Fails(500, "a down") });
        await using var _ = fake;
        await using var __ = router;

        var (status, body, _) = await RoutingKit.LocalAsync(router, HttpMethod.Post, "/models/fake/a/invoke", """{"prompt": "hello"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("fake/b", body!["model"]!.GetValue<string>());
        Assert.Equal("from b", body["output_text"]!.GetValue<string>());
        Assert.Equal(["a", "b"], RoutingKit.Called(fake));
    }

    [Fact]
    public async Task A_group_tries_its_other_members_then_its_own_fallbacks()
    {
        var (fake, router) = await RoutingKit.StartAsync(["a", "b", "c"], """
            [[model_groups]]
            name = "pool"
            members = [{ model = "fake/a" }, { model = "fake/b" }]
            fallbacks = ["fake/c"]
            """,
            new() { ["a"] = Fails(503, "a down"), ["b"] = Fails(500, "b down") });
        await using var _ = fake;
        await using var __ = router;

        var answer = await RoutingKit.AskAsync(router, "pool");

        Assert.Equal("from c", answer);
        Assert.Equal(["a", "b", "c"], RoutingKit.Called(fake));
        Assert.All(await RowsAsync(router), r => Assert.Equal("pool", r.Group));
    }
}
