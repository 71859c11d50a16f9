using System.Text;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests;

/// <summary>
/// Fault: an upstream that accepts calls and never answers. Each call's timeout fires, the upstream request is
/// cancelled (its connection freed), every call is logged once, and the node serves normally once the upstream recovers.
/// </summary>
public sealed class UpstreamHangTests
{
    private const int Calls = 24;

    [Fact]
    public async Task Concurrent_calls_to_a_hanging_upstream_time_out_release_the_upstream_and_the_node_recovers()
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var cancelled = 0;
        var allCancelled = new TaskCompletionSource();
        var hang = true;
        fake.Handler = async (http, _) =>
        {
            if (!Volatile.Read(ref hang))
            {
                await FakeOpenAiUpstream.WriteCompletionAsync(http, "gpt-4o-mini-2024-07-18", "recovered");
                return;
            }
            http.RequestAborted.Register(() =>
            {
                if (Interlocked.Increment(ref cancelled) == Calls)
                {
                    allCancelled.TrySetResult();
                }
            });
            await Task.Delay(TimeSpan.FromMinutes(2), http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        await using var router = await RouterHarness.StartAsync(
            UpstreamToml.Single("openai", fake.BaseUrl, "gpt-4o-mini", provider: "fake", model: "gpt-test",
                settings: "{ timeout = 3, max_retries = 0, breaker_break_seconds = 1 }"),
            UpstreamToml.Environment);

        var statuses = await Task.WhenAll(Enumerable.Range(0, Calls).Select(async i =>
        {
            using var response = await router.Http.PostAsync("/v1/chat/completions", Body($"call {i}"));
            Assert.Contains("upstream_timeout", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            return (int)response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(504, status));
        // Every hung upstream request was cancelled by the router, not left to run out its own time.
        await allCancelled.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(Calls, fake.Requests.Count);

        // The upstream recovers. Until the circuit breaker lets calls through again the node answers 503 at once
        // (it never waits on the upstream it knows is failing); then calls succeed.
        Volatile.Write(ref hang, false);
        var paused = 0;
        using var client = new HttpClient { BaseAddress = router.BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            using var response = await client.PostAsync("/v1/chat/completions", Body("back?"));
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode == 200)
            {
                Assert.Contains("recovered", text, StringComparison.Ordinal);
                break;
            }
            Assert.Equal(503, (int)response.StatusCode);
            Assert.True(++paused < 100, "the node did not recover");
            await Task.Delay(100);
        }

        // Each call logged once, with the status its client saw.
        var logged = await router.InvocationsAsync();
        Assert.Equal(Calls + paused + 1, logged.Count);
        Assert.Equal(Calls, logged.Count(r => r is { Status: InvocationStatus.Error, HttpStatus: 504 }));
        Assert.Equal(paused, logged.Count(r => r is { Status: InvocationStatus.Error, HttpStatus: 503 }));
        Assert.Single(logged, r => r.Status == InvocationStatus.Success);
    }

    private static StringContent Body(string text) =>
        new($$"""{"model":"fake/gpt-test","messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json");
}
