using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Api.Tests.Infrastructure.AccessKit;

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
            """{"key_id":null,"key_name":null,"role":null,"is_admin":true,"is_local":true,"credential_optional":true,"session_id":null,"session_expires_at":null,"bound_model":null}""",
            local.Body!.ToJsonString());
        Assert.Equal(("admin", "admin", true, false), Who(admin));
        Assert.Equal(("user", "user", false, false), Who(user));
        Assert.Equal(("user", "user", false, false), Who(session));
        Assert.StartsWith("ses_", session.Body!["session_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(session.Body["session_expires_at"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddHours(23));
        Assert.DoesNotContain(token, session.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(user.Body!["session_id"]);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", nobody);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", wrong);
    }

    private static (string? Name, string? Role, bool IsAdmin, bool IsLocal) Who((HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response) answer)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var body = answer.Body!;
        return (body["key_name"]?.GetValue<string>(), body["role"]?.GetValue<string>(), body["is_admin"]!.GetValue<bool>(), body["is_local"]!.GetValue<bool>());
    }
}
