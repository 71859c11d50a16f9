using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Console.Tests;

/// <summary>
/// A page of another site, open in a browser on the router's machine, tries to make itself an admin key on the
/// local router — the attack the localhost rule invites. Chromium maps the attacker's name, evil.test, to this
/// machine, so the page is cross-site to the router yet everything stays on loopback.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CrossSiteAttackTests(ChromiumBrowser chromium)
{
    [Fact]
    public async Task A_page_of_another_site_cannot_create_a_key_by_fetch_or_by_form_post()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync();
        await using var _ = fake;
        await using var __ = router;
        var target = $"http://127.0.0.1:{router.BaseUrl.Port}/api-keys";
        await using var attacker = await AttackerSite.StartAsync($$"""
            <!doctype html><html><body>
            <form id="f" method="POST" enctype="text/plain" action="{{target}}" target="sink">
              <input name='{"name":"planted-by-form","role":"admin","key":"sk-planted-form-000000000001","x":"' value='"}'>
            </form>
            <iframe name="sink"></iframe>
            <script>
              fetch("{{target}}", { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" },
                body: JSON.stringify({ name: "planted-by-fetch", role: "admin", key: "sk-planted-fetch-00000000001" }) })
                .finally(() => document.getElementById("f").submit());
            </script>
            </body></html>
            """);
        await using var browser = await chromium.LaunchAsync("--host-resolver-rules=MAP evil.test 127.0.0.1");
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { ServiceWorkers = ServiceWorkerPolicy.Block })).NewPageAsync();
        var answers = new List<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/api-keys", StringComparison.Ordinal))
            {
                lock (answers)
                {
                    answers.Add(response);
                }
            }
        };

        await page.GotoAsync($"http://evil.test:{attacker.Port}/");
        for (var waited = 0; Count(answers) < 2 && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        // Both attempts reached the router, and both were turned away before any handler ran.
        Assert.Equal(2, Count(answers));
        Assert.All(answers, a => Assert.True(a.Status is 403 or 415, $"{a.Request.Method} answered {a.Status}"));
        var keys = await AccessKit.SendAsync(router, HttpMethod.Get, "/api-keys", credential: AccessKit.AdminKey);
        Assert.Equal(HttpStatusCode.OK, keys.Status);
        Assert.DoesNotContain(keys.Body!.AsArray(), k => k!["name"]!.GetValue<string>().StartsWith("planted", StringComparison.Ordinal));
        foreach (var planted in new[] { "sk-planted-form-000000000001", "sk-planted-fetch-00000000001" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await AccessKit.SendAsync(router, HttpMethod.Get, "/v1/models", credential: planted)).Status);
        }
    }

    [Fact]
    public async Task A_rebinding_page_that_names_its_own_host_gets_nothing_from_the_router()
    {
        var (fake, router) = await ConsoleTraffic.StartNodeAsync();
        await using var _ = fake;
        await using var __ = router;
        await using var browser = await chromium.LaunchAsync("--host-resolver-rules=MAP evil.test 127.0.0.1");
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions { ServiceWorkers = ServiceWorkerPolicy.Block })).NewPageAsync();

        // After rebinding, evil.test is this machine: the page and the router now share an origin.
        var visit = await page.GotoAsync($"http://evil.test:{router.BaseUrl.Port}/ui/");
        var read = await page.EvaluateAsync<int>("() => fetch('/api-keys').then(r => r.status)");

        Assert.Equal(421, visit!.Status);
        Assert.Equal(421, read);
    }

    private static int Count(List<IResponse> answers)
    {
        lock (answers)
        {
            return answers.Count;
        }
    }

    // The shared browser cannot take a resolver rule, so each test launches its own, in which evil.test is this machine.

    /// <summary>The attacker's web site: one page, on a loopback port of its own.</summary>
    private sealed class AttackerSite : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private AttackerSite(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<AttackerSite> StartAsync(string html)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.Run(http =>
            {
                http.Response.ContentType = "text/html; charset=utf-8";
                return http.Response.WriteAsync(html);
            });
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return new AttackerSite(app, address.Port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
