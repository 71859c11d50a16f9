using System.Globalization;

namespace LlmRouter.Console.Tests;

/// <summary>The invocation history (filters, paging) and one invocation's detail.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class InvocationTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    [Fact]
    public async Task Pages_through_the_history_twenty_at_a_time_and_by_a_chosen_size()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync("#/invocations");
        var rows = console.TestId("invocations").Locator("tbody tr");

        await Expect(console.TestId("showing")).ToHaveTextAsync("1–20 of 22");
        await Expect(rows).ToHaveCountAsync(20);
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync("22");
        await console.ScreenshotAsync("invocations");

        await console.TestId("next").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("21–22 of 22");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Locator("td:first-child")).ToHaveTextAsync(["2", "1"]);
        await Expect(console.TestId("page")).ToHaveTextAsync("Page 2 of 2");
        await Expect(console.TestId("next")).ToHaveCountAsync(0);

        await console.TestId("filter-limit").SelectOptionAsync("10");
        await console.TestId("apply").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("1–10 of 22");
        await Expect(console.TestId("page")).ToHaveTextAsync("Page 1 of 3");
        await console.TestId("next").ClickAsync();
        await console.TestId("next").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("21–22 of 22");
        await console.TestId("prev").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("11–20 of 22");
        await Expect(rows.First.Locator("td").First).ToHaveTextAsync("12");

        // The page is in the address: a reload shows the same page.
        await console.Page.ReloadAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("11–20 of 22");
    }

    [Fact]
    public async Task Filters_by_provider_model_status_key_and_date_range()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync("#/invocations");
        var rows = console.TestId("invocations").Locator("tbody tr");
        await Expect(console.TestId("showing")).ToHaveTextAsync("1–20 of 22");

        await console.TestId("filter-provider").FillAsync("other");
        await console.TestId("apply").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("1–8 of 8");
        await Expect(rows.GetByTestId("cell-model")).ToHaveTextAsync(Enumerable.Repeat("other/small", 8).ToArray());

        await console.TestId("filter-provider").FillAsync("");
        await console.TestId("filter-model").FillAsync("gpt-test");
        await console.TestId("filter-status").SelectOptionAsync("error");
        await console.TestId("apply").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("1–2 of 2");
        await Expect(rows.Locator("[data-status]")).ToHaveTextAsync(["error", "error"]);

        await console.TestId("filter-status").SelectOptionAsync("success");
        await console.TestId("apply").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("1–12 of 12");

        await console.TestId("filter-model").FillAsync("");
        await console.TestId("filter-status").SelectOptionAsync("");
        await console.TestId("filter-api_key").FillAsync("admin");
        await console.TestId("apply").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("1–3 of 3");
        await Expect(rows.GetByTestId("cell-key")).ToHaveTextAsync(["admin", "admin", "admin"]);

        // The browser runs in UTC, so the calls' UTC day is its local day.
        var day = traffic.Began.UtcDateTime.Date;
        await console.TestId("filter-api_key").FillAsync("");
        await console.TestId("filter-from").FillAsync(Iso(day));
        await console.TestId("filter-to").FillAsync(Iso(day));
        await console.TestId("apply").ClickAsync();
        await Expect(console.TestId("showing")).ToHaveTextAsync("1–20 of 22");

        await console.TestId("filter-from").FillAsync(Iso(day.AddDays(1)));
        await console.TestId("filter-to").FillAsync(Iso(day.AddDays(2)));
        await console.TestId("apply").ClickAsync();
        await Expect(console.TestId("empty")).ToBeVisibleAsync();

        await console.TestId("filter-from").FillAsync(Iso(day.AddDays(-3)));
        await console.TestId("filter-to").FillAsync(Iso(day.AddDays(-1)));
        // The page already shows "empty" from the previous range: wait for this apply's own request, not the view.
        var last = await console.Page.RunAndWaitForRequestAsync(
            () => console.TestId("apply").ClickAsync(), r => r.Url.Contains("/monitor/invocations", StringComparison.Ordinal));
        await Expect(console.TestId("empty")).ToBeVisibleAsync();

        // What the page asked the node for.
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(last.Url).Query);
        Assert.Equal(day.AddDays(-3), DateTime.Parse(query["start"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal));
        Assert.Equal(day, DateTime.Parse(query["end"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal));
    }

    [Fact]
    public async Task The_detail_shows_the_request_sent_upstream_and_the_response()
    {
        var record = (await traffic.Router.InvocationsAsync()).Single(r => r.Model == "gpt-test" && r.Stream);
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync("#/invocations?model=gpt-test&status=success");
        await console.Page.Locator($"tr[data-id='{record.Id}'] [data-testid=detail-link]").ClickAsync();

        await Expect(console.Page.Locator("h1")).ToHaveTextAsync($"Invocation #{record.Id}");
        await Expect(console.TestId("fact-model")).ToContainTextAsync("fake/gpt-test");
        await Expect(console.TestId("fact-prompt")).ToContainTextAsync("11");
        await Expect(console.TestId("fact-completion")).ToContainTextAsync("5");
        await Expect(console.TestId("fact-total")).ToContainTextAsync("16");
        await Expect(console.TestId("fact-cost")).ToHaveTextAsync("Cost$0.01");
        await Expect(console.TestId("fact-stream")).ToContainTextAsync("Yes");
        await Expect(console.TestId("fact-ttft")).ToContainTextAsync($"{record.TimeToFirstTokenMs} ms");
        await Expect(console.TestId("fact-latency")).ToContainTextAsync($"{record.LatencyMs} ms");
        await Expect(console.TestId("fact-http")).ToContainTextAsync("200");

        // The request as the router sent it upstream: the upstream model name and the user's text.
        var request = console.TestId("body-request");
        await Expect(request).ToContainTextAsync("\"model\": \"gpt-4o-mini-2024-07-18\"");
        await Expect(request).ToContainTextAsync("\"content\": \"stream please\"");
        await Expect(console.TestId("body-response")).ToContainTextAsync("Hello from the fake upstream");
        await Expect(console.TestId("body-raw")).ToContainTextAsync("Streamed");
        await console.ScreenshotAsync("invocation-detail");

        // Back returns to the list as it was filtered.
        await console.Page.GetByText("Back").ClickAsync();
        await Expect(console.TestId("invocations")).ToBeVisibleAsync();
        await Expect(console.TestId("filter-model")).ToHaveValueAsync("gpt-test");
        await Expect(console.TestId("filter-status")).ToHaveValueAsync("success");
        await Expect(console.TestId("showing")).ToHaveTextAsync("1–12 of 12");
    }

    [Fact]
    public async Task A_failed_call_shows_its_error_and_raw_upstream_answer()
    {
        var failed = (await traffic.Router.InvocationsAsync()).First(r => r.Status == LlmRouter.Abstractions.Invocations.InvocationStatus.Error);
        await using var console = await chromium.OpenAsync(traffic.Router);
        // The list shows what went wrong without opening the call.
        await console.GotoAsync("#/invocations?status=error");
        await Expect(console.TestId("invocations").GetByTestId("cell-error")).ToHaveTextAsync([failed.Error!, failed.Error!]);
        await console.GotoAsync($"#/invocations/{failed.Id}");

        await Expect(console.Page.Locator("h1 + [data-status]")).ToHaveAttributeAsync("data-status", "error");
        // The error comes first, before the facts, with the status the client got.
        await Expect(console.TestId("detail-error")).ToHaveTextAsync($"Error (HTTP {failed.HttpStatus}): {failed.Error}");
        Assert.True(await console.Page.EvaluateAsync<bool>(
            "() => !!(document.querySelector('[data-testid=detail-error]').compareDocumentPosition(document.querySelector('[data-testid=facts]')) & Node.DOCUMENT_POSITION_FOLLOWING)"));
        await Expect(console.TestId("body-request")).ToContainTextAsync("\"content\": \"fail\"");
        await Expect(console.TestId("fact-cost")).ToHaveTextAsync("Cost$0.00");
        await Expect(console.TestId("body-response")).ToContainTextAsync("The upstream fell over");

        var plain = (await traffic.Router.InvocationsAsync()).First(r => r.Model == "small");
        await console.GotoAsync($"#/invocations/{plain.Id}");
        await Expect(console.TestId("body-response")).ToContainTextAsync("\"content\": \"Hello from the fake upstream\"");
        await Expect(console.TestId("fact-ttft")).ToHaveTextAsync("TTFT—");
        await Expect(console.TestId("fact-key")).ToContainTextAsync("admin");

        await console.GotoAsync("#/invocations/999999");
        await Expect(console.TestId("error")).ToContainTextAsync("No invocation with id 999999");
    }

    private static string Iso(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
