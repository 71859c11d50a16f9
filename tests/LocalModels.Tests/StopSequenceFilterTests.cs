using LlmRouter.LocalModels.Engine;

namespace LlmRouter.LocalModels.Tests;

public sealed class StopSequenceFilterTests
{
    [Fact]
    public void Without_stop_sequences_text_passes_at_once()
    {
        var filter = new StopSequenceFilter([]);
        Assert.Equal("abc", filter.Push("abc"));
        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void A_stop_sequence_split_over_pieces_is_never_shown()
    {
        var filter = new StopSequenceFilter(["END"]);
        Assert.Equal("one ", filter.Push("one E"));
        Assert.Equal("", filter.Push("N"));
        Assert.False(filter.Stopped);
        Assert.Equal("", filter.Push("D two"));
        Assert.True(filter.Stopped);
        Assert.Equal("", filter.Push("more"));
        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void Held_back_text_is_released_when_it_turns_out_not_to_be_a_stop()
    {
        var filter = new StopSequenceFilter(["END", "xyz"]);
        Assert.Equal("a", filter.Push("aEN"));
        Assert.Equal("ENx", filter.Push("xx"));
        Assert.Equal("x", filter.Flush());
    }

    [Fact]
    public void The_earliest_stop_sequence_wins()
    {
        var filter = new StopSequenceFilter(["bb", "a"]);
        Assert.Equal("x", filter.Push("xabb"));
        Assert.True(filter.Stopped);
    }
}
