using System.Net;
using System.Net.Http.Headers;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests;

/// <summary>
/// Node-to-node endpoints are guarded by the cluster secret, not by API keys: a remote peer (no localhost bypass)
/// presenting the secret as its bearer token must reach them, and one without it must not.
/// </summary>
public sealed class InternalEndpointAuthTests
{
    [Fact]
    public async Task A_remote_peer_with_the_cluster_secret_reaches_the_internal_endpoints()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), new Dictionary<string, string>
        {
            ["LLM_ROUTER_CLUSTER_SECRET"] = "cluster-secret-for-tests",
            ["LLM_ROUTER_LOCALHOST_BYPASS"] = "false",
        });

        using var withSecret = new HttpRequestMessage(HttpMethod.Get, "/internal/local/v1/models");
        withSecret.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "cluster-secret-for-tests");
        withSecret.Headers.Add("X-Forwarded-For", "198.51.100.7");
        using var allowed = await router.Http.SendAsync(withSecret);

        using var wrongSecret = new HttpRequestMessage(HttpMethod.Get, "/internal/local/v1/models");
        wrongSecret.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        using var refused = await router.Http.SendAsync(wrongSecret);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("invalid_cluster_secret", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
