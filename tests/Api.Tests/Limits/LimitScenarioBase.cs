using System.Globalization;
using System.Text;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Limits;

/// <summary>
/// What the limit scenarios share: a node on the store under test, with a provider (and so model and key names) of
/// its own, because a PostgreSQL database is shared by the tests of a class.
/// </summary>
public abstract class LimitScenarioBase
{
    private static readonly Dictionary<string, string> UpstreamKey = new() { ["FAKE_UPSTREAM_KEY"] = "sk-upstream-secret" };

    protected string Provider { get; } = "p" + Guid.NewGuid().ToString("N")[..10];

    protected abstract Task<Dictionary<string, string>> StoreEnvironmentAsync();

    /// <summary>A node with model <c>{Provider}/gpt-test</c> limited by <paramref name="rateLimit"/>, plus <paramref name="extra"/> TOML.</summary>
    protected async Task<RouterHarness> StartAsync(FakeOpenAiUpstream fake, string rateLimit, string extra = "", IDictionary<string, string>? environment = null)
    {
        var models = $"""
            [[models]]
            name = "gpt-test"
            provider = "{Provider}"
            [models.rate_limit]
            {rateLimit}
            [models.config]
            cost_per_1k_tokens = 0.5
            cost_per_1k_completion_tokens = 1.5
            """;
        var variables = new Dictionary<string, string>(UpstreamKey);
        foreach (var (name, value) in await StoreEnvironmentAsync())
        {
            variables[name] = value;
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        return await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl, models, Provider, extra), variables);
    }

    /// <summary>POSTs a chat body (MODEL stands for this test's model), with <paramref name="apiKey"/> as a Bearer credential.</summary>
    protected Task<HttpResponseMessage> PostAsync(RouterHarness router, string body, string? apiKey = null, string path = "/v1/chat/completions")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body.Replace("MODEL", Provider + "/gpt-test", StringComparison.Ordinal)) };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new("Bearer", apiKey);
        }
        return router.Http.SendAsync(request);
    }

    protected static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    protected static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    protected static long Seconds(string? header) => long.Parse(header!, CultureInfo.InvariantCulture);

    /// <summary>This test's invocations.</summary>
    protected async Task<IReadOnlyList<InvocationRecord>> InvocationsAsync(RouterHarness router) =>
        (await router.InvocationsAsync()).Where(r => r.Provider == Provider).ToArray();

    protected async Task<IReadOnlyList<InvocationRecord>> WaitForAsync(RouterHarness router, int count)
    {
        for (var i = 0; i < 200; i++)
        {
            var records = await InvocationsAsync(router);
            if (records.Count >= count)
            {
                return records;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"fewer than {count} invocations were logged");
    }
}
