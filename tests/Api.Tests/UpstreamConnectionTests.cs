using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests;

/// <summary>
/// Calls to one upstream reuse a pooled keep-alive connection (a cleartext upstream speaks HTTP/1.1: HTTP/2 is only
/// negotiated over TLS), and a whole answer goes to the client with its Content-Length rather than chunked.
/// </summary>
public sealed class UpstreamConnectionTests
{
    [Fact]
    public async Task Sequential_calls_share_one_upstream_connection_and_answers_carry_their_length()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var connections = new ConcurrentQueue<(string Id, string Protocol)>();
        fake.Handler = (http, _) =>
        {
            connections.Enqueue((http.Connection.Id, http.Request.Protocol));
            return FakeOpenAiUpstream.WriteCompletionAsync(http, "gpt-4o-mini", "Hello there");
        };
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl), new Dictionary<string, string> { ["FAKE_UPSTREAM_KEY"] = "sk-upstream" });

        for (var i = 0; i < 5; i++)
        {
            using var response = await router.Http.PostAsync("/v1/chat/completions",
                new StringContent("""{"model":"fake/gpt-test","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.False(response.Headers.TransferEncodingChunked ?? false);
            Assert.Equal("Hello there", JsonNode.Parse(body)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        }

        Assert.Equal(5, connections.Count);
        Assert.Single(connections.Select(c => c.Id).Distinct());
        Assert.All(connections, c => Assert.Equal("HTTP/1.1", c.Protocol));
    }
}
