namespace LlmRouter.Console.Tests;

/// <summary>The Cluster page (GET /cluster): listed for admins only, showing each silo and activations by grain type.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ClusterPageTests(ChromiumBrowser chromium, ConsoleTraffic traffic)
{
    [Fact]
    public async Task An_admin_sees_the_node_s_silo_with_its_role_and_status_in_both_languages()
    {
        await using var console = await chromium.OpenAsync(traffic.Router);
        await console.GotoAsync("#/overview");
        await console.TestId("nav-cluster").ClickAsync();

        var silo = console.TestId("silo-table").Locator("tbody tr");
        await Expect(silo).ToHaveCountAsync(1);
        await Expect(silo.GetByTestId("silo-name")).ToHaveTextAsync("test-node");
        await Expect(silo.GetByTestId("silo-role")).ToHaveTextAsync("gpu"); // the default roles silo,gpu
        await Expect(silo.GetByTestId("silo-status")).ToHaveTextAsync("active");
        await Expect(silo.GetByTestId("silo-activations")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await Expect(console.TestId("grain-types")).ToBeVisibleAsync();
        Assert.NotEmpty(console.ApiRequests("/cluster"));
        await console.ScreenshotAsync("cluster");

        await console.TestId("lang-switch").ClickAsync();
        await Expect(console.Page.Locator("h1")).ToHaveTextAsync("集群");
        await Expect(console.TestId("silo-table").Locator("tbody tr").GetByTestId("silo-status")).ToHaveTextAsync("运行中");
        await Expect(console.TestId("nav-cluster")).ToHaveTextAsync("集群");
    }

    [Fact]
    public async Task A_user_key_is_not_offered_the_page_and_an_admin_key_is()
    {
        await using (var user = await chromium.OpenAsync(traffic.Router, remote: true))
        {
            await user.SignInAsync(ConsoleTraffic.UserKey);
            await Expect(user.TestId("auth-status")).ToHaveTextAsync("Signed in: user (user)");
            await Expect(user.TestId("nav-cluster")).ToBeHiddenAsync();
            await user.GotoAsync("#/cluster");
            await Expect(user.TestId("cluster-admin-only")).ToContainTextAsync("The cluster view takes an admin key");
            await Expect(user.TestId("silo-table")).ToHaveCountAsync(0);
            Assert.Empty(user.ApiRequests("/cluster"));
        }

        await using var admin = await chromium.OpenAsync(traffic.Router, remote: true);
        await admin.SignInAsync(ConsoleTraffic.AdminKey);
        await Expect(admin.TestId("nav-cluster")).ToBeVisibleAsync();
        await admin.TestId("nav-cluster").ClickAsync();
        await Expect(admin.TestId("silo-table").Locator("tbody tr")).ToHaveCountAsync(1);
    }
}
