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
}
