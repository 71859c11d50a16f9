using System.Net;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Security;

/// <summary>
/// A key cannot spend past its budget by asking for more than one completion (<c>n</c>), nor pick a service tier
/// billed above the standard price unless it is an admin key.
/// </summary>
public sealed class PricedParameterTests
{
    // gpt-test costs $1.5 per 1k completion tokens and $0.5 per 1k prompt tokens: a prompt of about 11 tokens and two
    // completion tokens reserve about $0.0085, four choices of two tokens about $0.0175.
    private const string BudgetKey = "sk-test-budget-6a1f3c55";

    [Fact]
    public async Task The_budget_reserves_every_one_of_n_completions()
    {
        var (fake, router) = await StartBudgetedAsync(limits: "");
        await using var _ = fake;
        await using var __ = router;

        var four = await PostAsync(router, "/v1/chat/completions",
            """{"model":"fake/gpt-test","n":4,"max_tokens":2,"messages":[{"role":"user","content":"hi"}]}""", BudgetKey);
        var one = await PostAsync(router, "/v1/chat/completions",
            """{"model":"fake/gpt-test","n":1,"max_tokens":2,"messages":[{"role":"user","content":"hi"}]}""", BudgetKey);

        AssertError(HttpStatusCode.TooManyRequests, "insufficient_quota", "insufficient_quota", four);
        Assert.True(one.Status == HttpStatusCode.OK, one.Body?.ToJsonString());
        Assert.Equal(1, fake.Requests.Single().Json["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task Parameter_limits_cap_n_before_the_reservation_is_made()
    {
        var (fake, router) = await StartBudgetedAsync(limits: "[api_keys.parameter_limits]\nn = 1");
        await using var _ = fake;
        await using var __ = router;

        var four = await PostAsync(router, "/v1/chat/completions",
            """{"model":"fake/gpt-test","n":4,"max_tokens":2,"messages":[{"role":"user","content":"hi"}]}""", BudgetKey);
        var keys = await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey);

        Assert.Equal(HttpStatusCode.OK, four.Status);
        Assert.Equal("1", fake.Single().Json["n"]!.ToJsonString());
        Assert.Equal(1, keys.Body!.AsArray().Single(k => k!["name"]!.GetValue<string>() == "budgeted")!["parameter_limits"]!["n"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("priority")]
    [InlineData("scale")]
    public async Task A_user_key_may_not_pick_a_dearer_service_tier_and_an_admin_key_may(string tier)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var body = $$"""{"model":"fake/gpt-test","service_tier":"{{tier}}","messages":[{"role":"user","content":"hi"}]}""";

        var user = await PostAsync(router, "/v1/chat/completions", body, UserKey);
        var standard = await PostAsync(router, "/v1/chat/completions", """{"model":"fake/gpt-test","service_tier":"flex","messages":[{"role":"user","content":"hi"}]}""", UserKey);
        var admin = await PostAsync(router, "/v1/chat/completions", body, AdminKey);

        Assert.Equal("service_tier", AssertError(HttpStatusCode.Forbidden, "permission_error", "parameter_not_allowed", user)["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, standard.Status);
        Assert.Equal(HttpStatusCode.OK, admin.Status);
        Assert.Equal(["flex", tier], fake.Requests.Select(r => r.Json["service_tier"]!.GetValue<string>()));
    }

    /// <summary>A node with a key whose budget is $0.012 a day, and <paramref name="limits"/> added to the key.</summary>
    private static async Task<(FakeOpenAiUpstream, RouterHarness)> StartBudgetedAsync(string limits)
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        return (fake, await RouterHarness.StartAsync(AccessKit.Toml(fake.BaseUrl) + $"""

            [[api_keys]]
            name = "budgeted"
            key = "{BudgetKey}"
            {limits}
            [api_keys.budget]
            limit_usd = 0.012
            period = "day"
            """, AccessKit.Environment()));
    }
}
