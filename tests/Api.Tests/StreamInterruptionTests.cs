using System.Text;
using System.Text.Json.Nodes;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests;

/// <summary>
/// An upstream that breaks off mid-stream: the client's stream ends with its API's error event (no normal end),
/// and the call is logged as failed with the tokens seen so far.
/// </summary>
public sealed class StreamInterruptionTests
{
    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task A_claude_stream_broken_mid_way_ends_with_an_error_event_and_is_logged_with_the_tokens_so_far(string client)
    {
        await using var fake = await FakeUpstreamServer.StartAsync<FakeAnthropicUpstream>();
        fake.Reply = "one two three four";
        var clientSawText = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.AfterDelta = async (http, i) =>
        {
            if (i == 1)
            {
                await clientSawText.Task.WaitAsync(TimeSpan.FromSeconds(10));
                http.Abort();
            }
        };
        await using var router = await RouterHarness.StartAsync(
            UpstreamToml.Single("claude", fake.BaseUrl, "claude-sonnet-4-5", provider: "claude", model: "sonnet"), UpstreamToml.Environment);

        string[] events;
        if (client == "openai")
        {
            events = await ReadEventsAsync(router, "/v1/chat/completions",
                """{"model":"claude/sonnet","stream":true,"messages":[{"role":"user","content":"count"}]}""",
                seen => seen.Count(e => e.Contains("\" two\"", StringComparison.Ordinal)) == 1, clientSawText);
            var error = JsonNode.Parse(events[^1]["data: ".Length..])!["error"]!;
            Assert.Equal("upstream_protocol_error", error["code"]!.GetValue<string>());
            Assert.DoesNotContain("data: [DONE]", events);
        }
        else
        {
            events = await ReadEventsAsync(router, "/v1/messages",
                """{"model":"claude/sonnet","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"count"}]}""",
                seen => seen.Count(e => e.Contains("\" two\"", StringComparison.Ordinal)) == 1, clientSawText);
            var last = AnthropicApiTests.ParseEvents(events[^1] + "\n\n").Single();
            Assert.Equal("error", last.Name);
            Assert.Equal("api_error", last.Data["error"]!["type"]!.GetValue<string>());
            Assert.DoesNotContain(events, e => e.StartsWith("event: message_stop", StringComparison.Ordinal));
        }

        var logged = Assert.Single(await router.InvocationsAsync());
        Assert.Equal((InvocationStatus.Error, 12L, 2L, 1), (logged.Status, logged.PromptTokens, logged.CompletionTokens, logged.Attempts));
        Assert.Contains("broke the connection", logged.Error, StringComparison.Ordinal);
        Assert.Equal("one two", (await router.Services.GetRequiredService<IInvocationLog>().GetAsync(logged.Id))!.ResponseBody);
    }

    /// <summary>
    /// Posts a streamed call and reads its events as they arrive; once <paramref name="ready"/> holds for the events
    /// seen, <paramref name="signal"/> is set (the fake then breaks the upstream stream). Returns every event.
    /// </summary>
    public static async Task<string[]> ReadEventsAsync(RouterHarness router, string path, string body, Func<List<string>, bool> ready, TaskCompletionSource signal)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await router.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        var current = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0)
            {
                current.Append(current.Length > 0 ? "\n" : "").Append(line);
                continue;
            }
            if (current.Length > 0)
            {
                events.Add(current.ToString());
                current.Clear();
                if (ready(events))
                {
                    signal.TrySetResult();
                }
            }
        }
        return events.ToArray();
    }
}
