using System.Net;
using LlmRouter.Api.Tests.Infrastructure;
using Orleans;
using Orleans.Runtime;

namespace LlmRouter.Api.Tests.Limits;

/// <summary>A call that no window or budget applies to is admitted without a grain call; a limited one asks its grain.</summary>
public sealed class UnlimitedAdmissionTests
{
    [Fact]
    public async Task A_model_without_limits_is_called_without_activating_a_limit_grain_and_a_limited_one_activates_its_own()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var toml = RouterHarness.Toml(fake.BaseUrl) + $"""

            [[models]]
            name = "gpt-limited"
            provider = "fake"
            upstream_model = "gpt-4o-mini"
            [models.rate_limit]
            max_requests = 100
            per_seconds = 60
            """;
        await using var router = await RouterHarness.StartAsync(toml);
        var management = router.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);

        using var open = await router.Http.PostAsync("/v1/chat/completions", Json("fake/gpt-test"));
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.False(open.Headers.Contains("server-timing"));
        Assert.Empty(await LimitGrainsAsync(management));

        using var limited = await router.Http.PostAsync("/v1/chat/completions", Json("fake/gpt-limited"));
        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.Equal("100", limited.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal(["ModelGrain"], await LimitGrainsAsync(management));
    }

    private static StringContent Json(string model) =>
        new($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json");

    private static async Task<string[]> LimitGrainsAsync(IManagementGrain management) =>
        (await management.GetSimpleGrainStatistics())
            .Where(s => s.ActivationCount > 0 && (s.GrainType.Contains("ModelGrain", StringComparison.Ordinal) || s.GrainType.Contains("ApiKeyGrain", StringComparison.Ordinal)))
            .Select(s => s.GrainType.Split(',')[0].Split('.')[^1])
            .ToArray();
}
