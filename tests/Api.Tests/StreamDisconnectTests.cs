using System.Text;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests;

/// <summary>A client that hangs up mid-stream cancels the upstream call, and the call is logged once.</summary>
public sealed class StreamDisconnectTests
{
    [Fact]
    public async Task Client_disconnect_mid_stream_cancels_the_upstream_request()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var upstreamAborted = new TaskCompletionSource();
        fake.Handler = async (http, _) =>
        {
            http.RequestAborted.Register(() => upstreamAborted.TrySetResult());
            await FakeOpenAiUpstream.StreamAsync(http, "m", ["first"], includeUsage: true,
                between: _ => Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted));
        };
        await using var router = await RouterHarness.StartAsync(RouterHarness.Toml(fake.BaseUrl));

        using (var client = new HttpClient { BaseAddress = router.BaseUrl })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent("""{"model":"fake/gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            string? line;
            do
            {
                line = await reader.ReadLineAsync();
            }
            while (line is not null && !line.Contains("\"first\"", StringComparison.Ordinal));
            Assert.NotNull(line);
        }

        await upstreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var logged = await router.SingleInvocationAsync();
        Assert.Equal(InvocationStatus.ClientClosed, logged.Status);
        Assert.True(logged.Stream);
        // The upstream never reported usage: one content chunk arrived, and "hi" is estimated at one prompt token.
        Assert.Equal((1L, 1L), (logged.PromptTokens, logged.CompletionTokens));
        Assert.Equal(0.002m, logged.Cost);
        Assert.Equal("first", (await router.Services.GetRequiredService<IInvocationLog>().GetAsync(logged.Id))!.ResponseBody);
    }
}
