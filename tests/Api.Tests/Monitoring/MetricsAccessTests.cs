using System.Net;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>/metrics follows the API's authentication unless the operator makes it public for a Prometheus scraper.</summary>
public sealed class MetricsAccessTests
{
    private static Dictionary<string, string> Remote(bool metricsPublic) => new()
    {
        ["LLM_ROUTER_LOCALHOST_BYPASS"] = "false",
        ["LLM_ROUTER_METRICS_PUBLIC"] = metricsPublic ? "true" : "false",
    };

    [Theory]
    [InlineData(false, HttpStatusCode.Unauthorized)]
    [InlineData(true, HttpStatusCode.OK)]
    public async Task A_scraper_without_a_key_gets_metrics_only_when_they_are_public(bool metricsPublic, HttpStatusCode expected)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), Remote(metricsPublic));

        using var metrics = await router.Http.GetAsync("/metrics");
        using var monitor = await router.Http.GetAsync("/monitor/statistics");

        Assert.Equal(expected, metrics.StatusCode);
        // Only /metrics opens up: the rest of the API still wants a credential.
        Assert.Equal(HttpStatusCode.Unauthorized, monitor.StatusCode);
        if (metricsPublic)
        {
            Assert.Contains("llm_router_in_flight_requests", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Exported_metrics_go_to_admin_keys_and_a_user_key_or_hostile_caller_gets_an_error_without_series()
    {
        var (fake, router) = await AccessKit.StartAsync(("LLM_ROUTER_METRICS_PUBLIC", "false"));
        await using var _ = fake;
        await using var __ = router;

        var (userStatus, userText) = await ScrapeAsync(router, HttpMethod.Get, AccessKit.UserKey);
        var (adminStatus, adminText) = await ScrapeAsync(router, HttpMethod.Get, AccessKit.AdminKey);
        var guessed = await AccessKit.SendAsync(router, HttpMethod.Get, "/metrics", credential: "sk-not-a-real-key-000");
        var disabled = await AccessKit.SendAsync(router, HttpMethod.Get, "/metrics", credential: AccessKit.DisabledKey);
        var (postStatus, postText) = await ScrapeAsync(router, HttpMethod.Post, AccessKit.AdminKey);

        // Series name every key and its spend, so a user key (which sees only its own calls in /monitor and /cost)
        // gets none of them: like /router/metrics, /metrics is for admins unless the operator makes it public.
        Assert.Equal(HttpStatusCode.Forbidden, userStatus);
        Assert.Contains("admin_required", userText, StringComparison.Ordinal);
        Assert.DoesNotContain("llm_router_", userText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, adminStatus);
        Assert.Contains("llm_router_in_flight_requests{node=\"test-node\"} 0", adminText, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", adminText, StringComparison.Ordinal);
        AccessKit.AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", guessed);
        Assert.DoesNotContain("llm_router_", guessed.Body!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, disabled.Status);
        // Only GET scrapes: another method gets the router's 405, never the exporter.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, postStatus);
        Assert.DoesNotContain("llm_router_", postText, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Text)> ScrapeAsync(RouterHarness router, HttpMethod method, string key)
    {
        using var request = new HttpRequestMessage(method, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("X-Forwarded-For", AccessKit.RemoteClient);
        using var response = await router.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
