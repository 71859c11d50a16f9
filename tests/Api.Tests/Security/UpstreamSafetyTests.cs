using System.Net;
using System.Text.Json.Nodes;
using LlmRouter.Api.Tests.Infrastructure;
using LlmRouter.Abstractions.Invocations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static LlmRouter.Tests.Shared.AccessKit;

namespace LlmRouter.Api.Tests.Security;

/// <summary>
/// What an upstream sends is not trusted: its error text is cleared of the keys it was given before a client or the
/// log sees it, and neither a whole answer nor a stream's event may grow past the configured bound, nor a stream run
/// past its total deadline.
/// </summary>
public sealed class UpstreamSafetyTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upstream_that_echoes_its_key_does_not_hand_it_to_the_caller_or_the_log(bool stream)
    {
        var (fake, router) = await StartAsync();
        await using var _ = fake;
        await using var __ = router;
        fake.Handler = (http, request) => FakeOpenAiUpstream.WriteErrorAsync(http, 401, "invalid_request_error",
            $"Incorrect API key provided: {request.Header("Authorization")}. Also seen: {UserKey}.", "invalid_api_key");

        var answer = await PostAsync(router, "/v1/chat/completions",
            $$"""{"model":"fake/gpt-test","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""", UserKey);
        var listed = Assert.Single(await router.InvocationsAsync());
        var logged = (await router.Services.GetRequiredService<IInvocationLog>().GetAsync(listed.Id))!;

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        var text = answer.Body!.ToJsonString();
        Assert.DoesNotContain(UpstreamKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(UserKey, text, StringComparison.Ordinal);
        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
        foreach (var stored in new[] { logged.Error, logged.ResponseBody })
        {
            Assert.NotNull(stored);
            Assert.DoesNotContain(UpstreamKey, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(UserKey, stored, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_whole_answer_larger_than_the_bound_is_a_bad_gateway_not_held_in_memory(bool announcesLength)
    {
        var (fake, router) = await StartBoundedAsync();
        await using var _ = fake;
        await using var __ = router;
        fake.Handler = (http, _) => WriteSizedCompletionAsync(http, new string('x', 20_000), announcesLength);

        var answer = await PostAsync(router, "/v1/chat/completions", ChatBody(), UserKey);

        var error = AssertError(HttpStatusCode.BadGateway, "upstream_error", "upstream_protocol_error", answer);
        Assert.Contains("max_upstream_response_bytes", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_whole_answer_within_the_bound_is_passed_on_whole_with_or_without_its_length(bool announcesLength)
    {
        var (fake, router) = await StartBoundedAsync();
        await using var _ = fake;
        await using var __ = router;
        var text = string.Join(' ', Enumerable.Repeat("word", 600));
        fake.Handler = (http, _) => WriteSizedCompletionAsync(http, text, announcesLength);

        var answer = await PostAsync(router, "/v1/chat/completions", ChatBody(), UserKey);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(text, answer.Body!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    /// <summary>A completion sent with its Content-Length, or chunked with none (headers flushed before the body).</summary>
    private static async Task WriteSizedCompletionAsync(HttpContext http, string text, bool announcesLength)
    {
        var buffer = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await FakeOpenAiUpstream.WriteCompletionAsync(buffer, "m", text);
        var body = ((MemoryStream)buffer.Response.Body).ToArray();
        http.Response.ContentType = "application/json";
        if (announcesLength)
        {
            http.Response.ContentLength = body.Length;
        }
        else
        {
            await http.Response.StartAsync();
        }
        await http.Response.Body.WriteAsync(body);
    }

    [Fact]
    public async Task A_stream_event_larger_than_the_bound_ends_the_stream_with_an_error()
    {
        var (fake, router) = await StartBoundedAsync();
        await using var _ = fake;
        await using var __ = router;
        fake.Handler = async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("m", new JsonObject { ["role"] = "assistant", ["content"] = "ok" }, null, false));
            await http.Response.WriteAsync("data: " + new string('x', 20_000));
            await http.Response.Body.FlushAsync();
        };

        using var answer = await StreamAsync(router);
        var logged = Assert.Single(await router.InvocationsAsync());

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(InvocationStatus.Error, logged.Status);
        Assert.Contains("larger than 4096 bytes", logged.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_keeps_trickling_is_cut_at_its_total_deadline()
    {
        var (fake, router) = await StartBoundedAsync();
        await using var _ = fake;
        await using var __ = router;
        fake.Handler = async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            for (var i = 0; i < 100 && !http.RequestAborted.IsCancellationRequested; i++)
            {
                await FakeOpenAiUpstream.WriteEventAsync(http, FakeOpenAiUpstream.Chunk("m", new JsonObject { ["content"] = "tick " }, null, false));
                await Task.Delay(100, CancellationToken.None);
            }
        };

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var answer = await StreamAsync(router);
        var logged = Assert.Single(await router.InvocationsAsync());

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(InvocationStatus.Error, logged.Status);
        Assert.Contains("stream deadline", logged.Error, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(9), "the stream was cut by its deadline, not left to finish");
    }

    private static async Task<HttpResponseMessage> StreamAsync(RouterHarness router)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"fake/gpt-test","stream":true,"messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", UserKey);
        var response = await router.Http.SendAsync(request);
        await response.Content.ReadAsStringAsync();
        return response;
    }

    // Upstream answers of at most 4 KiB, and streams of at most one second in all (the idle timeout stays 60 s).
    private static async Task<(FakeOpenAiUpstream Fake, RouterHarness Router)> StartBoundedAsync()
    {
        var fake = await FakeOpenAiUpstream.StartAsync();
        var toml = AccessKit.Toml(fake.BaseUrl).Replace("[server]\n", "[server]\nmax_upstream_response_bytes = 4096\nstream_deadline = 1\n", StringComparison.Ordinal);
        return (fake, await RouterHarness.StartAsync(toml, AccessKit.Environment()));
    }
}
