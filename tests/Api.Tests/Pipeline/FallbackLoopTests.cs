using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.ClientFormats.OpenAi;
using LlmRouter.Api.Pipeline;
using LlmRouter.Grains.Routing;

namespace LlmRouter.Api.Tests.Pipeline;

/// <summary>
/// The fallback loop on its own: a try that fails in a way another model may not moves to the next candidate (its body
/// naming that candidate's upstream model), each try is one row of the log linked by one call id, and the reservation
/// goes with the last try only; a failure about the request itself is final.
/// </summary>
public sealed class FallbackLoopTests
{
    [Fact]
    public async Task A_503_moves_to_the_next_candidate_and_each_try_is_one_linked_row()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var upstream = new ScriptedUpstream().Fails("alpha/a", ScriptedUpstream.Status(503)).Answers("beta/b", "from b");
        var statistics = new RoutingStatistics();
        var loop = Loop(kit, upstream, statistics);
        var invocation = PipelineModels.Invocation(kit, "alpha/a", "beta/b");

        var (result, servedBy) = await loop.CompleteAsync(invocation, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal("beta/b", servedBy.Id);
        Assert.Equal([("alpha/a", "a-upstream"), ("beta/b", "b")], upstream.Sent);
        var stored = await kit.StoredAsync();
        // An upstream's 503 reaches a client as a bad gateway, 502.
        Assert.Equal([502, 200], stored.Select(r => r.HttpStatus));
        Assert.Equal("upstream answered 503 (fell back to beta/b)", stored[0].Error);
        Assert.NotNull(kit.Heard[0].CallId);
        Assert.Equal(kit.Heard[0].CallId, kit.Heard[1].CallId);
        Assert.Null(kit.Heard[0].Reservation);
        Assert.Equal(invocation.Reservation, kit.Heard[1].Reservation);
        Assert.Equal([("alpha/a", "beta/b", 1L)], statistics.Fallbacks);
    }

    [Fact]
    public async Task A_400_is_about_the_request_and_is_final()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var upstream = new ScriptedUpstream().Fails("alpha/a", ScriptedUpstream.Status(400)).Answers("beta/b", "from b");
        var loop = Loop(kit, upstream, new RoutingStatistics());

        var (result, servedBy) = await loop.CompleteAsync(PipelineModels.Invocation(kit, "alpha/a", "beta/b"), CancellationToken.None);

        Assert.Equal(400, result.Error!.Status);
        Assert.Equal("alpha/a", servedBy.Id);
        Assert.Equal(["alpha/a"], upstream.Sent.Select(s => s.ModelId));
        var row = Assert.Single(await kit.StoredAsync());
        Assert.Equal(InvocationStatus.Error, row.Status);
        Assert.Equal("upstream answered 400", row.Error);
    }

    [Fact]
    public async Task A_stream_refused_before_its_first_event_is_replaced_by_the_next_candidate()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var upstream = new ScriptedUpstream()
            .Fails("alpha/a", new UpstreamError(UpstreamErrorKind.Connect, "connection refused"))
            .Streams("beta/b", ScriptedUpstream.Content("Hi"), ScriptedUpstream.UsageOnly(5, 1));
        var loop = Loop(kit, upstream, new RoutingStatistics());
        var http = PipelineKit.Request();

        await loop.StreamAsync(http, PipelineModels.Invocation(kit, "alpha/a", "beta/b"), new OpenAiStreamEncoder(clientWantsUsage: false));

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n", await PipelineKit.AnswerAsync(http));
        var stored = await kit.StoredAsync();
        Assert.Equal(["alpha/a", "beta/b"], stored.Select(r => $"{r.Provider}/{r.Model}"));
        Assert.Equal("connection refused (fell back to beta/b)", stored[0].Error);
        Assert.Equal((5, 1), (stored[1].PromptTokens, stored[1].CompletionTokens));
    }

    private static FallbackLoop Loop(PipelineKit kit, ScriptedUpstream upstream, RoutingStatistics statistics)
    {
        var recorder = kit.Recorder();
        return new FallbackLoop(upstream, recorder, new StreamRelay(recorder), statistics);
    }
}
