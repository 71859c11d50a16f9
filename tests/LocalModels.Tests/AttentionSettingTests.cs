using System.Text.RegularExpressions;
using LlmRouter.LocalModels.Engine;

namespace LlmRouter.LocalModels.Tests;

/// <summary>
/// How contexts compute attention, as llama.cpp logs it while creating one. On the processor its flash-attention
/// kernel walks every cell of the shared memory per query row, so a decode step of four generating sequences cost
/// about four steps of one and batching did not pay; the unfused matrix products share that work across the batch
/// (LocalModelBench --compare-flash-attention measures both). Unfused, prompts go through in micro-batches of 128
/// tokens, whose attention matrices stay in cache.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed partial class AttentionSettingTests(TinyModelFixture fixture)
{
    [Fact]
    public void A_context_on_the_processor_computes_attention_unfused()
    {
        Assert.True(fixture.Model.OnCpu);
        Assert.False(fixture.Model.FlashAttention);

        Assert.Equal(("disabled", "128"), LoggedSettings(() => LlamaScheduler.Create(fixture.Model, 1024, threads: 1, sequences: 4)));
    }

    [Fact]
    public void Asking_for_flash_attention_gets_it()
    {
        Assert.Equal(("enabled", "512"), LoggedSettings(() => LlamaScheduler.Create(fixture.Model, 1024, threads: 1, sequences: 4, flashAttention: true)));
    }

    /// <summary>The flash-attention setting and micro-batch size llama.cpp logs while <paramref name="create"/> makes a context.</summary>
    private (string FlashAttention, string MicroBatch) LoggedSettings(Func<LlamaScheduler> create)
    {
        var before = fixture.Log.Lines.Count;
        using (create())
        {
        }
        var lines = fixture.Log.Lines.Skip(before).Select(l => l.Message).ToArray();
        string Logged(Regex setting) => lines.Select(l => setting.Match(l)).Single(m => m.Success).Groups[1].Value;
        return (Logged(FlashAttentionSetting()), Logged(MicroBatchSetting()));
    }

    [GeneratedRegex(@"flash_attn\s+=\s+(\w+)")]
    private static partial Regex FlashAttentionSetting();

    [GeneratedRegex(@"n_ubatch\s+=\s+(\d+)")]
    private static partial Regex MicroBatchSetting();
}
