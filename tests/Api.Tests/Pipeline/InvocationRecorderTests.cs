using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Upstream;
using LlmRouter.Api.Pipeline;

namespace LlmRouter.Api.Tests.Pipeline;

/// <summary>
/// The invocation recorder on its own: a try's record carries the call, the caller's node and the cost of its usage; it
/// is appended to the log and told to every listener once.
/// </summary>
public sealed class InvocationRecorderTests
{
    [Fact]
    public async Task A_record_is_stored_and_heard_once_with_the_calls_model_node_and_usage()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var recorder = kit.Recorder();
        var invocation = PipelineModels.Invocation(kit, "alpha/c") with { Group = "pool", CallId = "call-1" };

        var record = recorder.Record(invocation, recorder.Start(), 200, error: null, new TokenUsage(12, 4), ttftMs: 30, stream: true);
        await recorder.WaitDurableAsync(recorder.Write(record));

        var heard = Assert.Single(kit.Heard);
        Assert.Same(record, heard);
        Assert.Equal(("node-a", "openai", "alpha", "c", "pool", "call-1"), (heard.Node, heard.ClientFormat, heard.Provider, heard.Model, heard.Group, heard.CallId));
        Assert.Equal((InvocationStatus.Success, 12, 4, 30L, true), (heard.Status, heard.PromptTokens, heard.CompletionTokens, heard.TimeToFirstTokenMs, heard.Stream));
        Assert.Contains("\"Hello there\"", heard.RequestBody, StringComparison.Ordinal);
        var stored = Assert.Single(await kit.StoredAsync());
        Assert.Equal(("alpha", "c", 12L, 4L), (stored.Provider, stored.Model, stored.PromptTokens, stored.CompletionTokens));
    }

    [Fact]
    public async Task A_cancelled_try_is_recorded_as_the_client_closing()
    {
        await using var kit = await PipelineKit.StartAsync(PipelineModels.Toml);
        var recorder = kit.Recorder();

        var record = recorder.Record(PipelineModels.Invocation(kit, "alpha/c"), recorder.Start(), 499,
            new UpstreamError(UpstreamErrorKind.Cancelled, "the client went away"), default, ttftMs: null, stream: false);

        Assert.Equal((InvocationStatus.ClientClosed, 499, "the client went away"), (record.Status, record.HttpStatus, record.Error));
    }
}
