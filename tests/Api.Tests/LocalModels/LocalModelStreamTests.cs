using System.Text.Json.Nodes;
using LlmRouter.Abstractions.LocalModels;
using LlmRouter.Api.Tests.Infrastructure;

namespace LlmRouter.Api.Tests.LocalModels;

/// <summary>Streams of a local model's grain that share its batch: one stream's reader never holds back another's.</summary>
public sealed class LocalModelStreamTests
{
    private static LocalChatRequest Greedy(string content, int maxTokens) => new()
    {
        Body = new JsonObject
        {
            ["model"] = TinyModel.Id,
            ["temperature"] = 0,
            ["max_tokens"] = maxTokens,
            ["logit_bias"] = new JsonObject { [TinyModel.EndToken.ToString(System.Globalization.CultureInfo.InvariantCulture)] = -100 },
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }),
        }.ToJsonString(),
    };

    [Fact]
    public async Task A_stream_nobody_reads_does_not_stall_the_calls_batched_with_it()
    {
        await using var router = await RouterHarness.StartAsync(TinyModel.Toml(queueSize: 1, contextSize: 32768));
        var grain = router.Services.GetRequiredService<IGrainFactory>().GetGrain<ILocalModelGrain>(LocalModelGrainKey.For(TinyModel.Id, "one-session"));

        // Far more chunks than any buffer between the model and a reader, and nobody reads them past the first.
        await using var unread = grain.StreamAsync(Greedy("hello world", 600)).GetAsyncEnumerator();
        Assert.True(await unread.MoveNextAsync());
        Assert.Null(unread.Current.Error);
        // Longer than the unread stream's first few dozen chunks, so the two share many decode steps.
        var other = await grain.CompleteAsync(Greedy("world hello", 300)).AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Null(other.Error);
        Assert.Equal(300, other.Usage!.Value.CompletionTokens);
        // The unread stream still holds its whole answer for a reader that comes late.
        var text = new System.Text.StringBuilder();
        long? generated = null;
        while (await unread.MoveNextAsync())
        {
            var chunk = unread.Current;
            text.Append(chunk.ContentDelta);
            generated = chunk.Usage?.CompletionTokens ?? generated;
        }
        Assert.Equal(600, generated);
        Assert.NotEqual(0, text.Length);
    }
}
