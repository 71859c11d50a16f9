using System.Net;
using System.Text;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Security;

/// <summary>
/// A web page in the user's browser must not reach the router as a local caller: no simple (preflight-free)
/// cross-site request reaches a handler, a request a browser marks as cross-site is refused (inference with a key
/// excepted, and then without the localhost rule), and a DNS-rebinding page naming its own host is refused.
/// </summary>
public sealed class BrowserAttackTests
{
    private const string NewKey = """{"name":"planted","role":"admin","key":"sk-planted-by-a-web-page-0001"}""";

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task A_simple_cross_site_post_never_reaches_a_handler(string? contentType)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api-keys") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(NewKey)) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var response = await router.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("unsupported_media_type", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNoPlantedKeyAsync(router);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_even_with_a_json_body_and_no_key_is_made()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var foreign = await SendAsync(router, HttpMethod.Post, "/api-keys", NewKey, remote: false, headers: [("Origin", "http://evil.example")]);
        var nullOrigin = await SendAsync(router, HttpMethod.Post, "/api-keys", NewKey, remote: false, headers: [("Origin", "null")]);
        var otherPort = await SendAsync(router, HttpMethod.Post, "/api-keys", NewKey, remote: false, headers: [("Origin", "http://127.0.0.1:1")]);
        var fetchSite = await SendAsync(router, HttpMethod.Get, "/monitor/invocations", remote: false, headers: [("Sec-Fetch-Site", "cross-site")]);

        foreach (var refused in new[] { foreign, nullOrigin, otherPort, fetchSite })
        {
            AssertError(HttpStatusCode.Forbidden, "permission_error", "cross_site_request", refused);
        }
        await AssertNoPlantedKeyAsync(router);
    }

    [Fact]
    public async Task The_routers_own_origin_is_served_as_before()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var own = $"http://127.0.0.1:{router.BaseUrl.Port}";

        var created = await SendAsync(router, HttpMethod.Post, "/api-keys", NewKey, remote: false,
            headers: [("Origin", own), ("Sec-Fetch-Site", "same-origin")]);

        Assert.Equal(HttpStatusCode.Created, created.Status);
    }

    [Fact]
    public async Task A_cross_site_inference_call_needs_a_real_key_even_from_this_machine()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        (string, string)[] crossSite = [("Origin", "http://app.example"), ("Sec-Fetch-Site", "cross-site")];

        var withKey = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody(), UserKey, remote: false, headers: crossSite);
        var withoutKey = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody(), remote: false, headers: crossSite);
        var dummyKey = await SendAsync(router, HttpMethod.Post, "/v1/chat/completions", ChatBody(), "sk-dummy", remote: false, headers: crossSite);
        var adminWithKey = await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey, remote: false, headers: crossSite);

        Assert.Equal(HttpStatusCode.OK, withKey.Status);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "cross_site_request", withoutKey);
        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", dummyKey);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "cross_site_request", adminWithKey);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task A_rebinding_host_name_is_refused_to_local_callers_and_a_listed_one_is_served()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_ALLOWED_HOSTS", "router.internal"));
        await using var _ = fake;
        await using var __ = router;

        var rebound = await SendAsync(router, HttpMethod.Get, "/api-keys", remote: false, headers: [("Host", $"evil.example:{router.BaseUrl.Port}")]);
        var listed = await SendAsync(router, HttpMethod.Get, "/api-keys", remote: false, headers: [("Host", $"router.internal:{router.BaseUrl.Port}")]);
        var localhost = await SendAsync(router, HttpMethod.Get, "/api-keys", remote: false, headers: [("Host", $"localhost:{router.BaseUrl.Port}")]);
        var loopback = await SendAsync(router, HttpMethod.Get, "/api-keys", remote: false, headers: [("Host", $"127.0.0.2:{router.BaseUrl.Port}")]);

        AssertError(HttpStatusCode.MisdirectedRequest, "invalid_request_error", "host_not_allowed", rebound);
        Assert.DoesNotContain("sk-", rebound.Body!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(HttpStatusCode.OK, localhost.Status);
        Assert.Equal(HttpStatusCode.OK, loopback.Status);
    }

    [Fact]
    public async Task The_anthropic_api_answers_refusals_in_its_own_shape()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"fake/gpt-test","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "text/plain"),
        };
        using var response = await router.Http.SendAsync(request);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Empty(fake.Requests);
    }

    private static async Task AssertNoPlantedKeyAsync(RouterHarness router)
    {
        var keys = await SendAsync(router, HttpMethod.Get, "/api-keys", credential: AdminKey);
        Assert.Equal(HttpStatusCode.OK, keys.Status);
        Assert.DoesNotContain(keys.Body!.AsArray(), k => k!["name"]!.GetValue<string>() == "planted");
        var planted = await SendAsync(router, HttpMethod.Get, "/v1/models", credential: "sk-planted-by-a-web-page-0001");
        Assert.Equal(HttpStatusCode.Unauthorized, planted.Status);
    }
}
