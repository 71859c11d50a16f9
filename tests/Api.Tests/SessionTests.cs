using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary>POST /auth/login, /auth/bind-model and /auth/logout; session tokens in every credential place; expiry.</summary>
public sealed class SessionTests
{
    [Fact]
    public async Task Login_returns_a_256_bit_token_that_authenticates_in_every_place()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var (status, login, _) = await PostAsync(router, "/auth/login", $$"""{"api_key":"{{UserKey}}"}""");
        var token = login!["token"]!.GetValue<string>();
        var viaBearer = await PostAsync(router, "/v1/chat/completions", ChatBody(), token, CredentialPlace.Bearer);
        var viaHeader = await PostAsync(router, "/v1/chat/completions", ChatBody(), token, CredentialPlace.Header);
        var viaQuery = await PostAsync(router, "/v1/chat/completions", ChatBody(), token, CredentialPlace.Query);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(86400, login["expires_in"]!.GetValue<long>());
        Assert.Contains("/auth/bind-model", login["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("lrs_", token, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(Base64(token["lrs_".Length..])).Length);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], [viaBearer.Status, viaHeader.Status, viaQuery.Status]);
        var logged = await router.InvocationsAsync();
        Assert.Equal(3, logged.Count);
        Assert.All(logged, r => Assert.Equal("user", r.ApiKeyName));
        Assert.Single(logged.Select(r => r.SessionId).Distinct());
        Assert.StartsWith("ses_", logged[0].SessionId, StringComparison.Ordinal);
        Assert.DoesNotContain(token, logged[0].SessionId!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"api_key":"sk-not-a-real-key-000"}""", 401, "invalid_api_key")]
    [InlineData("""{"api_key":"sk-test-disabled-7c3f0a12"}""", 401, "invalid_api_key")]
    [InlineData("""{"key":"sk-test-user-8d02b4c1"}""", 400, "invalid_value")]
    [InlineData("""{"api_key":42}""", 400, "invalid_value")]
    [InlineData("""not json""", 400, "invalid_json")]
    public async Task Login_refuses_bad_keys_and_bodies(string body, int status, string code)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await PostAsync(router, "/auth/login", body);

        Assert.Equal(status, (int)refused.Status);
        Assert.Equal(code, refused.Body!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bound_model_serves_chat_requests_that_name_no_model()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var token = await LoginAsync(router, UserKey);

        var noModelYet = await PostAsync(router, "/v1/chat/completions", ChatBody(null), token);
        var (status, bound, _) = await PostAsync(router, "/auth/bind-model", """{"provider_name":"fake","model_name":"gpt-second"}""", token);
        var chat = await PostAsync(router, "/v1/chat/completions", ChatBody(null), token);
        var invoke = await PostAsync(router, "/models/fake/gpt-test/invoke", """{"prompt":"hi"}""", token);

        AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", noModelYet);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("fake", "gpt-second"), (bound!["provider_name"]!.GetValue<string>(), bound["model_name"]!.GetValue<string>()));
        Assert.Contains("fake/gpt-second", bound["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, chat.Status);
        Assert.Equal(HttpStatusCode.OK, invoke.Status);
        Assert.Equal(["gpt-second", "gpt-4o-mini-2024-07-18"], fake.Requests.Select(r => r.Json["model"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_request_naming_a_model_binds_it_to_the_session()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var token = await LoginAsync(router, UserKey);

        var named = await PostAsync(router, "/v1/chat/completions", ChatBody("other/chat-x"), token);
        var unnamed = await PostAsync(router, "/v1/chat/completions", ChatBody(null), token);
        var byPath = await PostAsync(router, "/models/fake/gpt-second/v1/chat/completions", ChatBody(null), token);
        var afterPath = await PostAsync(router, "/v1/chat/completions", ChatBody(null), token);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], [named.Status, unnamed.Status, byPath.Status, afterPath.Status]);
        Assert.Equal(["chat-x", "chat-x", "gpt-second", "gpt-second"], fake.Requests.Select(r => r.Json["model"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Binding_needs_a_session_and_a_model_the_key_may_use()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var token = await LoginAsync(router, LimitedKey);

        var notAllowed = await PostAsync(router, "/auth/bind-model", """{"provider_name":"fake","model_name":"gpt-second"}""", token);
        var unknown = await PostAsync(router, "/auth/bind-model", """{"provider_name":"fake","model_name":"nope"}""", token);
        var missing = await PostAsync(router, "/auth/bind-model", """{"provider_name":"fake"}""", token);
        var withKey = await PostAsync(router, "/auth/bind-model", """{"provider_name":"fake","model_name":"gpt-test"}""", LimitedKey);
        var anonymousLocal = await SendAsync(router, HttpMethod.Post, "/auth/bind-model", """{"provider_name":"fake","model_name":"gpt-test"}""", remote: false);

        AssertError(HttpStatusCode.Forbidden, "permission_error", "model_not_allowed", notAllowed);
        AssertError(HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", unknown);
        AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", missing);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "session_required", withKey);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "session_required", anonymousLocal);
    }

    [Fact]
    public async Task Logout_revokes_the_token_at_once()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var token = await LoginAsync(router, UserKey);
        var other = await LoginAsync(router, UserKey);

        var before = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);
        var (status, logout, _) = await PostAsync(router, "/auth/logout", "", token);
        var after = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);
        var again = await PostAsync(router, "/auth/logout", "", token);
        var otherSession = await PostAsync(router, "/v1/chat/completions", ChatBody(), other);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrWhiteSpace(logout!["message"]!.GetValue<string>()));
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", after);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", again);
        Assert.Equal(HttpStatusCode.OK, otherSession.Status);
    }

    [Fact]
    public async Task A_session_expires_after_its_ttl()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_SESSION_TTL_SECONDS", "2"));
        await using var _ = fake;
        await using var __ = router;

        var (_, login, _) = await PostAsync(router, "/auth/login", $$"""{"api_key":"{{UserKey}}"}""");
        var loggedInAt = DateTimeOffset.UtcNow;
        var token = login!["token"]!.GetValue<string>();
        var fresh = await PostAsync(router, "/auth/bind-model", """{"provider_name":"fake","model_name":"gpt-test"}""", token);
        await Task.Delay(loggedInAt.AddSeconds(2.5) - DateTimeOffset.UtcNow);
        var expired = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);

        Assert.Equal(2, login["expires_in"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", expired);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Disabling_or_deleting_the_key_ends_its_sessions()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var created = (await PostAsync(router, "/api-keys", """{"name":"temp"}""", AdminKey)).Body!;
        var id = created["id"]!.GetValue<string>();
        var token = await LoginAsync(router, created["key"]!.GetValue<string>());

        var before = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);
        await SendAsync(router, HttpMethod.Patch, "/api-keys/" + id, """{"is_active":false}""", AdminKey);
        var disabled = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);
        await SendAsync(router, HttpMethod.Patch, "/api-keys/" + id, """{"is_active":true}""", AdminKey);
        var enabled = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);
        var newToken = await LoginAsync(router, created["key"]!.GetValue<string>());
        var newSession = await PostAsync(router, "/v1/chat/completions", ChatBody(), newToken);
        await SendAsync(router, HttpMethod.Delete, "/api-keys/" + id, credential: AdminKey);
        var deleted = await PostAsync(router, "/v1/chat/completions", ChatBody(), newToken);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", disabled);
        // Issue 15: disabling ends the sessions for good, so enabling the key again does not revive them.
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", enabled);
        Assert.Equal(HttpStatusCode.OK, newSession.Status);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", deleted);
    }

    [Fact]
    public async Task A_session_opened_on_one_node_works_and_ends_on_another_sharing_the_store()
    {
        var shared = Path.Combine(Path.GetTempPath(), "llmrouter-tests", "shared-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(shared);
        var database = ("LLM_ROUTER_DATABASE_URL", "sqlite:///" + Path.Combine(shared, "cluster.db"));
        try
        {
            await using var fake = await FakeOpenAiUpstream.StartAsync();
            await using var first = await RouterHarness.StartAsync(AccessKit.Toml(fake.BaseUrl), AccessKit.Environment(database));
            await using var second = await RouterHarness.StartAsync(AccessKit.Toml(fake.BaseUrl), AccessKit.Environment(database));

            var token = await LoginAsync(first, UserKey);
            await PostAsync(first, "/auth/bind-model", """{"provider_name":"other","model_name":"chat-x"}""", token);
            var onSecond = await PostAsync(second, "/v1/chat/completions", ChatBody(null), token);
            await PostAsync(second, "/auth/logout", "", token);
            var backOnFirst = await PostAsync(first, "/v1/chat/completions", ChatBody(), token);

            Assert.Equal(HttpStatusCode.OK, onSecond.Status);
            Assert.Equal("chat-x", fake.Single().Json["model"]!.GetValue<string>());
            AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", backOnFirst);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(shared, recursive: true);
        }
    }

    private static string Base64(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
    }
}
