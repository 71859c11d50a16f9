using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests;

/// <summary>
/// Runs the real executable with debug logging through every path that handles a secret (key creation, login,
/// each credential place, refusals, logout), then searches its whole console output and every file it wrote.
/// </summary>
public sealed class SecretLeakTests
{
    [Fact]
    public async Task No_key_or_token_appears_in_the_log_output_or_the_store()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var directory = Path.Combine(Path.GetTempPath(), "llmrouter-tests", "leak-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        const string envKey = "sk-env-admin-leakcheck-0042";
        const string wrongKey = "sk-wrong-leakcheck-0099";
        var environment = AccessKit.Environment(
            ("LLM_ROUTER_API_KEYS", envKey),
            ("LLM_ROUTER_HOST", "127.0.0.1"),
            ("LLM_ROUTER_PORT", "0"),
            ("LLM_ROUTER_LOG_LEVEL", "DEBUG"),
            ("LLM_ROUTER_LOCALHOST_BYPASS", "false"),
            ("LLM_ROUTER_NODE_ID", "leak-node"));
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "router.toml"), AccessKit.Toml(fake.BaseUrl));
            string created, token;
            string output;
            await using (var node = await SiloProcess.StartAsync(directory, environment))
            {
                using var http = new HttpClient { BaseAddress = node.BaseUrl };
                http.DefaultRequestHeaders.Add("X-Forwarded-For", AccessKit.RemoteClient);

                created = (await SendAsync(http, HttpMethod.Post, "/api-keys", """{"name":"leak-check","role":"admin"}""", envKey, HttpStatusCode.Created))!["key"]!.GetValue<string>();
                token = (await SendAsync(http, HttpMethod.Post, "/auth/login", $$"""{"api_key":"{{created}}"}""", null, HttpStatusCode.OK))!["token"]!.GetValue<string>();
                await SendAsync(http, HttpMethod.Post, "/v1/chat/completions?api_key=" + created, AccessKit.ChatBody(), null, HttpStatusCode.OK);
                await SendAsync(http, HttpMethod.Post, "/v1/chat/completions", AccessKit.ChatBody(), token, HttpStatusCode.OK);
                await SendAsync(http, HttpMethod.Post, "/v1/chat/completions",
                    """{"model":"fake/gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}""", AccessKit.UserKey, HttpStatusCode.OK);
                await SendAsync(http, HttpMethod.Post, "/models/fake/gpt-test/invoke", """{"prompt":"hi"}""", AccessKit.LimitedKey, HttpStatusCode.OK);
                await SendAsync(http, HttpMethod.Post, "/v1/chat/completions", AccessKit.ChatBody(), wrongKey, HttpStatusCode.Unauthorized);
                await SendAsync(http, HttpMethod.Post, "/v1/chat/completions?api_key=" + wrongKey, AccessKit.ChatBody(), null, HttpStatusCode.Unauthorized);
                await SendAsync(http, HttpMethod.Post, "/auth/login", $$"""{"api_key":"{{wrongKey}}"}""", null, HttpStatusCode.Unauthorized);
                await SendAsync(http, HttpMethod.Post, "/v1/chat/completions", AccessKit.ChatBody(), AccessKit.DisabledKey, HttpStatusCode.Unauthorized);
                await SendAsync(http, HttpMethod.Get, "/api-keys", null, token, HttpStatusCode.OK);
                await SendAsync(http, HttpMethod.Post, "/auth/logout", "", token, HttpStatusCode.OK);
                await SendAsync(http, HttpMethod.Post, "/v1/chat/completions", AccessKit.ChatBody(), token, HttpStatusCode.Unauthorized);
                await node.StopAsync();
                output = node.Output;
            }

            // The capture works: the start-up line and the debug-level refusals are there.
            Assert.Contains("listening on", output, StringComparison.Ordinal);
            Assert.Contains("Refused POST /v1/chat/completions: invalid credential", output, StringComparison.Ordinal);
            string[] secrets = [created, token, token["lrs_".Length..], wrongKey, envKey, AccessKit.AdminKey, AccessKit.UserKey,
                AccessKit.LimitedKey, AccessKit.DisabledKey, AccessKit.UpstreamKey];
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
            }
            var files = Directory.GetFiles(directory).Where(f => Path.GetFileName(f) != "router.toml").ToArray();
            Assert.Contains(files, f => Path.GetFileName(f) == "llm_router.db");
            foreach (var file in files)
            {
                var bytes = await File.ReadAllBytesAsync(file);
                foreach (var secret in secrets)
                {
                    Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{Path.GetFileName(file)} holds a secret");
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<JsonNode?> SendAsync(HttpClient http, HttpMethod method, string path, string? body, string? bearer, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length > 0 && text[0] == '{' ? JsonNode.Parse(text) : null;
    }
}
