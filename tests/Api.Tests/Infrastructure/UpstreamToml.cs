using Anthropic;
using Anthropic.Core;

namespace LlmRouter.Api.Tests.Infrastructure;

/// <summary>router.toml pieces for tests that talk to the non-OpenAI fakes, and an Anthropic SDK client for a router.</summary>
public static class UpstreamToml
{
    /// <summary>The environment variable the providers below read their upstream key from, and its value.</summary>
    public const string KeyEnv = "FAKE_UPSTREAM_KEY";
    public const string Key = "sk-upstream-secret";

    public static Dictionary<string, string> Environment => new() { [KeyEnv] = Key };

    /// <summary>
    /// One provider and one model <c>{provider}/{model}</c> sent upstream as <paramref name="upstreamModel"/>;
    /// <paramref name="config"/> adds lines to its <c>[models.config]</c>.
    /// </summary>
    public static string Single(
        string type, Uri baseUrl, string upstreamModel, string provider = "up", string model = "m",
        string? settings = null, string modelExtra = "", string extra = "", string config = "") => $"""
        [server]
        host = "127.0.0.1"

        [[providers]]
        name = "{provider}"
        type = "{type}"
        api_key_env = "{KeyEnv}"
        base_url = "{baseUrl.ToString().TrimEnd('/')}"
        {(settings is null ? "" : "settings = " + settings)}

        [[models]]
        name = "{model}"
        provider = "{provider}"
        upstream_model = "{upstreamModel}"
        {modelExtra}
        [models.config]
        cost_per_1k_tokens = 1.0
        cost_per_1k_completion_tokens = 2.0
        {config}

        {extra}
        """;

    /// <summary>The official Anthropic SDK pointed at the router, without its own retries.</summary>
    public static AnthropicClient AnthropicClient(RouterHarness router) =>
        new(new ClientOptions { BaseUrl = router.BaseUrl.ToString().TrimEnd('/'), ApiKey = "client-key", MaxRetries = 0 });
}
