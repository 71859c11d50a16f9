using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary>GET /auth/me: who a credential makes the caller, as the console shows it; no credential from afar gets 401.</summary>
public sealed class WhoAmITests
{
    [Fact]
    public async Task Says_which_key_and_role_each_credential_stands_for()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var local = await SendAsync(router, HttpMethod.Get, "/auth/me", remote: false);
        var admin = await SendAsync(router, HttpMethod.Get, "/auth/me", credential: AdminKey);
        var user = await SendAsync(router, HttpMethod.Get, "/auth/me", credential: UserKey);
        var token = await LoginAsync(router, UserKey);
        var session = await SendAsync(router, HttpMethod.Get, "/auth/me", credential: token);
        var nobody = await SendAsync(router, HttpMethod.Get, "/auth/me");
        var wrong = await SendAsync(router, HttpMethod.Get, "/auth/me", credential: "sk-not-a-key");

        Assert.Equal(HttpStatusCode.OK, local.Status);
        Assert.Equal(
            """{"key_id":null,"key_name":null,"role":null,"is_admin":true,"is_local":true,"credential_optional":true,"session_id":null,"session_expires_at":null,"bound_model":null,"budget":null}""",
            local.Body!.ToJsonString());
        Assert.Equal(("admin", "admin", true, false), Who(admin));
        Assert.Equal(("user", "user", false, false), Who(user));
        Assert.Equal(("user", "user", false, false), Who(session));
        Assert.StartsWith("ses_", session.Body!["session_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(session.Body["session_expires_at"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddHours(23));
        Assert.DoesNotContain(token, session.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(user.Body!["session_id"]);
        Assert.Null(user.Body["budget"]);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", nobody);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", wrong);
    }

    [Fact]
    public async Task A_key_with_a_budget_sees_what_it_spent_and_what_is_left_this_period()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        const string budgetKey = "sk-budgeted-whoami-7c21d9";
        await using var router = await RouterHarness.StartAsync(Toml(fake.BaseUrl) + $"""

            [[api_keys]]
            name = "budgeted"
            key = "{budgetKey}"
            [api_keys.budget]
            limit_usd = 0.5
            period = "day"
            """, Environment());

        var before = await SendAsync(router, HttpMethod.Get, "/auth/me", credential: budgetKey);
        var call = await PostAsync(router, "/v1/chat/completions", """{"model":"fake/gpt-test","max_tokens":20,"messages":[{"role":"user","content":"hi"}]}""", budgetKey);
        var after = await SendAsync(router, HttpMethod.Get, "/auth/me", credential: budgetKey);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.True(logged.Cost > 0);
        var budget = after.Body!["budget"]!;
        Assert.Equal("day", budget["period"]!.GetValue<string>());
        Assert.Equal(0.5m, budget["limit_usd"]!.GetValue<decimal>());
        Assert.Equal(logged.Cost, budget["spent_usd"]!.GetValue<decimal>());
        Assert.Equal(0m, budget["reserved_usd"]!.GetValue<decimal>());
        Assert.Equal(0.5m - logged.Cost, budget["remaining_usd"]!.GetValue<decimal>());
        Assert.Equal(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(1), budget["resets_at"]!.GetValue<DateTimeOffset>().UtcDateTime);
        Assert.Equal(0m, before.Body!["budget"]!["spent_usd"]!.GetValue<decimal>());
    }

    private static (string? Name, string? Role, bool IsAdmin, bool IsLocal) Who((HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response) answer)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var body = answer.Body!;
        return (body["key_name"]?.GetValue<string>(), body["role"]?.GetValue<string>(), body["is_admin"]!.GetValue<bool>(), body["is_local"]!.GetValue<bool>());
    }
}
