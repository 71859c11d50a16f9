using System.Net;

namespace LlmRouter.Console.Tests;

/// <summary>How the node serves the console's files (plain HTTP, no browser).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleFilesTests(ConsoleTraffic traffic)
{
    [Fact]
    public async Task Ui_redirects_to_the_console_which_loads_without_credentials_even_remotely()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = traffic.Router.BaseUrl };
        using var redirect = await http.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/ui/", redirect.Headers.Location!.OriginalString);

        using var remote = new HttpRequestMessage(HttpMethod.Get, "/ui/");
        remote.Headers.Add("X-Forwarded-For", AccessKit.RemoteClient);
        using var index = await traffic.Router.Http.SendAsync(remote);
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", index.Headers.CacheControl!.ToString());
        var policy = index.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);

        // The data behind it still needs a credential from a remote client.
        var (monitor, _, _) = await AccessKit.SendAsync(traffic.Router, HttpMethod.Get, "/monitor/statistics", remote: true);
        Assert.Equal(HttpStatusCode.Unauthorized, monitor);
    }

    [Fact]
    public async Task Assets_are_cached_for_good_and_nothing_outside_the_console_is_served()
    {
        var html = await traffic.Router.Http.GetStringAsync("/ui/");
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/ui/assets/[^\"]+\\.js)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        // Only the node's own files: no address of another host anywhere in the page.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);

        using var asset = await traffic.Router.Http.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl!.ToString());
        Assert.NotNull(asset.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, script);
        again.Headers.IfNoneMatch.Add(asset.Headers.ETag!);
        using var notModified = await traffic.Router.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        foreach (var path in new[] { "/ui/missing.js", "/ui/..%2F..%2FLlmRouter.Silo.dll", "/ui/%2E%2E/LlmRouter.Silo.dll", "/ui/.hidden", "/ui/assets/..%5C..%5Cindex.html" })
        {
            using var response = await traffic.Router.Http.GetAsync(path);
            Assert.True(HttpStatusCode.NotFound == response.StatusCode, $"{path}: {response.StatusCode}");
        }
        using (var missing = await traffic.Router.Http.GetAsync("/ui/missing.js"))
        {
            Assert.Contains("\"not_found\"", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
