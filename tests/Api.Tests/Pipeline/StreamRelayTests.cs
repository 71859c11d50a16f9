using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.ClientFormats.OpenAi;
using LlmRouter.Api.Pipeline;

namespace LlmRouter.Api.Tests.Pipeline;

/// <summary>
/// The stream relay on its own: a whole stream reaches the client and is recorded with the upstream's usage; a stream
/// failing mid-way ends with an error event and is billed by what was streamed; one failing before its first event
/// leaves the client untouched and answers the next candidate.
/// </summary>
public sealed class StreamRelayTests
{
    [Fact]
    public async Task A_whole_stream_is_relayed_then_recorded_with_the_upstreams_usage_and_text()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var http = PipelineKit.Request();

        var next = await RelayAsync(kit, http, ScriptedUpstream.Content("Hel"), ScriptedUpstream.Content("lo"), ScriptedUpstream.UsageOnly(9, 2));

        Assert.Null(next);
        Assert.Equal("text/event-stream", http.Response.ContentType);
        Assert.EndsWith("\"lo\"}}]}\n\ndata: [DONE]\n\n", await PipelineKit.AnswerAsync(http), StringComparison.Ordinal);
        var row = Assert.Single(await kit.StoredAsync());
        Assert.Equal((InvocationStatus.Success, 200, true), (row.Status, row.HttpStatus, row.Stream));
        Assert.Equal((9, 2, false), (row.PromptTokens, row.CompletionTokens, row.UsageEstimated));
        Assert.Equal("Hello", Assert.Single(kit.Heard).ResponseBody);
        Assert.NotNull(row.TimeToFirstTokenMs);
    }

    [Fact]
    public async Task A_stream_failing_mid_way_ends_with_an_error_event_and_is_billed_by_what_was_streamed()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var http = PipelineKit.Request();

        var next = await RelayAsync(kit, http, ScriptedUpstream.Content("one"), ScriptedUpstream.Content("two"),
            new ChatStreamChunk { Error = new UpstreamError(UpstreamErrorKind.Timeout, "the upstream went quiet") });

        Assert.Null(next);
        var answer = await PipelineKit.AnswerAsync(http);
        Assert.Contains("data: {\"error\":{\"message\":\"the upstream went quiet\"", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", answer, StringComparison.Ordinal);
        var row = Assert.Single(await kit.StoredAsync());
        Assert.Equal((InvocationStatus.Error, 200), (row.Status, row.HttpStatus));
        Assert.Equal((2, true), (row.CompletionTokens, row.UsageEstimated));
        Assert.Equal("onetwo", Assert.Single(kit.Heard).ResponseBody);
    }

    [Fact]
    public async Task A_stream_failing_before_its_first_event_answers_the_next_candidate_and_writes_nothing()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var http = PipelineKit.Request();

        var next = await RelayAsync(kit, http, new ChatStreamChunk { Error = ScriptedUpstream.Status(502) });

        Assert.Equal("beta/b", next?.Id);
        Assert.False(http.Response.HasStarted);
        Assert.Equal("", await PipelineKit.AnswerAsync(http));
        var row = Assert.Single(await kit.StoredAsync());
        Assert.Equal((InvocationStatus.Error, 502), (row.Status, row.HttpStatus));
        Assert.Equal("upstream answered 502 (fell back to beta/b)", row.Error);
        Assert.Null(kit.Heard[0].Reservation);
    }

    private static async Task<ResolvedModel?> RelayAsync(PipelineKit kit, Microsoft.AspNetCore.Http.HttpContext http, params ChatStreamChunk[] chunks)
    {
        var recorder = kit.Recorder();
        var upstream = new ScriptedUpstream().Streams("alpha/a", chunks);
        var attempt = CandidateAttempt.First(PipelineModels.Invocation(kit, "alpha/a", "beta/b"));
        await using var stream = await upstream.StreamAsync(new UpstreamChatRequest(attempt.Invocation.Model, attempt.Invocation.Body));
        return await new StreamRelay(recorder).RelayAsync(http, attempt, stream, stream.Chunks!, new OpenAiStreamEncoder(clientWantsUsage: false), recorder.Start());
    }
}
