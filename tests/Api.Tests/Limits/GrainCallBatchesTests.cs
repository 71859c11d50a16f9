using LlmRouter.Api.Limits;

namespace LlmRouter.Api.Tests.Limits;

/// <summary>Items that wait while a grain call is on its way leave in order, at most the cap per call, each answered with its own result.</summary>
public sealed class GrainCallBatchesTests
{
    [Fact]
    public async Task Items_queued_behind_a_slow_call_leave_in_order_in_calls_of_at_most_the_cap()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = new List<int[]>();
        var batches = new GrainCallBatches<int, string>(async items =>
        {
            lock (sent)
            {
                sent.Add(items);
            }
            await release.Task;
            return [.. items.Select(i => "answer " + i)];
        }, maxItems: 256);

        var first = batches.Add(0);
        var queued = Enumerable.Range(1, 600).Select(batches.Add).ToArray();
        Assert.Equal([[0]], sent);
        release.SetResult();
        await batches.Pending();

        Assert.Equal([1, 256, 256, 88], sent.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 601), sent.SelectMany(b => b));
        Assert.Equal("answer 0", (await first.Answers)[first.Index]);
        for (var i = 0; i < queued.Length; i++)
        {
            Assert.Equal("answer " + (i + 1), (await queued[i].Answers)[queued[i].Index]);
        }
    }

    [Fact]
    public async Task A_failed_call_fails_its_own_items_and_the_next_call_still_leaves()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var batches = new GrainCallBatches<int, int>(async items =>
        {
            var call = Interlocked.Increment(ref calls);
            await release.Task;
            return call == 2 ? throw new InvalidOperationException("grain unreachable") : [.. items];
        }, maxItems: 2);

        var first = batches.Add(1);
        var failing = batches.Add(2);
        var alsoFailing = batches.Add(3);
        var later = batches.Add(4);
        release.SetResult();

        Assert.Equal(1, (await first.Answers)[first.Index]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Answers);
        Assert.Same(failing.Answers, alsoFailing.Answers);
        Assert.Equal(4, (await later.Answers)[later.Index]);
        Assert.Equal(3, calls);
    }
}
