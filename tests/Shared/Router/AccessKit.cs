using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;

namespace LlmRouter.Tests.Shared;

/// <summary>Keys, configuration and request helpers shared by the access-control tests.</summary>
public static class AccessKit
{
    public const string AdminKey = "sk-test-admin-5f1c9a7e";
    public const string UserKey = "sk-test-user-8d02b4c1";
    public const string LimitedKey = "sk-test-limited-3e7a6f90";
    public const string ProviderLimitedKey = "sk-test-provider-41b8d2e6";
    public const string DisabledKey = "sk-test-disabled-7c3f0a12";
    public const string UpstreamKey = "sk-upstream-secret";

    /// <summary>A documentation address (RFC 5737): what a proxy would put in X-Forwarded-For for a remote client.</summary>
    public const string RemoteClient = "203.0.113.7";

    public static Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string>
        {
            ["FAKE_UPSTREAM_KEY"] = UpstreamKey,
            ["TEST_ADMIN_KEY"] = AdminKey,
            ["TEST_USER_KEY"] = UserKey,
            ["TEST_LIMITED_KEY"] = LimitedKey,
            ["TEST_PROVIDER_KEY"] = ProviderLimitedKey,
        };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }
        return variables;
    }

    /// <summary>Two providers on the same fake (fake: gpt-test, gpt-second; other: chat-x) and one key per policy.</summary>
    public static string Toml(Uri upstream) => RouterHarness.Toml(upstream, extra: $"""
        [[models]]
        name = "gpt-second"
        provider = "fake"
        tags = ["chat"]

        [[providers]]
        name = "other"
        type = "deepseek"
        api_key_env = "FAKE_UPSTREAM_KEY"
        base_url = "{upstream.ToString().TrimEnd('/')}"

        [[models]]
        name = "chat-x"
        provider = "other"

        [[api_keys]]
        name = "admin"
        key_env = "TEST_ADMIN_KEY"
        role = "admin"

        [[api_keys]]
        name = "user"
        key_env = "TEST_USER_KEY"

        [[api_keys]]
        name = "limited"
        key_env = "TEST_LIMITED_KEY"
        allowed_models = ["fake/gpt-test", "other/chat-x"]
        [api_keys.parameter_limits]
        max_tokens = 100
        temperature = 0.5
        top_p = 0.8

        [[api_keys]]
        name = "provider-limited"
        key_env = "TEST_PROVIDER_KEY"
        allowed_providers = ["other"]

        [[api_keys]]
        name = "off"
        key = "{DisabledKey}"
        is_active = false
        """);

    /// <summary>router.toml lines for a key admitted once a minute: its second call in a minute is refused with 429.</summary>
    public static string OneAMinuteKeyToml(string name, string key) => $"""
        [[api_keys]]
        name = "{name}"
        key = "{key}"
        [api_keys.rate_limit]
        max_requests = 1
        per_seconds = 60
        """;

    public static Task<(FakeOpenAiUpstream Fake, RouterHarness Router)> StartAsync(params (string Name, string Value)[] environment) =>
        StartAsync(extraToml: "", environment);

    /// <summary>A node on <see cref="Toml"/> with <paramref name="extraToml"/> appended.</summary>
    public static async Task<(FakeOpenAiUpstream Fake, RouterHarness Router)> StartAsync(string extraToml, params (string Name, string Value)[] environment)
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        try
        {
            return (fake, await RouterHarness.StartAsync(Toml(fake.BaseUrl) + extraToml, Environment(environment)));
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
    }

    /// <summary>The official OpenAI client; <paramref name="remote"/> adds X-Forwarded-For as a reverse proxy would.</summary>
    public static ChatClient OpenAiChat(RouterHarness router, string model, string apiKey, bool remote = true)
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(router.BaseUrl, "/v1") };
        if (remote)
        {
            options.AddPolicy(new HeaderPolicy("X-Forwarded-For", RemoteClient), PipelinePosition.PerCall);
        }
        return new ChatClient(model, new ApiKeyCredential(apiKey), options);
    }

    public static string ChatBody(string? model = "fake/gpt-test") => model is null
        ? """{"messages":[{"role":"user","content":"hi"}]}"""
        : $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""";

    /// <summary>Sends one request; the credential goes where <paramref name="place"/> says (bearer, header or query).</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        RouterHarness router, HttpMethod method, string path, string? body = null, string? credential = null,
        CredentialPlace place = CredentialPlace.Bearer, bool remote = true, params (string Name, string Value)[] headers)
    {
        if (credential is not null && place == CredentialPlace.Query)
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "api_key=" + Uri.EscapeDataString(credential);
        }
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        if (credential is not null && place == CredentialPlace.Bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }
        if (credential is not null && place == CredentialPlace.Header)
        {
            request.Headers.Add("X-API-Key", credential);
        }
        if (remote)
        {
            request.Headers.Add("X-Forwarded-For", RemoteClient);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await router.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public static Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(
        RouterHarness router, string path, string body, string? credential = null, CredentialPlace place = CredentialPlace.Bearer, bool remote = true) =>
        SendAsync(router, HttpMethod.Post, path, body, credential, place, remote);

    public static async Task<string> LoginAsync(RouterHarness router, string apiKey)
    {
        var (status, body, _) = await PostAsync(router, "/auth/login", new JsonObject { ["api_key"] = apiKey }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["token"]!.GetValue<string>();
    }

    /// <summary>Asserts an OpenAI-shaped error and returns its inner object.</summary>
    public static JsonNode AssertError(HttpStatusCode expected, string type, string code, (HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response) actual)
    {
        Assert.Equal(expected, actual.Status);
        var error = actual.Body!["error"]!;
        Assert.Equal(type, error["type"]!.GetValue<string>());
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        return error;
    }

    private sealed class HeaderPolicy(string name, string value) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(name, value);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
