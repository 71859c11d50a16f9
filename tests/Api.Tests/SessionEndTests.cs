using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary>Disabling a key ends its sessions for good, through REST, the CLI or router.toml: enabling the key again does not revive them.</summary>
public sealed class SessionEndTests
{
    [Fact]
    public async Task Disabling_a_key_over_rest_ends_its_sessions_even_after_it_is_enabled_again()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var (id, secret) = await CreateKeyAsync(router, "session-owner");
        var token = await LoginAsync(router, secret);
        var before = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);

        var disabled = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + id, """{"is_active":false}""", AdminKey);
        var whileDisabled = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);
        var enabled = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + id, """{"is_active":true}""", AdminKey);
        var afterEnable = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);
        var keyItself = await PostAsync(router, "/v1/chat/completions", ChatBody(), secret);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal((HttpStatusCode.OK, false), (disabled.Status, disabled.Body!["is_active"]!.GetValue<bool>()));
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", whileDisabled);
        Assert.Equal((HttpStatusCode.OK, true), (enabled.Status, enabled.Body!["is_active"]!.GetValue<bool>()));
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", afterEnable);
        Assert.Equal(HttpStatusCode.OK, keyItself.Status);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task A_patch_that_leaves_the_key_active_keeps_its_sessions()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var (id, secret) = await CreateKeyAsync(router, "renamed-owner");
        var token = await LoginAsync(router, secret);

        var renamed = await SendAsync(router, HttpMethod.Patch, "/api-keys/" + id, """{"name":"still-active","is_active":true}""", AdminKey);
        var after = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);

        Assert.Equal(HttpStatusCode.OK, renamed.Status);
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task Disabling_a_key_with_the_cli_ends_its_sessions_even_after_keys_enable()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_LOCALHOST_BYPASS", "false"));
        await using var _ = fake;
        await using var __ = router;
        var environment = AccessKit.Environment();
        var (id, secret) = await CreateKeyAsync(router, "cli-session-owner");
        var token = await LoginAsync(router, secret);
        var before = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);

        var disable = await SiloProcess.RunAsync(router.Directory, environment, "keys", "disable", id);
        var enable = await SiloProcess.RunAsync(router.Directory, environment, "keys", "enable", id);
        var afterEnable = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);
        var keyItself = await PostAsync(router, "/v1/chat/completions", ChatBody(), secret);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal((0, $"disabled {id} (cli-session-owner)"), (disable.ExitCode, disable.Output.Trim()));
        Assert.Equal(0, enable.ExitCode);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", afterEnable);
        Assert.Equal(HttpStatusCode.OK, keyItself.Status);
    }

    [Fact]
    public async Task Disabling_a_router_toml_key_in_the_file_ends_its_sessions_even_after_it_is_enabled_again()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var file = Path.Combine(router.Directory, "router.toml");
        var enabledToml = await File.ReadAllTextAsync(file);
        const string UserEntry = "name = \"user\"\nkey_env = \"TEST_USER_KEY\"\n";
        Assert.Contains(UserEntry, enabledToml, StringComparison.Ordinal);
        var token = await LoginAsync(router, UserKey);
        var before = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);

        await File.WriteAllTextAsync(file, enabledToml.Replace(UserEntry, UserEntry + "is_active = false\n", StringComparison.Ordinal));
        await WaitForActiveAsync(router, "user", active: false);
        var whileDisabled = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);
        await File.WriteAllTextAsync(file, enabledToml);
        await WaitForActiveAsync(router, "user", active: true);
        var afterEnable = await PostAsync(router, "/v1/chat/completions", ChatBody(), token);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", whileDisabled);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", afterEnable);
    }

    /// <summary>Polls the key list until the reloaded router.toml is in force (the watcher waits for the file to settle).</summary>
    private static async Task WaitForActiveAsync(RouterHarness router, string name, bool active)
    {
        for (var i = 0; i < 200; i++)
        {
            var keys = (await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey)).Body!.AsArray();
            if (keys.Single(k => k!["name"]!.GetValue<string>() == name)!["is_active"]!.GetValue<bool>() == active)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"router.toml was not reloaded: key '{name}' never became {(active ? "active" : "inactive")}");
    }

    private static async Task<(string Id, string Secret)> CreateKeyAsync(RouterHarness router, string name)
    {
        var (status, created, _) = await PostAsync(router, "/api-keys", new JsonObject { ["name"] = name }.ToJsonString(), AdminKey);
        Assert.Equal(HttpStatusCode.Created, status);
        return (created!["id"]!.GetValue<string>(), created["key"]!.GetValue<string>());
    }
}
