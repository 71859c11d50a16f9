using System.Net;
using LlmRouter.Api.Tests.Infrastructure;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Security;

/// <summary>
/// A provider defined over REST reads only the variables the operator lists, never the router's own LLM_ROUTER_*
/// (cluster secret, database URL), and only base URLs under the listed prefixes when there is a list.
/// </summary>
public sealed class RestProviderSecretTests
{
    private const string ClusterSecret = "cluster-secret-never-to-leave-0042";

    [Fact]
    public async Task A_rest_provider_cannot_name_the_routers_own_variables_even_when_prefixes_are_allowed()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_CLUSTER_SECRET", ClusterSecret), ("LLM_ROUTER_REST_API_KEY_ENVS", "FAKE_*"));
        await using var _ = fake;
        await using var __ = router;

        var own = await PostAsync(router, "/providers", Provider("steal", "LLM_ROUTER_CLUSTER_SECRET", fake.BaseUrl), AdminKey);
        var unlisted = await PostAsync(router, "/providers", Provider("steal2", "HOME", fake.BaseUrl), AdminKey);
        var listed = await PostAsync(router, "/providers", Provider("fine", "FAKE_UPSTREAM_KEY", fake.BaseUrl), AdminKey);

        Assert.Equal("api_key_env", AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", own)["param"]!.GetValue<string>());
        Assert.Equal("api_key_env", AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", unlisted)["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, listed.Status);
        var providers = await SendAsync(router, HttpMethod.Get, "/providers", credential: AdminKey);
        Assert.DoesNotContain(providers.Body!.AsArray(), p => p!["name"]!.GetValue<string>() is "steal" or "steal2");
    }

    [Fact]
    public async Task Without_a_list_a_rest_provider_may_name_no_variable_at_all()
    {
        var (fake, router) = await StartAsync(("LLM_ROUTER_CLUSTER_SECRET", ClusterSecret));
        await using var _ = fake;
        await using var __ = router;

        var refused = await PostAsync(router, "/providers", Provider("rest", "FAKE_UPSTREAM_KEY", fake.BaseUrl), AdminKey);
        var keyless = await PostAsync(router, "/providers", $$"""{"name":"keyless","type":"openai","base_url":"{{fake.BaseUrl.ToString().TrimEnd('/')}}"}""", AdminKey);

        AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", refused);
        Assert.Equal(HttpStatusCode.Created, keyless.Status);
    }

    [Fact]
    public async Task Base_urls_are_held_to_the_listed_prefixes_by_whole_segments()
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        await using var _ = fake;
        var allowed = fake.BaseUrl.ToString().TrimEnd('/');
        await using var router = await RouterHarness.StartAsync(
            AccessKit.Toml(fake.BaseUrl).Replace("[server]\n", $"[server]\nrest_base_urls = [\"{allowed}/v1\"]\n", StringComparison.Ordinal),
            AccessKit.Environment());

        var inside = await PostAsync(router, "/providers", $$"""{"name":"in","type":"openai","base_url":"{{allowed}}/v1"}""", AdminKey);
        var lookalike = await PostAsync(router, "/providers", $$"""{"name":"out","type":"openai","base_url":"{{allowed}}/v1evil"}""", AdminKey);
        var elsewhere = await PostAsync(router, "/providers", """{"name":"out2","type":"openai","base_url":"http://198.51.100.1:9"}""", AdminKey);

        Assert.Equal(HttpStatusCode.Created, inside.Status);
        Assert.Equal("base_url", AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", lookalike)["param"]!.GetValue<string>());
        AssertError(HttpStatusCode.BadRequest, "invalid_request_error", "invalid_value", elsewhere);
    }

    [Theory]
    [InlineData("LLM_ROUTER_*")]
    [InlineData("LLM_*")]
    [InlineData("LLM_ROUTER_CLUSTER_SECRET")]
    [InlineData("*")]
    public void Router_toml_may_not_open_the_routers_own_variables_to_rest_providers(string entry)
    {
        var toml = $"[server]\nport = 8000\nrest_api_key_envs = [\"OPENAI_API_KEY\", \"{entry}\"]\n";

        var failure = Assert.Throws<LlmRouter.Configuration.ConfigException>(() =>
            LlmRouter.Configuration.RouterConfigLoader.Parse(System.Text.Encoding.UTF8.GetBytes(toml), "router.toml", new LlmRouter.Abstractions.Configuration.RouterEnvironment([])));

        Assert.StartsWith("router.toml:3:1:", failure.Message, StringComparison.Ordinal);
    }

    private static string Provider(string name, string env, Uri upstream) =>
        $$"""{"name":"{{name}}","type":"openai","base_url":"{{upstream.ToString().TrimEnd('/')}}","api_key_env":"{{env}}"}""";
}
