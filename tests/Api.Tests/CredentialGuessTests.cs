using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests;

/// <summary>
/// Guessing credentials is slowed down: after ten invalid ones from one client address (per minute), every
/// credential from that address, even a valid one, gets 429 with Retry-After until the minute is over; other
/// addresses are not affected. Clients are told apart by the X-Forwarded-For entry their proxy (here: loopback, listed in
/// trusted_proxies) adds.
/// </summary>
public sealed class CredentialGuessTests
{
    private static readonly (string, string) TrustLoopbackProxy = ("LLM_ROUTER_TRUSTED_PROXIES", "127.0.0.1");

    [Fact]
    public async Task Ten_invalid_keys_from_one_address_lock_it_out_and_no_other()
    {
        var (fake, router) = await StartAsync(TrustLoopbackProxy);
        await using var _ = fake;
        await using var __ = router;

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await ModelsAsync(router, $"sk-guess-{i:D4}-0000000000", "198.51.100.7")).Status);
        }
        var locked = await ModelsAsync(router, "sk-guess-9999-0000000000", "198.51.100.7");
        var lockedValid = await ModelsAsync(router, UserKey, "198.51.100.7");
        var elsewhere = await ModelsAsync(router, UserKey, "198.51.100.8");

        foreach (var refused in new[] { locked, lockedValid })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            Assert.Equal("too_many_invalid_credentials", refused.Body!["error"]!["code"]!.GetValue<string>());
            Assert.InRange(refused.Response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        }
        Assert.Equal(HttpStatusCode.OK, elsewhere.Status);
    }

    [Fact]
    public async Task Login_counts_wrong_keys_and_then_refuses_even_the_right_one()
    {
        var (fake, router) = await StartAsync(TrustLoopbackProxy);
        await using var _ = fake;
        await using var __ = router;

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(router, $"sk-guess-{i:D4}-0000000000", "198.51.100.9")).Status);
        }
        var refused = await LoginAsync(router, UserKey, "198.51.100.9");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(router, UserKey, "198.51.100.10")).Status);
    }

    [Fact]
    public async Task Where_a_credential_is_optional_an_invalid_one_is_anonymous_and_never_locks_out()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        // A local request under the localhost rule: clients that must send some key often send a dummy.
        for (var i = 0; i < 20; i++)
        {
            var (status, _, _) = await SendAsync(router, HttpMethod.Get, "/v1/models", credential: "sk-dummy", remote: false);
            Assert.Equal(HttpStatusCode.OK, status);
        }
    }

    private static Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> ModelsAsync(RouterHarness router, string key, string client) =>
        SendAsync(router, HttpMethod.Get, "/v1/models", credential: key, remote: false, headers: [("X-Forwarded-For", client)]);

    private static Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> LoginAsync(RouterHarness router, string key, string client) =>
        SendAsync(router, HttpMethod.Post, "/auth/login", new JsonObject { ["api_key"] = key }.ToJsonString(), remote: false, headers: [("X-Forwarded-For", client)]);
}
