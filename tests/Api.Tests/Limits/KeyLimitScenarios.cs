using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Grains;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Api.Limits;
using LlmRouter.Tests.Shared;

namespace LlmRouter.Api.Tests.Limits;

/// <summary>
/// Limits bound to an API key: its request window spans every model it calls, its budget admits calls only while
/// settled spending plus what calls in flight reserved fits (however many arrive at once), and the Anthropic front
/// door answers refusals in Anthropic's shape. Run on each store.
/// </summary>
public abstract class KeyLimitScenarios : LimitScenarioBase
{
    private const string Secret = "sk-team-secret-0123456789";
    private const string Chat = """{"model":"MODEL","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""";

    [StoreFact]
    public async Task A_key_window_counts_calls_to_every_model_and_binds_only_that_key()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await StartAsync(fake, "max_requests = 1000\nper_seconds = 60", $"""
            [[models]]
            name = "other"
            provider = "{Provider}"

            [[api_keys]]
            key_env = "TEAM_KEY"
            name = "team-{Provider}"
            [api_keys.rate_limit]
            max_requests = 2
            per_seconds = 3600
            """, new Dictionary<string, string> { ["TEAM_KEY"] = Secret });

        using var first = await PostAsync(router, Chat, Secret);
        using var second = await PostAsync(router, Chat.Replace("MODEL", Provider + "/other", StringComparison.Ordinal), Secret);
        using var third = await PostAsync(router, Chat, Secret);
        using var withoutKey = await PostAsync(router, Chat);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            new[] { first, second, third, withoutKey }.Select(r => r.StatusCode));
        // The tightest window is reported: the key's (2 per hour), not the model's (1000 per minute).
        Assert.Equal(("2", "1"), (Header(first, "x-ratelimit-limit-requests"), Header(first, "x-ratelimit-remaining-requests")));
        Assert.Equal(("2", "0"), (Header(second, "x-ratelimit-limit-requests"), Header(second, "x-ratelimit-remaining-requests")));
        Assert.Equal("1000", Header(withoutKey, "x-ratelimit-limit-requests"));
        Assert.True(Seconds(Header(third, "Retry-After")) > 1700);
        var error = JsonNode.Parse(await third.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("requests", "rate_limit_exceeded"), (error["type"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.Contains("this API key", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, fake.Requests.Count);
    }

    [StoreFact]
    public async Task Concurrent_calls_cannot_spend_beyond_the_budget_and_settlement_frees_what_was_not_spent()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var release = new TaskCompletionSource();
        fake.Handler = async (http, _) =>
        {
            await release.Task;
            await FakeOpenAiUpstream.WriteCompletionAsync(http, "m", "one two three four five");
        };
        // Each call reserves 11 prompt tokens (estimated) at 0.5 USD/1k plus its 10 max_tokens at 1.5 USD/1k: 0.0205 USD.
        // Each spends 11 prompt + 5 completion tokens: 0.013 USD. A budget of 0.05 USD holds two reservations at once.
        await using var router = await StartAsync(fake, "max_requests = 1000\nper_seconds = 60", $"""
            [[api_keys]]
            key_env = "TEAM_KEY"
            name = "team-{Provider}"
            [api_keys.budget]
            limit_usd = 0.05
            period = "day"
            """, new Dictionary<string, string> { ["TEAM_KEY"] = Secret });

        var untilMidnight = (long)Math.Ceiling((DateTimeOffset.UtcNow.Date.AddDays(1) - DateTimeOffset.UtcNow.UtcDateTime).TotalSeconds);
        var refusals = 0;
        // The upstream holds the admitted calls until the refusals are in, so no settlement can free money early.
        var calls = Enumerable.Range(0, 8).Select(async _ =>
        {
            var response = await PostAsync(router, Chat, Secret);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && Interlocked.Increment(ref refusals) == 6)
            {
                release.TrySetResult();
            }
            return response;
        }).ToArray();
        await Task.WhenAny(release.Task, Task.Delay(TimeSpan.FromSeconds(20)));
        release.TrySetResult();
        var answers = await Task.WhenAll(calls);
        Assert.Equal(2, answers.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = answers.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.Equal(6, refused.Length);
        foreach (var response in refused)
        {
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
            Assert.Equal("insufficient_quota", error["type"]!.GetValue<string>());
            // Money comes back when the day (UTC) ends.
            Assert.InRange(Seconds(Header(response, "Retry-After")), 1, untilMidnight);
        }

        await router.Services.GetRequiredService<PendingSettlements>().FlushAsync();
        var keyId = (await InvocationsAsync(router)).Select(r => r.ApiKeyId).Distinct().Single()!;
        var budget = await router.Services.GetRequiredService<IGrainFactory>().GetGrain<IApiKeyGrain>(keyId).GetBudgetAsync(BudgetPeriod.Day);
        Assert.Equal((0.026m, 0m), (budget.SpentUsd, budget.ReservedUsd));

        using var afterSettlement = await PostAsync(router, Chat, Secret);
        Assert.Equal(HttpStatusCode.OK, afterSettlement.StatusCode);
        await router.Services.GetRequiredService<PendingSettlements>().FlushAsync();
        using var exhausted = await PostAsync(router, Chat, Secret);
        Assert.Equal(HttpStatusCode.TooManyRequests, exhausted.StatusCode);
        Assert.Equal(3, fake.Requests.Count);
        var usage = await router.Services.GetRequiredService<IGrainFactory>().GetGrain<IApiKeyGrain>(keyId).GetUsageAsync();
        Assert.Equal((3, 0.039m), (usage.Requests, usage.CostUsd));
    }

    [StoreFact]
    public async Task The_anthropic_front_door_refuses_in_anthropic_shape_with_retry_after()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await StartAsync(fake, "max_requests = 1\nper_seconds = 3600");
        const string Message = """{"model":"MODEL","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""";

        using var first = await PostAsync(router, Message, path: "/v1/messages");
        using var second = await PostAsync(router, Message, path: "/v1/messages");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(("1", "0"), (Header(first, "x-ratelimit-limit-requests"), Header(first, "x-ratelimit-remaining-requests")));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(Seconds(Header(second, "Retry-After")) > 3500);
        var body = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("rate_limit_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Single(fake.Requests);
    }
}
