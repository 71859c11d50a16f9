namespace LlmRouter.Console.Tests;

/// <summary>
/// Every page on a 390 px phone and on a desktop, in English and Chinese: nothing wider than the screen, every header
/// control reachable (behind the menu button on the phone), labels on one line, no heading squeezed to a character a
/// line, and the invocation rows showing their
/// status, cost and key. Each page is photographed for the README (TestResults/screenshots).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ScreenSizeTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    private static readonly string[] NavIds = ["nav-overview", "nav-invocations", "nav-models", "nav-keys", "nav-session", "nav-cluster"];

    [Theory]
    [InlineData("en-US", "phone")]
    [InlineData("zh-CN", "phone")]
    [InlineData("en-US", "desktop")]
    [InlineData("zh-CN", "desktop")]
    public async Task Every_page_fits_the_screen_with_every_header_control_reachable(string locale, string size)
    {
        var phone = size == "phone";
        var viewport = phone ? ChromiumBrowser.Phone : ChromiumBrowser.Desktop;
        var detail = (await traffic.Router.InvocationsAsync()).First(r => r.Status == LlmRouter.Abstractions.Invocations.InvocationStatus.Error);
        using var status = await traffic.Router.Http.GetAsync("/router/status");
        await using var console = await chromium.OpenAsync(traffic.Router, locale: locale, viewport: viewport);
        var pages = new (string Name, string Route, string Ready)[]
        {
            ("overview", "#/overview", "recent"),
            ("invocations", "#/invocations", "invocations"),
            ("invocation-detail", $"#/invocations/{detail.Id}", "facts"),
            ("models", "#/models", "model-table"),
            ("keys", "#/keys", "key-table"),
            ("session", "#/session", "signin-form"),
            ("cluster", "#/cluster", "silo-table"),
        };

        foreach (var (name, route, ready) in pages)
        {
            await console.GotoAsync(route);
            await Expect(console.TestId(ready)).ToBeVisibleAsync();
            await console.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await console.ScreenshotAsync($"{size}-{locale[..2]}-{name}");

            var widths = await console.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            var (scrollWidth, innerWidth) = (widths[0], widths[1]);
            Assert.True(scrollWidth <= innerWidth, $"{name} ({locale}, {size}) is {scrollWidth} px wide in a {innerWidth} px window");
            // No box inside the page scrolls sideways either (a table in a scrolling wrapper is still too wide).
            var sideways = await console.Page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll(".table-wrap, .panel, main")]
                  .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className || e.tagName)
                """);
            Assert.True(sideways.Length == 0, $"{name} ({locale}, {size}) scrolls sideways in: {string.Join(", ", sideways)}");
            // No heading or label squeezed to a character or two per line (Chinese wraps between any two characters).
            var squeezed = await console.Page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll("th, dt, h1, h2, .card-title, label, .badge, button")]
                  .filter(e => e.getClientRects().length > 0)
                  .flatMap(e => [...e.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim().length >= 2).map(n => {
                    const range = document.createRange();
                    range.selectNodeContents(n);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
                    const chars = n.textContent.replace(/\s/g, "").length;
                    return lines >= 2 && lines * 2 > chars ? n.textContent.trim() : null;
                  }))
                  .filter(t => t !== null)
                """);
            Assert.True(squeezed.Length == 0, $"{name} ({locale}, {size}) squeezes: {string.Join(" | ", squeezed)}");

            if (phone)
            {
                await Expect(console.TestId("menu")).ToBeHiddenAsync();
                await console.TestId("menu-button").ClickAsync();
            }
            else
            {
                await Expect(console.TestId("menu-button")).ToBeHiddenAsync();
            }
            var controls = NavIds.Append("auth-status").Append("signin-link").Append("lang-switch");
            if (status.IsSuccessStatusCode)
            {
                controls = controls.Append("router-toggle");
            }
            foreach (var id in controls)
            {
                await ExpectOnScreenAsync(console.TestId(id), viewport, $"{id} on {name} ({locale}, {size})");
            }
            foreach (var id in NavIds)
            {
                Assert.Equal(1, await LinesAsync(console.TestId(id)));
            }
        }

        // The history's rows keep their status, cost and key in view.
        await console.GotoAsync("#/invocations");
        var row = console.TestId("invocations").Locator("tbody tr").First;
        foreach (var cell in new[] { "cell-status", "cell-cost", "cell-key" })
        {
            await ExpectOnScreenAsync(row.GetByTestId(cell), viewport, $"{cell} ({locale}, {size})");
        }
        await Expect(row.GetByTestId("cell-status")).ToContainTextAsync(locale == "zh-CN" ? "错误" : "error");
    }

    /// <summary>Visible and wholly inside the window's width.</summary>
    private static async Task ExpectOnScreenAsync(ILocator element, ViewportSize viewport, string what)
    {
        await Expect(element).ToBeVisibleAsync();
        var box = await element.BoundingBoxAsync();
        Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= viewport.Width + 0.5,
            $"{what} is off screen: x={box?.X}, width={box?.Width}");
    }

    /// <summary>How many lines an element's text takes (a label squeezed to one character per line takes many).</summary>
    private static Task<int> LinesAsync(ILocator element) =>
        element.EvaluateAsync<int>("""
            e => {
              const range = document.createRange();
              range.selectNodeContents(e);
              return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
            }
            """);
}
