namespace LlmRouter.Console.Tests;

/// <summary>Each role sees what it can do, and the Session page says who is signed in (GET /auth/me).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RoleTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    [Fact]
    public async Task A_user_key_sees_no_admin_controls_and_is_told_who_it_is()
    {
        await using var console = await SignedInAsync(ConsoleTraffic.UserKey);
        await Expect(console.TestId("auth-status")).ToHaveTextAsync("Signed in: user (user)");
        // The routing state, but no way to switch it.
        await Expect(console.TestId("toggle-state")).ToHaveTextAsync("On");
        await Expect(console.TestId("toggle-button")).ToHaveCountAsync(0);

        await console.TestId("nav-keys").ClickAsync();
        await Expect(console.TestId("key-list")).ToBeVisibleAsync();
        await Expect(console.TestId("create-form")).ToHaveCountAsync(0);
        await Expect(console.TestId("key-create")).ToHaveCountAsync(0);

        await console.TestId("nav-session").ClickAsync();
        await Expect(console.TestId("who-key")).ToContainTextAsync("Signed in with the key user (role: user)");
        await Expect(console.TestId("who-key")).ToContainTextAsync("may watch, but not manage keys or routing.");
        await Expect(console.Page.Locator("main")).Not.ToContainTextAsync("machine");
        await console.ScreenshotAsync("session-user");

        await console.TestId("lang-switch").ClickAsync();
        await Expect(console.TestId("who-key")).ToContainTextAsync("已使用密钥 user 登录（角色：普通用户）");
        await Expect(console.TestId("auth-status")).ToHaveTextAsync("已登录：user（普通用户）");
    }

    [Fact]
    public async Task An_admin_key_gets_the_toggle_and_the_key_form()
    {
        await using var console = await SignedInAsync(ConsoleTraffic.AdminKey);
        await Expect(console.TestId("auth-status")).ToHaveTextAsync("Signed in: admin (admin)");
        await Expect(console.TestId("toggle-button")).ToHaveTextAsync("Turn off");

        await console.TestId("nav-keys").ClickAsync();
        await Expect(console.TestId("create-form")).ToBeVisibleAsync();
        await Expect(console.TestId("key-table").Locator("tr[data-key='user']")).ToBeVisibleAsync();

        await console.TestId("nav-session").ClickAsync();
        await Expect(console.TestId("who-key")).ToContainTextAsync("Signed in with the key admin (role: admin)");
        await Expect(console.TestId("who-key")).ToContainTextAsync("may manage keys, models and routing.");
    }

    [Fact]
    public async Task Only_a_browser_on_the_node_s_machine_is_told_it_needs_no_sign_in()
    {
        await using (var remote = await chromium.OpenAsync(traffic.Router, remote: true))
        {
            await remote.GotoAsync("#/session");
            await Expect(remote.TestId("who-nobody")).ToContainTextAsync("Sign in with an API key to use the console.");
            await Expect(remote.TestId("signin-form")).ToBeVisibleAsync();
            await Expect(remote.Page.Locator("main")).Not.ToContainTextAsync("machine");
        }

        await using var local = await chromium.OpenAsync(traffic.Router);
        await local.GotoAsync("#/session");
        await Expect(local.TestId("who-local")).ToContainTextAsync("This browser is on the node's own machine");
        await Expect(local.TestId("auth-status")).ToHaveTextAsync("Local access");
        await Expect(local.TestId("toggle-button")).ToBeVisibleAsync();
    }

    private async Task<ConsolePage> SignedInAsync(string key)
    {
        var console = await chromium.OpenAsync(traffic.Router, remote: true);
        await console.SignInAsync(key);
        return console;
    }
}
