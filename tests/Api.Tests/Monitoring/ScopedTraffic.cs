using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.Monitoring;

/// <summary>
/// One node that has served calls from two user keys (alice twice, bob once on another provider) and an admin key,
/// all from a remote client, for the tests of monitoring scoped to the caller.
/// </summary>
public sealed class ScopedTraffic : IAsyncLifetime
{
    public const string AliceKey = "sk-test-alice-6b1e0d93";
    public const string BobKey = "sk-test-bob-2f9c7a15";
    public const int TotalCalls = 4;

    private FakeOpenAiUpstream _fake = null!;

    public RouterHarness Router { get; private set; } = null!;

    /// <summary>Every logged call, read from the store itself (not through the scoped API).</summary>
    public IReadOnlyList<(long Id, string Key, string KeyId, decimal Cost)> Calls { get; private set; } = [];

    public long CallsBy(string name) => Calls.Count(c => c.Key == name);

    public IReadOnlyList<long> IdsBy(string name) => Calls.Where(c => c.Key == name).Select(c => c.Id).ToArray();

    public string KeyId(string name) => Calls.First(c => c.Key == name).KeyId;

    public async Task InitializeAsync()
    {
        _fake = await FakeOpenAiUpstream.StartAsync();
        Router = await RouterHarness.StartAsync(AccessKit.Toml(_fake.BaseUrl) + $"""

            [[api_keys]]
            name = "alice"
            key = "{AliceKey}"

            [[api_keys]]
            name = "bob"
            key = "{BobKey}"
            """, AccessKit.Environment());
        await CallAsync(AliceKey, "fake/gpt-test", "alice-call");
        await CallAsync(AliceKey, "fake/gpt-test", "alice-call");
        await CallAsync(BobKey, "other/chat-x", "bob-call");
        await CallAsync(AccessKit.AdminKey, "fake/gpt-test", "admin-call");
        Calls = (await Router.InvocationsAsync()).Select(r => (r.Id, r.ApiKeyName!, r.ApiKeyId!, r.Cost)).ToArray();
        Assert.Equal(TotalCalls, Calls.Count);
    }

    /// <summary>GET as a remote client with <paramref name="credential"/> (or as a local caller without one); asserts 200.</summary>
    public async Task<JsonNode> GetAsync(string path, string? credential)
    {
        var (status, body, _) = await AccessKit.SendAsync(Router, HttpMethod.Get, path, credential: credential, remote: credential is not null);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body?.ToJsonString()}");
        return body!;
    }

    private async Task CallAsync(string key, string model, string text)
    {
        var body = new JsonObject { ["model"] = model, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = text }) };
        var (status, _, _) = await AccessKit.PostAsync(Router, "/v1/chat/completions", body.ToJsonString(), key);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    public async Task DisposeAsync()
    {
        await Router.DisposeAsync();
        await _fake.DisposeAsync();
    }
}
