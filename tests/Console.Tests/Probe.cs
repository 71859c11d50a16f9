namespace LlmRouter.Console.Tests;

public sealed class Probe
{
    [Fact]
    public async Task Starts()
    {
        await using var fake = await LlmRouter.Api.Tests.Infrastructure.FakeOpenAiUpstream.StartAsync();
        await using var router = await LlmRouter.Api.Tests.Infrastructure.RouterHarness.StartAsync(LlmRouter.Api.Tests.Infrastructure.RouterHarness.Toml(fake.BaseUrl));
        var html = await router.Http.GetStringAsync("/ui/");
        Assert.Contains("<div id=\"app\">", html, StringComparison.Ordinal);
    }
}
