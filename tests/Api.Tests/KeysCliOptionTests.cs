using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary><c>llm-router keys</c>: global options may come before the command, and an empty allow-list is refused.</summary>
public sealed class KeysCliOptionTests
{
    [Fact]
    public async Task Config_before_the_keys_command_works_as_after_it()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var environment = AccessKit.Environment();
        var elsewhere = Path.Combine(router.Directory, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        var config = Path.Combine(router.Directory, "router.toml");

        var before = await SiloProcess.RunAsync(elsewhere, environment, "--config", config, "keys", "list");
        var after = await SiloProcess.RunAsync(elsewhere, environment, "keys", "list", "--config", config);
        var shortForm = await SiloProcess.RunAsync(elsewhere, environment, "-c", config, "keys", "list");
        var nodeOption = await SiloProcess.RunAsync(elsewhere, environment, "--port", "9", "keys", "list");

        Assert.Equal((0, ""), (after.ExitCode, after.Error));
        Assert.Contains("limited", after.Output, StringComparison.Ordinal);
        Assert.Equal((0, after.Output, ""), (before.ExitCode, before.Output, before.Error));
        Assert.Equal((0, after.Output), (shortForm.ExitCode, shortForm.Output));
        Assert.Equal(2, nodeOption.ExitCode);
        Assert.Contains("'--port'", nodeOption.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--allowed-models")]
    [InlineData("--allowed-providers")]
    public async Task An_empty_allow_list_is_refused_and_creates_nothing(string option)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var environment = AccessKit.Environment();

        var empty = await SiloProcess.RunAsync(router.Directory, environment, "keys", "create", "--name", "nothing-allowed", option, "");
        var commas = await SiloProcess.RunAsync(router.Directory, environment, "keys", "create", "--name", "nothing-allowed", option, " , ");
        var list = await SiloProcess.RunAsync(router.Directory, environment, "keys", "list");

        Assert.Equal(2, empty.ExitCode);
        Assert.Contains($"{option} needs at least one", empty.Error, StringComparison.Ordinal);
        Assert.Equal(2, commas.ExitCode);
        Assert.Equal("", empty.Output + commas.Output);
        Assert.DoesNotContain("nothing-allowed", list.Output, StringComparison.Ordinal);
    }
}
