using System.Text.RegularExpressions;
using LlmRouter.LocalModels.Engine;

namespace LlmRouter.LocalModels.Tests;

/// <summary>
/// How contexts compute attention, as llama.cpp logs it while creating one. On the processor its flash-attention
/// kernel walks every cell of the shared memory per query row, so a decode step of four generating sequences cost
/// about four steps of one and batching did not pay; the unfused matrix products share that work across the batch
/// (LocalModelBench --compare-flash-attention measures both).
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed partial class AttentionSettingTests(TinyModelFixture fixture)
{
    [Fact]
    public void A_context_on_the_processor_computes_attention_unfused()
    {
        Assert.True(fixture.Model.OnCpu);
        Assert.False(fixture.Model.FlashAttention);

        Assert.Equal("disabled", LoggedSetting(() => LlamaScheduler.Create(fixture.Model, 1024, threads: 1, sequences: 4)));
    }

    [Fact]
    public void Asking_for_flash_attention_gets_it()
    {
        Assert.Equal("enabled", LoggedSetting(() => LlamaScheduler.Create(fixture.Model, 1024, threads: 1, sequences: 4, flashAttention: true)));
    }

    /// <summary>The flash-attention setting llama.cpp logs while <paramref name="create"/> makes a context.</summary>
    private string LoggedSetting(Func<LlamaScheduler> create)
    {
        var before = fixture.Log.Lines.Count;
        using (create())
        {
        }
        var setting = fixture.Log.Lines.Skip(before).Select(l => Setting().Match(l.Message)).Single(m => m.Success);
        return setting.Groups[1].Value;
    }

    [GeneratedRegex(@"flash_attn\s+=\s+(\w+)")]
    private static partial Regex Setting();
}
