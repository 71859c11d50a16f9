using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Cluster;

/// <summary>
/// Operators see the cluster: GET /health lists the silos to admin callers only (silo addresses are internal), and
/// GET /cluster answers admins with silos, roles, status and activations by grain type.
/// </summary>
public sealed class ClusterOverviewTests
{
    [Fact]
    public async Task Health_lists_the_silo_to_an_admin_key_and_a_local_caller_only()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;

        var anonymous = await SendAsync(router, HttpMethod.Get, "/health");
        var user = await SendAsync(router, HttpMethod.Get, "/health", credential: UserKey);
        var wrong = await SendAsync(router, HttpMethod.Get, "/health", credential: "sk-not-a-real-key-000");
        var admin = await SendAsync(router, HttpMethod.Get, "/health", credential: AdminKey);
        var local = await SendAsync(router, HttpMethod.Get, "/health", remote: false);

        foreach (var (status, body, _) in new[] { anonymous, user, wrong })
        {
            Assert.Equal(HttpStatusCode.OK, status);
            // Exactly today's fields: an anonymous or non-admin caller learns nothing more than before.
            Assert.Equal(["status", "version", "node", "storage", "providers"], body!.AsObject().Select(p => p.Key));
        }
        foreach (var (status, body, _) in new[] { admin, local })
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("ok", body!["status"]!.GetValue<string>());
            var silo = Assert.Single(body["silos"]!.AsArray())!;
            AssertSilo(silo);
            Assert.Null(silo["activations"]);
            Assert.Null(silo["grains"]);
        }
    }

    [Fact]
    public async Task Cluster_answers_admins_only_with_silos_and_activations_by_grain_type()
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        var call = await PostAsync(router, "/v1/chat/completions", ChatBody("fake/gpt-limited"), UserKey);
        Assert.Equal(HttpStatusCode.OK, call.Status);

        var anonymous = await SendAsync(router, HttpMethod.Get, "/cluster");
        var user = await SendAsync(router, HttpMethod.Get, "/cluster", credential: UserKey);
        var admin = await SendAsync(router, HttpMethod.Get, "/cluster", credential: AdminKey);
        var local = await SendAsync(router, HttpMethod.Get, "/cluster", remote: false);

        AssertError(HttpStatusCode.Unauthorized, "authentication_error", "missing_api_key", anonymous);
        AssertError(HttpStatusCode.Forbidden, "permission_error", "admin_required", user);
        Assert.Equal(HttpStatusCode.OK, local.Status);
        Assert.Equal(HttpStatusCode.OK, admin.Status);
        var silo = Assert.Single(admin.Body!["silos"]!.AsArray())!;
        AssertSilo(silo);
        var activations = admin.Body["activations"]!.AsArray()
            .ToDictionary(a => a!["grain_type"]!.GetValue<string>(), a => a!["activations"]!.GetValue<int>());
        // The call to the limited model was admitted by the key's grain and the model's grain: one activation each.
        Assert.Equal(1, activations["LlmRouter.Grains.Limits.ModelGrain"]);
        Assert.Equal(1, activations["LlmRouter.Grains.Limits.ApiKeyGrain"]);
        Assert.Equal(activations.Values.Sum(), silo["activations"]!.GetValue<int>());
        Assert.Equal(activations, silo["grains"]!.AsArray()
            .ToDictionary(a => a!["grain_type"]!.GetValue<string>(), a => a!["activations"]!.GetValue<int>()));
    }

    private static void AssertSilo(JsonNode silo)
    {
        Assert.Equal("active", silo["status"]!.GetValue<string>());
        // The default roles are silo,gpu: a silo that may host local models, which its metadata calls gpu.
        Assert.Equal("gpu", silo["role"]!.GetValue<string>());
        // A silo is named by its node id.
        Assert.Equal("test-node", silo["name"]!.GetValue<string>());
        Assert.Matches(@"^\S+:\d+@\d+$", silo["address"]!.GetValue<string>());
        var started = DateTimeOffset.Parse(silo["started_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(started, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(5));
    }

    private static Task<(FakeOpenAiUpstream Fake, RouterHarness Router)> StartAsync() => AccessKit.StartAsync("""

        [[models]]
        name = "gpt-limited"
        provider = "fake"
        [models.rate_limit]
        max_requests = 100
        per_seconds = 60
        """);
}
