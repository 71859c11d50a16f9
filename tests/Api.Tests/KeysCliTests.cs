using System.ClientModel;
using System.Text.RegularExpressions;
using LlmRouter.Api.Tests.Infrastructure;
using OpenAI.Chat;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary><c>llm-router keys create|list|disable|enable</c> as a separate process against a running node's store.</summary>
public sealed partial class KeysCliTests
{
    [Fact]
    public async Task Keys_made_and_disabled_by_the_cli_take_effect_on_the_running_node()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_LOCALHOST_BYPASS", "false"));
        await using var _ = fake;
        await using var __ = router;
        var environment = AccessKit.Environment();

        var create = await SiloProcess.RunAsync(router.Directory, environment,
            "keys", "create", "--name", "cli-user", "--allowed-models", "fake/gpt-test,other/chat-x", "--prefix", "pk");
        var secret = KeyLine().Match(create.Output).Groups[1].Value;
        var id = IdLine().Match(create.Output).Groups[1].Value;
        var allowed = await OpenAiChat(router, "fake/gpt-test", secret).CompleteChatAsync([new UserChatMessage("hi")]);
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => OpenAiChat(router, "fake/gpt-second", secret).CompleteChatAsync([new UserChatMessage("hi")]));
        var list = await SiloProcess.RunAsync(router.Directory, environment, "keys", "list");
        var disable = await SiloProcess.RunAsync(router.Directory, environment, "keys", "disable", id);
        var disabled = await Assert.ThrowsAsync<ClientResultException>(() => OpenAiChat(router, "fake/gpt-test", secret).CompleteChatAsync([new UserChatMessage("hi")]));
        var enable = await SiloProcess.RunAsync(router.Directory, environment, "keys", "enable", id);
        var enabled = await OpenAiChat(router, "fake/gpt-test", secret).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(0, create.ExitCode);
        Assert.StartsWith("pk-", secret, StringComparison.Ordinal);
        Assert.Contains("shown only this once", create.Output, StringComparison.Ordinal);
        Assert.Equal("Hello from the fake upstream", allowed.Value.Content[0].Text);
        Assert.Equal(403, refused.Status);
        Assert.Equal(0, list.ExitCode);
        var row = Assert.Single(list.Output.Split('\n'), line => line.StartsWith(id, StringComparison.Ordinal));
        Assert.Matches(@"cli-user\s+user\s+yes\s+store\s+", row);
        Assert.Contains("fake/gpt-test,other/chat-x", row, StringComparison.Ordinal);
        Assert.Contains(list.Output.Split('\n'), line => Regex.IsMatch(line, @"^cfg_\w+\s+admin\s+admin\s+yes\s+config"));
        Assert.DoesNotContain(secret, list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminKey, list.Output, StringComparison.Ordinal);
        Assert.Equal((0, $"disabled {id} (cli-user)"), (disable.ExitCode, disable.Output.Trim()));
        Assert.Equal(401, disabled.Status);
        Assert.Equal(0, enable.ExitCode);
        Assert.Equal("Hello from the fake upstream", enabled.Value.Content[0].Text);
        Assert.All(await router.InvocationsAsync(), r => Assert.Equal(("cli-user", id), (r.ApiKeyName, r.ApiKeyId)));
    }

    [Fact]
    public async Task The_cli_refuses_config_keys_unknown_ids_and_bad_usage()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var environment = AccessKit.Environment();
        var list = await SiloProcess.RunAsync(router.Directory, environment, "keys", "list");
        var configId = Regex.Match(list.Output, @"^(cfg_\w+)\s+user\s", RegexOptions.Multiline).Groups[1].Value;

        var configKey = await SiloProcess.RunAsync(router.Directory, environment, "keys", "disable", configId);
        var unknown = await SiloProcess.RunAsync(router.Directory, environment, "keys", "disable", "key_0000000000000000");
        var noName = await SiloProcess.RunAsync(router.Directory, environment, "keys", "create");
        var badRole = await SiloProcess.RunAsync(router.Directory, environment, "keys", "create", "--name", "x", "--role", "root");
        var badCommand = await SiloProcess.RunAsync(router.Directory, environment, "keys", "rotate");

        Assert.Equal(1, configKey.ExitCode);
        Assert.Contains("router.toml", configKey.Error, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal(2, noName.ExitCode);
        Assert.Contains("--name", noName.Error, StringComparison.Ordinal);
        Assert.Equal(1, badRole.ExitCode);
        Assert.Equal(2, badCommand.ExitCode);
        Assert.Contains("usage:", badCommand.Error, StringComparison.Ordinal);
        Assert.Equal(200, (int)(await PostAsync(router, "/v1/chat/completions", ChatBody(), UserKey)).Status);
    }

    [GeneratedRegex(@"^key:\s+(\S+)$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"^id:\s+(\S+)$", RegexOptions.Multiline)]
    private static partial Regex IdLine();
}
