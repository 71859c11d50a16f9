using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Security;

/// <summary>
/// Whatever came through a proxy is remote, whichever header the proxy added; and a client address read from
/// X-Forwarded-For is believed only from the proxies the operator lists.
/// </summary>
public sealed class ProxyTrustTests
{
    [Theory]
    [InlineData("Via", "1.1 edge-proxy")]
    [InlineData("X-Client-IP", "203.0.113.9")]
    [InlineData("CF-Connecting-IP", "203.0.113.9")]
    [InlineData("True-Client-IP", "203.0.113.9")]
    [InlineData("X-Forwarded-Host", "router.example.com")]
    [InlineData("X-Forwarded-Proto", "https")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    public async Task A_loopback_request_carrying_a_proxy_header_is_not_local(string header, string value)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var proxied = await SendAsync(router, HttpMethod.Get, "/api-keys", remote: false, headers: [(header, value)]);
        var local = await SendAsync(router, HttpMethod.Get, "/api-keys", remote: false);

        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", proxied);
        Assert.Equal(HttpStatusCode.OK, local.Status);
    }

    [Fact]
    public async Task A_new_forwarded_address_each_time_does_not_dodge_the_guessing_lockout()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        for (var i = 0; i < 10; i++)
        {
            var guess = await SendAsync(router, HttpMethod.Get, "/v1/models", credential: $"sk-guess-{i:D4}-0000000000", remote: false,
                headers: [("X-Forwarded-For", $"198.51.100.{i + 1}")]);
            Assert.Equal(HttpStatusCode.Unauthorized, guess.Status);
        }
        var next = await SendAsync(router, HttpMethod.Get, "/v1/models", credential: UserKey, remote: false, headers: [("X-Forwarded-For", "198.51.100.200")]);

        AssertError(HttpStatusCode.TooManyRequests, "rate_limit_error", "too_many_invalid_credentials", next);
    }

    [Fact]
    public async Task A_listed_proxy_names_the_client_and_entries_it_did_not_add_are_not_believed()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_TRUSTED_PROXIES", "127.0.0.1,10.0.0.0/8"));
        await using var _ = fake;
        await using var __ = router;

        // The client wrote "203.0.113.50" itself; the listed proxies (10.1.2.3, then this loopback one) appended the rest.
        for (var i = 0; i < 10; i++)
        {
            await SendAsync(router, HttpMethod.Get, "/v1/models", credential: $"sk-guess-{i:D4}-0000000000", remote: false,
                headers: [("X-Forwarded-For", $"203.0.113.{i + 50}, 198.51.100.7, 10.1.2.3")]);
        }
        var sameClient = await SendAsync(router, HttpMethod.Get, "/v1/models", credential: UserKey, remote: false,
            headers: [("X-Forwarded-For", "198.51.100.7, 10.9.9.9")]);
        var otherClient = await SendAsync(router, HttpMethod.Get, "/v1/models", credential: UserKey, remote: false,
            headers: [("X-Forwarded-For", "198.51.100.8, 10.1.2.3")]);

        Assert.Equal(HttpStatusCode.TooManyRequests, sameClient.Status);
        Assert.Equal(HttpStatusCode.OK, otherClient.Status);
    }

    [Fact]
    public async Task A_trusted_proxy_list_that_is_not_addresses_stops_the_node()
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        await using var _ = fake;

        var failure = await Assert.ThrowsAsync<LlmRouter.Configuration.ConfigException>(() =>
            RouterHarness.StartAsync(AccessKit.Toml(fake.BaseUrl), AccessKit.Environment(("LLM_ROUTER_TRUSTED_PROXIES", "proxy.internal"))));

        Assert.Contains("proxy.internal", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_locked_out_address_is_refused_at_login_before_its_body_is_read()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        for (var i = 0; i < 10; i++)
        {
            await SendAsync(router, HttpMethod.Post, "/auth/login", new JsonObject { ["api_key"] = $"sk-guess-{i:D4}-0000000000" }.ToJsonString(), remote: false);
        }
        // Not even valid JSON: a refusal that came after reading the body would be a 400.
        var refused = await SendAsync(router, HttpMethod.Post, "/auth/login", "{not json", remote: false);

        AssertError(HttpStatusCode.TooManyRequests, "rate_limit_error", "too_many_invalid_credentials", refused);
    }
}
