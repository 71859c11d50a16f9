using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary>/api-keys, /providers and /models management: admin only, secrets shown once, stored entries merged with router.toml.</summary>
public sealed class ManagementApiTests
{
    [Fact]
    public async Task Admin_creates_reads_updates_and_deletes_keys_and_the_secret_is_shown_only_once()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var (status, created, _) = await PostAsync(router, "/api-keys", """
            {"name":"我的密钥","allowed_models":["fake/gpt-test"],"parameter_limits":{"max_tokens":50},"prefix":"pk"}
            """, AdminKey);
        var id = created!["id"]!.GetValue<string>();
        var secret = created["key"]!.GetValue<string>();
        var list = await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey);
        var one = await SendAsync(router, HttpMethod.Get, "/api-keys/" + id, credential: AdminKey);
        var used = await PostAsync(router, "/v1/chat/completions", """{"model":"fake/gpt-test","max_tokens":900,"messages":[{"role":"user","content":"hi"}]}""", secret);
        var patched = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + id, """{"allowed_models":null,"role":"admin"}""", AdminKey);
        var nowAllowed = await PostAsync(router, "/v1/chat/completions", ChatBody("other/chat-x"), secret);
        var deleted = await SendAsync(router, HttpMethod.Delete, "/api-keys/" + id, credential: AdminKey);
        var gone = await SendAsync(router, HttpMethod.Get, "/api-keys/" + id, credential: AdminKey);
        var refused = await PostAsync(router, "/v1/chat/completions", ChatBody(), secret);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.StartsWith("pk-", secret, StringComparison.Ordinal);
        Assert.True(secret.Length >= 40);
        Assert.StartsWith("key_", id, StringComparison.Ordinal);
        Assert.Equal(("我的密钥", "user", true, "store"), (created["name"]!.GetValue<string>(), created["role"]!.GetValue<string>(),
            created["is_active"]!.GetValue<bool>(), created["source"]!.GetValue<string>()));
        Assert.Equal(50, created["parameter_limits"]!["max_tokens"]!.GetValue<int>());
        var listed = Assert.Single(list.Body!.AsArray(), k => k!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("我的密钥", listed["name"]!.GetValue<string>());
        Assert.Null(listed["key"]);
        Assert.Null(one.Body!["key"]);
        Assert.NotNull(one.Body["created_at"]);
        Assert.Equal(HttpStatusCode.OK, used.Status);
        Assert.Equal(50, fake.Requests.First().Json["max_tokens"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Null(patched.Body!["allowed_models"]);
        Assert.Equal("admin", patched.Body["role"]!.GetValue<string>());
        Assert.Equal(50, patched.Body["parameter_limits"]!["max_tokens"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, nowAllowed.Status);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", refused);
        foreach (var text in new[] { list.Body.ToJsonString(), one.Body.ToJsonString(), patched.Body.ToJsonString() })
        {
            foreach (var key in new[] { secret, AdminKey, UserKey, LimitedKey, DisabledKey })
            {
                Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_key_chosen_by_the_caller_works_and_a_taken_secret_or_name_is_409()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var created = await PostAsync(router, "/api-keys", """{"key":"my-api-key","name":"chosen"}""", AdminKey);
        var used = await PostAsync(router, "/v1/chat/completions", ChatBody(), "my-api-key", CredentialPlace.Header);
        var sameSecret = await PostAsync(router, "/api-keys", """{"key":"my-api-key","name":"again"}""", AdminKey);
        var configSecret = await PostAsync(router, "/api-keys", $$"""{"key":"{{UserKey}}","name":"copy"}""", AdminKey);
        var configName = await PostAsync(router, "/api-keys", """{"name":"admin"}""", AdminKey);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("my-api-key", created.Body!["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, used.Status);
        AssertError(HttpStatusCode.Conflict, "invalid_request_error", "conflict", sameSecret);
        AssertError(HttpStatusCode.Conflict, "invalid_request_error", "conflict", configSecret);
        AssertError(HttpStatusCode.Conflict, "invalid_request_error", "conflict", configName);
    }

    [Theory]
    [InlineData("""{"allowed_models":["fake/gpt-test"]}""", "name")]
    [InlineData("""{"name":"x","role":"root"}""", "role")]
    [InlineData("""{"name":"x","allowed_models":["no-slash"]}""", "allowed_models")]
    [InlineData("""{"name":"x","key":"short"}""", "key")]
    [InlineData("""{"name":"x","key":"lrs_looks-like-a-session"}""", "key")]
    [InlineData("""{"name":"x","prefix":"bad prefix"}""", "prefix")]
    [InlineData("""{"name":"x","parameter_limits":{"max_tokens":0}}""", "parameter_limits.max_tokens")]
    [InlineData("""{"name":"x","parameter_limits":{"top_k":3}}""", "parameter_limits.top_k")]
    [InlineData("""{"name":"x","colour":"blue"}""", "colour")]
    public async Task Invalid_key_definitions_are_400_naming_the_field(string body, string param)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var refused = await PostAsync(router, "/api-keys", body, AdminKey);

        var error = AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", refused);
        Assert.Equal(param, error["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_from_router_toml_and_the_environment_are_listed_but_read_only()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_API_KEYS", "sk-env-one-1234567,sk-env-two-7654321"));
        await using var _ = fake;
        await using var __ = router;

        var list = (await SendAsync(router, HttpMethod.Get, "/api-keys", credential: "sk-env-two-7654321")).Body!.AsArray();
        var user = list.Single(k => k!["name"]!.GetValue<string>() == "user")!;
        var userId = user["id"]!.GetValue<string>();
        var patch = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + userId, """{"is_active":false}""", AdminKey);
        var delete = await SendAsync(router, HttpMethod.Delete, "/api-keys/" + userId, credential: AdminKey);
        var stillWorks = await PostAsync(router, "/v1/chat/completions", ChatBody(), UserKey);

        Assert.Equal(["admin", "user", "limited", "provider-limited", "off", "env-key-1", "env-key-2"], list.Select(k => k!["name"]!.GetValue<string>()));
        Assert.All(list, k => Assert.Equal("config", k!["source"]!.GetValue<string>()));
        Assert.Equal("admin", list.Single(k => k!["name"]!.GetValue<string>() == "env-key-1")!["role"]!.GetValue<string>());
        Assert.False(list.Single(k => k!["name"]!.GetValue<string>() == "off")!["is_active"]!.GetValue<bool>());
        Assert.Equal(["fake/gpt-test", "other/chat-x"], list.Single(k => k!["name"]!.GetValue<string>() == "limited")!["allowed_models"]!.AsArray().Select(m => m!.GetValue<string>()));
        AssertError(HttpStatusCode.Conflict, "invalid_request_error", "defined_in_config", patch);
        AssertError(HttpStatusCode.Conflict, "invalid_request_error", "defined_in_config", delete);
        Assert.Equal(HttpStatusCode.OK, stillWorks.Status);
        Assert.DoesNotContain("sk-env-", list.ToJsonString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?> ManagementEndpoints => new()
    {
        { "GET", "/api-keys", null },
        { "POST", "/api-keys", """{"name":"sneaky","role":"admin"}""" },
        { "GET", "/api-keys/cfg_0000000000000000", null },
        { "PATCH", "/api-keys/cfg_0000000000000000", """{"is_active":false}""" },
        { "DELETE", "/api-keys/cfg_0000000000000000", null },
        { "GET", "/providers", null },
        { "POST", "/providers", """{"name":"evil","type":"openai","base_url":"http://127.0.0.1:9"}""" },
        { "POST", "/models", """{"name":"m","provider":"fake"}""" },
        { "PATCH", "/models/fake/gpt-test", """{"is_active":false}""" },
    };

    [Theory]
    [MemberData(nameof(ManagementEndpoints))]
    public async Task Non_admin_keys_are_refused_403_on_management_endpoints_even_locally(string method, string path, string? body)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var remote = await SendAsync(router, new HttpMethod(method), path, body, UserKey);
        var local = await SendAsync(router, new HttpMethod(method), path, body, UserKey, remote: false);
        var session = await SendAsync(router, new HttpMethod(method), path, body, await LoginAsync(router, UserKey));
        var anonymous = await SendAsync(router, new HttpMethod(method), path, body);

        AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", remote);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", local);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", session);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", anonymous);
        var keys = (await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey)).Body!.AsArray();
        Assert.DoesNotContain(keys, k => k!["name"]!.GetValue<string>() == "sneaky");
    }

    [Fact]
    public async Task Local_requests_and_admin_sessions_may_manage()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var local = await SendAsync(router, HttpMethod.Post, "/api-keys", """{"name":"made-locally"}""", remote: false);
        var adminSession = await SendAsync(router, HttpMethod.Get, "/api-keys", credential: await LoginAsync(router, AdminKey));

        Assert.Equal(HttpStatusCode.Created, local.Status);
        Assert.Contains(adminSession.Body!.AsArray(), k => k!["name"]!.GetValue<string>() == "made-locally");
    }

    [Fact]
    public async Task Providers_and_models_defined_over_rest_serve_calls_and_survive_a_restart()
    {
        var shared = Path.Combine(Path.GetTempPath(), "llmrouter-tests", "shared-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(shared);
        var database = ("LLM_ROUTER_DATABASE_URL", "sqlite:///" + Path.Combine(shared, "router.db"));
        var restKeys = ("LLM_ROUTER_REST_API_KEY_ENVS", "FAKE_UPSTREAM_*");
        try
        {
            await using var fake = await FakeOpenAiUpstream.StartAsync();
            await using (var router = await RouterHarness.StartAsync(AccessKit.Toml(fake.BaseUrl), AccessKit.Environment(database, restKeys)))
            {
                var provider = await PostAsync(router, "/providers", $$"""
                    {"name":"rest","type":"openai","base_url":"{{fake.BaseUrl.ToString().TrimEnd('/')}}","api_key_env":"FAKE_UPSTREAM_KEY"}
                    """, AdminKey);
                var model = await PostAsync(router, "/models", """
                    {"name":"m1","provider":"rest","upstream_model":"up-m1","tags":["rest-made"],"config":{"cost_per_1k_tokens":1.5}}
                    """, AdminKey);
                var duplicate = await PostAsync(router, "/models", """{"name":"m1","provider":"rest"}""", AdminKey);
                var first = await PostAsync(router, "/v1/chat/completions", ChatBody("rest/m1"), UserKey);
                var patched = await SendAsync(router, HttpMethod.Patch, "/models/rest/m1", """{"upstream_model":"up-m2","tags":["patched"],"config":{"supports_tools":true}}""", AdminKey);
                var second = await PostAsync(router, "/v1/chat/completions", ChatBody("rest/m1"), UserKey);
                var providers = await SendAsync(router, HttpMethod.Get, "/providers", credential: AdminKey);

                Assert.Equal(HttpStatusCode.Created, provider.Status);
                Assert.Equal(HttpStatusCode.Created, model.Status);
                AssertError(HttpStatusCode.Conflict, "invalid_request_error", "conflict", duplicate);
                Assert.Equal(HttpStatusCode.OK, first.Status);
                Assert.Equal(HttpStatusCode.OK, patched.Status);
                Assert.Equal(1.5m, patched.Body!["config"]!["cost_per_1k_tokens"]!.GetValue<decimal>());
                Assert.True(patched.Body["config"]!["supports_tools"]!.GetValue<bool>());
                Assert.Equal(HttpStatusCode.OK, second.Status);
                Assert.Equal(["up-m1", "up-m2"], fake.Requests.Select(r => r.Json["model"]!.GetValue<string>()));
                Assert.All(fake.Requests, r => Assert.Equal("Bearer " + UpstreamKey, r.Header("Authorization")));
                Assert.Equal(["fake:config", "other:config", "rest:store"],
                    providers.Body!.AsArray().Select(p => $"{p!["name"]}:{p["source"]}"));
            }
            await using (var restarted = await RouterHarness.StartAsync(AccessKit.Toml(fake.BaseUrl), AccessKit.Environment(database, restKeys)))
            {
                var models = await SendAsync(restarted, HttpMethod.Get, "/models?tag=patched", credential: UserKey);
                var call = await PostAsync(restarted, "/v1/chat/completions", ChatBody("rest/m1"), UserKey);

                var listed = Assert.Single(models.Body!.AsArray())!;
                Assert.Equal(("rest/m1", "openai"), (listed["id"]!.GetValue<string>(), listed["provider_type"]!.GetValue<string>()));
                Assert.Equal(HttpStatusCode.OK, call.Status);
                Assert.Equal("up-m2", fake.Requests.Last().Json["model"]!.GetValue<string>());
                var logged = await restarted.InvocationsAsync();
                Assert.Equal(3, logged.Count);
                Assert.All(logged, r => Assert.Equal(("rest", "m1", 0.0165m), (r.Provider, r.Model, r.Cost)));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(shared, recursive: true);
        }
    }

    [Fact]
    public async Task The_file_wins_for_names_it_defines_and_literal_upstream_keys_are_refused()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var provider = await PostAsync(router, "/providers", """{"name":"fake","type":"openai"}""", AdminKey);
        var model = await PostAsync(router, "/models", """{"name":"gpt-test","provider":"fake"}""", AdminKey);
        var patch = await SendAsync(router, HttpMethod.Patch, "/models/fake/gpt-test", """{"is_active":false}""", AdminKey);
        var literal = await PostAsync(router, "/providers", """{"name":"leaky","type":"openai","api_key":"sk-upstream-literal"}""", AdminKey);
        var unknownProvider = await PostAsync(router, "/models", """{"name":"m","provider":"nobody"}""", AdminKey);
        var unknownType = await PostAsync(router, "/providers", """{"name":"odd","type":"carrier-pigeon"}""", AdminKey);
        var notStored = await SendAsync(router, HttpMethod.Patch, "/models/fake/never-made", """{"is_active":false}""", AdminKey);
        var call = await PostAsync(router, "/v1/chat/completions", ChatBody(), UserKey);

        AssertError(HttpStatusCode.Conflict, "invalid_request_error", "defined_in_config", provider);
        AssertError(HttpStatusCode.Conflict, "invalid_request_error", "defined_in_config", model);
        AssertError(HttpStatusCode.Conflict, "invalid_request_error", "defined_in_config", patch);
        Assert.Equal("api_key", AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", literal)["param"]!.GetValue<string>());
        Assert.Equal("provider", AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", unknownProvider)["param"]!.GetValue<string>());
        Assert.Equal("type", AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", unknownType)["param"]!.GetValue<string>());
        AssertError(HttpStatusCode.NotFound, "invalid_request_error", "model_not_found", notStored);
        Assert.Equal(HttpStatusCode.OK, call.Status);
    }
}
