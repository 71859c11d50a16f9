namespace LlmRouter.Console.Tests;

/// <summary>
/// Signing in from a remote browser (the node sees X-Forwarded-For, so the localhost rule does not apply): the key
/// becomes a session token kept in sessionStorage and sent as a Bearer credential; signing out revokes it.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    [Fact]
    public async Task A_remote_browser_signs_in_with_an_api_key_and_uses_the_session_token()
    {
        await using var console = await chromium.OpenAsync(traffic.Router, remote: true);
        await console.GotoAsync();

        // The console itself loads without credentials; its data does not.
        await Expect(console.TestId("signin-banner")).ToBeVisibleAsync();
        await Expect(console.TestId("auth-status")).ToHaveTextAsync("Not signed in");
        await console.Page.ClickAsync("[data-testid=signin-banner] a");
        await console.TestId("signin-key").FillAsync("sk-not-a-key");
        await console.TestId("signin-submit").ClickAsync();
        await Expect(console.TestId("signin-error")).ToContainTextAsync("not valid");
        await console.ScreenshotAsync("signin");

        await console.TestId("signin-key").FillAsync(ConsoleTraffic.UserKey);
        await console.TestId("signin-submit").ClickAsync();
        // A user key sees only its own calls, and this one has made none (ScopedViewTests covers one that has).
        await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("0");
        await Expect(console.TestId("auth-status")).ToHaveTextAsync("Signed in: user (user)");
        await Expect(console.TestId("signin-banner")).ToHaveCountAsync(0);

        // The API key went to /auth/login only; everything after carries the session token instead.
        var token = await console.Page.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('llm-router.session')).token");
        Assert.NotEqual(ConsoleTraffic.UserKey, token);
        var statistics = console.ApiRequests("/monitor/statistics")[^1];
        Assert.Equal("Bearer " + token, await statistics.HeaderValueAsync("authorization"));
        Assert.All(console.Requests, r => Assert.DoesNotContain(ConsoleTraffic.UserKey, r.Url, StringComparison.Ordinal));
        Assert.Contains(ConsoleTraffic.UserKey, console.ApiRequests("/auth/login")[^1].PostData, StringComparison.Ordinal);

        // A user key may watch but not manage keys: no form it could not use, and no request for the list.
        await console.TestId("nav-keys").ClickAsync();
        await Expect(console.TestId("key-list")).ToHaveTextAsync("Managing keys takes an admin key; you are signed in with a user key.");
        await Expect(console.TestId("create-form")).ToHaveCountAsync(0);
        Assert.Empty(console.ApiRequests("/api-keys"));

        await console.TestId("nav-session").ClickAsync();
        await Expect(console.TestId("session-expiry")).ToBeVisibleAsync();
        await Expect(console.TestId("bind-model").Locator("option")).ToHaveTextAsync(["fake/gpt-test", "other/small"]);
        await console.TestId("bind-model").SelectOptionAsync("other/small");
        await console.TestId("bind-submit").ClickAsync();
        await Expect(console.TestId("session-message")).ToContainTextAsync("Bound: other/small");
        var bind = console.ApiRequests("/auth/bind-model")[^1];
        Assert.Equal("""{"provider_name":"other","model_name":"small"}""", bind.PostData);
        Assert.Equal("Bearer " + token, await bind.HeaderValueAsync("authorization"));
        await console.ScreenshotAsync("session");
        await console.TestId("signout").ClickAsync();
        await Expect(console.TestId("signin-form")).ToBeVisibleAsync();
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('llm-router.session')"));

        // Logged out at the node too: the old token no longer works.
        var (status, _, _) = await AccessKit.SendAsync(traffic.Router, HttpMethod.Get, "/monitor/statistics", credential: token);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_key_typed_before_the_node_answers_401_is_still_there_to_sign_in_with()
    {
        // The header's own requests (who am I, the routing toggle) answer 401 to a remote browser; their answers
        // used to redraw the Session page and empty the key field typed meanwhile (one failed CI run).
        await using var console = await chromium.OpenAsync(traffic.Router, remote: true);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await console.Page.RouteAsync("**/*", async route =>
        {
            if (!new Uri(route.Request.Url).AbsolutePath.StartsWith("/ui/", StringComparison.Ordinal))
            {
                await answered.Task;
            }
            await route.FallbackAsync();
        });
        await console.GotoAsync("#/session");
        await console.TestId("signin-key").FillAsync(ConsoleTraffic.UserKey);
        answered.SetResult();

        await Expect(console.TestId("auth-status")).ToHaveTextAsync("Not signed in");
        await Expect(console.TestId("signin-key")).ToHaveValueAsync(ConsoleTraffic.UserKey);
        await console.TestId("signin-submit").ClickAsync();
        await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("0");
        await Expect(console.TestId("auth-status")).ToHaveTextAsync("Signed in: user (user)");
    }

    [Fact]
    public async Task A_session_revoked_elsewhere_sends_the_browser_back_to_sign_in()
    {
        await using var console = await chromium.OpenAsync(traffic.Router, remote: true);
        await console.GotoAsync("#/session");
        await console.TestId("signin-key").FillAsync(ConsoleTraffic.UserKey);
        await console.TestId("signin-submit").ClickAsync();
        await Expect(console.TestId("auth-status")).ToHaveTextAsync("Signed in: user (user)");
        var token = await console.Page.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('llm-router.session')).token");

        var (status, _, _) = await AccessKit.PostAsync(traffic.Router, "/auth/logout", "{}", credential: token);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);

        await console.TestId("nav-invocations").ClickAsync();
        await Expect(console.TestId("signin-banner")).ToBeVisibleAsync();
        await Expect(console.TestId("auth-status")).ToHaveTextAsync("Not signed in");
        Assert.Null(await console.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('llm-router.session')"));
    }

    [Fact]
    public async Task A_local_browser_needs_no_sign_in()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync();
        await Expect(console.TestId("card-requests-value")).ToHaveTextAsync("22");
        await Expect(console.TestId("auth-status")).ToHaveTextAsync("Local access");
        await Expect(console.TestId("signin-banner")).ToHaveCountAsync(0);
        Assert.All(console.Requests, r => Assert.Null(r.Headers.GetValueOrDefault("authorization")));
    }
}
