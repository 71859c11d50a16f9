using System.Globalization;
using System.Text.Json.Nodes;

namespace LlmRouter.Console.Tests;

/// <summary>The routing toggle in the header: it switches every node, so it asks first, shows the wait, and shows refusals.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RouterToggleTests(ChromiumBrowser chromium)
{
    private const string Routing = """
        [routing]
        toggle_delay_seconds = 2
        toggle_cooldown_seconds = 600
        """;

    [Fact]
    public async Task The_toggle_asks_first_shows_when_the_change_takes_effect_and_shows_a_refusal()
    {
        // A node of its own: switching routing off would change what the other tests' node does.
        var (fake, router) = await ConsoleTraffic.StartNodeAsync(Routing);
        await using var _ = fake;
        await using var __ = router;
        await using var console = await chromium.OpenAsync(router);
        await console.GotoAsync();
        await Expect(console.TestId("toggle-state")).ToHaveTextAsync("On");

        // A click only asks; cancelling sends nothing.
        await console.TestId("toggle-button").ClickAsync();
        await Expect(console.TestId("toggle-question")).ToContainTextAsync("Turn routing off on every node? It takes effect 2 s after you confirm.");
        await console.TestId("toggle-cancel").ClickAsync();
        await Expect(console.TestId("toggle-question")).ToHaveCountAsync(0);
        Assert.Empty(console.ApiRequests("/router/toggle"));

        await console.TestId("toggle-button").ClickAsync();
        await console.TestId("toggle-confirm").ClickAsync();
        // Pending: still on, with the time it turns off, and no button to send "off" a second time.
        await Expect(console.TestId("toggle-pending")).ToBeVisibleAsync();
        await Expect(console.TestId("toggle-state")).ToHaveTextAsync("On");
        await Expect(console.TestId("toggle-button")).ToHaveCountAsync(0);
        var status = JsonNode.Parse(await router.Http.GetStringAsync("/router/status"))!;
        Assert.True(status["pending"]!.GetValue<bool>());
        var effective = DateTimeOffset.Parse(status["effective_at"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        await Expect(console.TestId("toggle-pending")).ToHaveTextAsync($"turning off at {effective.UtcDateTime:HH:mm:ss}");
        await console.ScreenshotAsync("router-toggle-pending");
        var sent = Assert.Single(console.ApiRequests("/router/toggle"));
        Assert.Equal("""{"value":false,"reason":"web console"}""", sent.PostData);

        // In force after the delay, without a reload.
        await Expect(console.TestId("toggle-state")).ToHaveTextAsync("Off");
        await Expect(console.TestId("toggle-button")).ToHaveTextAsync("Turn on");
        Assert.False(JsonNode.Parse(await router.Http.GetStringAsync("/router/status"))!["enabled"]!.GetValue<bool>());

        // Within the cooldown the node refuses: the console says so and until when, and the state stays.
        await console.TestId("toggle-button").ClickAsync();
        await Expect(console.TestId("toggle-question")).ToContainTextAsync("Turn routing on on every node?");
        await console.TestId("toggle-confirm").ClickAsync();
        var cooldown = DateTimeOffset.Parse(
            JsonNode.Parse(await router.Http.GetStringAsync("/router/status"))!["cooldown_until"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        await Expect(console.TestId("toggle-error")).ToHaveTextAsync(
            $"Routing was switched a moment ago; it can be switched again from {cooldown.UtcDateTime:HH:mm:ss}.");
        await Expect(console.TestId("toggle-state")).ToHaveTextAsync("Off");
        Assert.Equal(2, console.ApiRequests("/router/toggle").Count);
    }
}
