using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Limits;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Api.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace LlmRouter.Api.Tests;

/// <summary>
/// Streams are billed for what they were, whatever the upstream does with "stream": true: a whole JSON answer
/// becomes a proper stream, an answer that is no stream at all is an upstream error before the first byte, a stream
/// that never reports usage is billed by estimate (and the log says so), and one that stops without finishing is
/// not a success. Budget, log and /cost agree afterwards.
/// </summary>
public sealed class StreamBillingTests
{
    private const string Secret = "sk-test-stream-billing-7e21";

    private const string Budgeted = $"""

        [[api_keys]]
        name = "billed"
        key = "{Secret}"
        [api_keys.budget]
        limit_usd = 5.0
        period = "day"
        """;

    [Fact]
    public async Task A_whole_json_answer_to_a_stream_request_reaches_the_client_as_a_stream_with_its_usage()
    {
        var (fake, router) = await StartAsync((http, request) =>
            FakeOpenAiUpstream.WriteCompletionAsync(http, request.Json["model"]!.GetValue<string>(), "one two three four", promptTokens: 9, finishReason: "length"));
        await using var _ = fake;
        await using var __ = router;

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in router.OpenAiChat("fake/gpt-test", Secret).CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }
        var logged = Assert.Single(await router.InvocationsAsync());

        Assert.Equal("one two three four", text.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.Equal((9, 4), (usage!.InputTokenCount, usage.OutputTokenCount));
        Assert.Equal((InvocationStatus.Success, 9L, 4L, false), (logged.Status, logged.PromptTokens, logged.CompletionTokens, logged.UsageEstimated));
        Assert.True(fake.Single().Json["stream"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("text/html", "<html><body>Bad gateway, try later</body></html>")]
    [InlineData("application/json", """{"status":"ok","detail":"not a completion"}""")]
    [InlineData("text/event-stream", "")]
    public async Task A_stream_answer_that_is_no_answer_is_an_upstream_error_before_the_first_byte(string contentType, string body)
    {
        var (fake, router) = await StartAsync((http, _) =>
        {
            http.Response.ContentType = contentType;
            return http.Response.WriteAsync(body);
        });
        await using var _ = fake;
        await using var __ = router;

        var answer = await PostStreamAsync(router);
        var logged = Assert.Single(await router.InvocationsAsync());

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.StartsWith("application/json", answer.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var error = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("upstream_protocol_error", error["code"]!.GetValue<string>());
        Assert.Equal((InvocationStatus.Error, 502), (logged.Status, logged.HttpStatus));
        Assert.Equal(0m, (await BudgetAsync(router, logged)).SpentUsd);
    }

    [Fact]
    public async Task A_stream_answer_that_is_no_answer_falls_back_to_the_next_model()
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        await using var _ = fake;
        fake.Handler = (http, request) =>
        {
            if (request.Json["model"]!.GetValue<string>() == "gpt-4o-mini-2024-07-18")
            {
                http.Response.ContentType = "text/plain";
                return http.Response.WriteAsync("upstream maintenance");
            }
            return FakeOpenAiUpstream.StreamAsync(http, "backup", ["served", "by", "backup"], includeUsage: true);
        };
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl,
            RouterHarness.DefaultModels.Replace("name = \"gpt-test\"", "name = \"gpt-test\"\nfallbacks = [\"fake/backup\"]", StringComparison.Ordinal) + """

            [[models]]
            name = "backup"
            provider = "fake"
            """, extra: Budgeted));

        var answer = await PostStreamAsync(router);
        var text = await answer.Content.ReadAsStringAsync();
        var logged = await router.InvocationsAsync();

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("backup", text, StringComparison.Ordinal);
        Assert.Equal(["backup:Success", "gpt-test:Error"], logged.Select(r => $"{r.Model}:{r.Status}"));
    }

    [Fact]
    public async Task A_stream_without_usage_is_billed_by_estimate_and_budget_log_and_cost_agree()
    {
        // Five words in five chunks, a finish reason and [DONE], but no usage chunk: include_usage was ignored.
        var (fake, router) = await StartAsync((http, request) =>
            FakeOpenAiUpstream.StreamAsync(http, "m", ["alpha ", "beta ", "gamma ", "delta ", "epsilon"], includeUsage: false));
        await using var _ = fake;
        await using var __ = router;

        var answer = await PostStreamAsync(router);
        var events = await answer.Content.ReadAsStringAsync();
        var logged = Assert.Single(await router.InvocationsAsync());
        var budget = await BudgetAsync(router, logged);
        var cost = await AccessKit.SendAsync(router, HttpMethod.Get, "/cost/summary?days=1", credential: AccessKit.AdminKey);
        // The client asked for usage: it gets the usage it is billed for, not zeros.
        var usage = events.Split('\n')
            .Where(line => line.StartsWith("data: {", StringComparison.Ordinal))
            .Select(line => System.Text.Json.Nodes.JsonNode.Parse(line["data: ".Length..])!["usage"])
            .Single(node => node is System.Text.Json.Nodes.JsonObject)!;

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(InvocationStatus.Success, logged.Status);
        Assert.True(logged.UsageEstimated);
        // The prompt "hi" is one token at four characters a token; the answer five chunks, a token each.
        Assert.Equal((1L, 5L), (logged.PromptTokens, logged.CompletionTokens));
        Assert.Equal((1, 5, 6), (usage["prompt_tokens"]!.GetValue<int>(), usage["completion_tokens"]!.GetValue<int>(), usage["total_tokens"]!.GetValue<int>()));
        Assert.Equal(0.0005m + 0.0075m, logged.Cost);
        Assert.Equal((logged.Cost, 0m), (budget.SpentUsd, budget.ReservedUsd));
        Assert.Equal(logged.Cost, cost.Body!["total_cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_whole_answer_without_usage_is_billed_by_its_texts_length_and_marked_estimated()
    {
        var (fake, router) = await StartAsync((http, _) =>
        {
            http.Response.ContentType = "application/json";
            return http.Response.WriteAsync("""
                {"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"twelve chars"},"finish_reason":"stop"}]}
                """);
        });
        await using var _ = fake;
        await using var __ = router;

        var answer = await AccessKit.PostAsync(router, "/v1/chat/completions", AccessKit.ChatBody(), Secret);
        var logged = Assert.Single(await router.InvocationsAsync());
        var budget = await BudgetAsync(router, logged);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal((1L, 3L, true), (logged.PromptTokens, logged.CompletionTokens, logged.UsageEstimated));
        Assert.Equal((logged.Cost, 0m), (budget.SpentUsd, budget.ReservedUsd));
    }

    [Fact]
    public async Task A_stream_that_stops_without_finishing_is_logged_as_an_error_not_a_success()
    {
        var (fake, router) = await StartAsync(async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("m", new JsonObject { ["role"] = "assistant", ["content"] = "half an " }, null, false));
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("m", new JsonObject { ["content"] = "answer" }, null, false));
        });
        await using var _ = fake;
        await using var __ = router;

        var answer = await PostStreamAsync(router);
        var text = await answer.Content.ReadAsStringAsync();
        var logged = Assert.Single(await router.InvocationsAsync());
        var budget = await BudgetAsync(router, logged);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("half an ", text, StringComparison.Ordinal);
        Assert.Contains("\"error\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.Equal(InvocationStatus.Error, logged.Status);
        Assert.Contains("before the answer was finished", logged.Error, StringComparison.Ordinal);
        Assert.True(logged.UsageEstimated);
        Assert.Equal((logged.Cost, 0m), (budget.SpentUsd, budget.ReservedUsd));
    }

    private static async Task<(FakeOpenAiUpstream, RouterHarness)> StartAsync(Func<HttpContext, RecordedRequest, Task> handler)
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        fake.Handler = handler;
        return (fake, await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, extra: Budgeted) + "\n" + AdminKeyToml, AccessKit.Environment()));
    }

    private const string AdminKeyToml = """
        [[api_keys]]
        name = "admin"
        key_env = "TEST_ADMIN_KEY"
        role = "admin"
        """;

    private static async Task<HttpResponseMessage> PostStreamAsync(RouterHarness router)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"fake/gpt-test","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Secret);
        return await router.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<BudgetStatus> BudgetAsync(RouterHarness router, InvocationRecord logged)
    {
        await router.Services.GetRequiredService<PendingSettlements>().FlushAsync();
        return await router.Services.GetRequiredService<IGrainFactory>().GetGrain<IApiKeyGrain>(logged.ApiKeyId!).GetBudgetAsync(BudgetPeriod.Day);
    }
}
