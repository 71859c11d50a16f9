using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Responses;

namespace LlmRouter.Api.Tests.Responses;

/// <summary>
/// A Responses stream that breaks off, translated from a chat stream or relayed from an OpenAI upstream's own events
/// (<c>relayed</c>): the upstream cutting it mid-way ends it with an error event numbered after the last event, and a
/// client hanging up is logged once, billed for what it got, and nothing is kept to continue.
/// </summary>
public sealed class ResponsesStreamBreakTests
{
    private const string Body = """{"model":"fake/gpt-test","input":"hi","stream":true}""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upstream_cut_mid_stream_ends_with_an_error_event_numbered_after_the_upstreams_last(bool relayed)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        Func<int, Task> cut = _ => throw new IOException("the upstream went away");
        fake.Handler = async (http, request) =>
        {
            try
            {
                await (relayed
                    ? FakeOpenAiResponses.StreamAsync(http, request.Json, ["first", " second"], cut)
                    : FakeOpenAiUpstream.StreamAsync(http, "m", ["first", " second"], includeUsage: true, between: cut));
            }
            catch (IOException)
            {
                // The answer ends here, whole as HTTP goes, without the stream's last events.
            }
        };
        await using var router = await RouterHarness.StartAsync(relayed ? RouterHarness.Toml(fake.BaseUrl) : ResponsesApiTests.ChatOnlyToml(fake.BaseUrl));

        var (_, events) = await ResponsesEventStream.PostAsync(router, Body, _ => { });

        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e["sequence_number"]!.GetValue<long>()));
        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error"],
            events.Select(e => e["type"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(events[^1]["message"]!.GetValue<string>()));
        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Error, 1L), (logged.Status, logged.CompletionTokens));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_hanging_up_mid_stream_is_logged_once_billed_for_what_it_got_and_nothing_is_kept(bool relayed)
    {
        await using var fake = await FakeOpenAiUpstream.StartAsync();
        var upstreamAborted = new TaskCompletionSource();
        fake.Handler = async (http, request) =>
        {
            http.RequestAborted.Register(() => upstreamAborted.TrySetResult());
            Func<int, Task> hold = _ => Task.Delay(TimeSpan.FromSeconds(30), http.RequestAborted);
            try
            {
                await (relayed
                    ? FakeOpenAiResponses.StreamAsync(http, request.Json, ["first", " second"], hold)
                    : FakeOpenAiUpstream.StreamAsync(http, "m", ["first", " second"], includeUsage: true, between: hold));
            }
            catch (OperationCanceledException)
            {
            }
        };
        await using var router = await RouterHarness.StartAsync(relayed ? RouterHarness.Toml(fake.BaseUrl) : ResponsesApiTests.ChatOnlyToml(fake.BaseUrl));

        string? id = null;
        using (var client = new HttpClient { BaseAddress = router.BaseUrl })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/responses") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line && !line.Contains("response.output_text.delta", StringComparison.Ordinal))
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("\"response.created\"", StringComparison.Ordinal))
                {
                    id = JsonNode.Parse(line[6..])!["response"]!["id"]!.GetValue<string>();
                }
            }
        }

        await upstreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var logged = await router.SingleInvocationAsync();
        Assert.Equal((InvocationStatus.ClientClosed, true), (logged.Status, logged.Stream));
        // The upstream never reported usage: one text delta arrived, and "hi" is estimated at one prompt token.
        Assert.Equal((1L, 1L, true), (logged.PromptTokens, logged.CompletionTokens, logged.UsageEstimated));
        Assert.StartsWith("resp_", id);
        Assert.Null(await router.Services.GetRequiredService<IResponseStore>().FindAsync(id!));
        Assert.Single(await router.InvocationsAsync());
    }
}
