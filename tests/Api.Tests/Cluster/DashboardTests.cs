using System.Net;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Cluster;

/// <summary>Orleans' dashboard at /dashboard: off unless <c>[cluster] dashboard</c> turns it on, and then for admins only.</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task The_dashboard_answers_admin_keys_and_local_callers_and_refuses_anyone_else_in_the_routers_error_shape()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_DASHBOARD", "true"));
        await using var _ = fake;
        await using var __ = router;

        foreach (var path in new[] { "/dashboard/", "/dashboard/ClusterStats", "/dashboard/DashboardCounters" })
        {
            AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", await GetAsync(router, path));
            AssertError(HttpStatusCode.Unauthorized, "authentication_error", "invalid_api_key", await GetAsync(router, path, "sk-not-a-real-key-000"));
            AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", await GetAsync(router, path, UserKey));
        }

        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        pageRequest.Headers.Authorization = new("Bearer", AdminKey);
        pageRequest.Headers.Add("X-Forwarded-For", RemoteClient);
        using var page = await router.Http.SendAsync(pageRequest);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("index.min.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (status, stats, _) = await SendAsync(router, HttpMethod.Get, "/dashboard/ClusterStats", credential: AdminKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(stats);
        var local = await SendAsync(router, HttpMethod.Get, "/dashboard/ClusterStats", remote: false);
        Assert.Equal(HttpStatusCode.OK, local.Status);
    }

    [Fact]
    public async Task Without_the_setting_there_is_no_dashboard()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", await GetAsync(router, "/dashboard/", AdminKey));
        AssertError(HttpStatusCode.NotFound, "invalid_request_error", "not_found", await GetAsync(router, "/dashboard/ClusterStats", AdminKey));
    }

    private static Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body, HttpResponseMessage Response)> GetAsync(
        RouterHarness router, string path, string? credential = null) =>
        SendAsync(router, HttpMethod.Get, path, credential: credential);
}
