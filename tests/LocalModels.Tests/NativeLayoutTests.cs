using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LlmRouter.LocalModels.Native;

namespace LlmRouter.LocalModels.Tests;

/// <summary>
/// The structs passed by value to llama.cpp must match the pinned build's llama.h (node-llama-cpp 3.22.1, llama/
/// folder). Sizes and offsets are checked against the header's layout, then against the library itself: the
/// defaults read at those offsets are llama.cpp's documented defaults, and values written there come back
/// through llama.cpp's getters.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class NativeLayoutTests(TinyModelFixture fixture)
{
    [Fact]
    public void Struct_sizes_and_offsets_match_the_pinned_header()
    {
        // llama_model_params: devices, tensor_buft_overrides (2 pointers), then int32 n_gpu_layers; 80 bytes in all.
        Assert.Equal(80, Unsafe.SizeOf<LlamaModelParams>());
        Assert.Equal(16, (int)Marshal.OffsetOf<LlamaModelParams>(nameof(LlamaModelParams.NGpuLayers)));

        // llama_context_params: uint32 n_ctx, n_batch, n_ubatch, n_seq_max, n_rs_seq, n_outputs_max,
        // n_outputs_max_per_seq, then int32 n_threads, n_threads_batch; 160 bytes in all.
        Assert.Equal(160, Unsafe.SizeOf<LlamaContextParams>());
        Assert.Equal(0, (int)Marshal.OffsetOf<LlamaContextParams>(nameof(LlamaContextParams.NCtx)));
        Assert.Equal(4, (int)Marshal.OffsetOf<LlamaContextParams>(nameof(LlamaContextParams.NBatch)));
        Assert.Equal(8, (int)Marshal.OffsetOf<LlamaContextParams>(nameof(LlamaContextParams.NUbatch)));
        Assert.Equal(12, (int)Marshal.OffsetOf<LlamaContextParams>(nameof(LlamaContextParams.NSeqMax)));
        Assert.Equal(28, (int)Marshal.OffsetOf<LlamaContextParams>(nameof(LlamaContextParams.NThreads)));
        Assert.Equal(32, (int)Marshal.OffsetOf<LlamaContextParams>(nameof(LlamaContextParams.NThreadsBatch)));

        // llama_batch: int32 n_tokens, then six pointers.
        Assert.Equal(56, Unsafe.SizeOf<LlamaBatch>());
        Assert.Equal(8, (int)Marshal.OffsetOf<LlamaBatch>(nameof(LlamaBatch.Token)));
        Assert.Equal(48, (int)Marshal.OffsetOf<LlamaBatch>(nameof(LlamaBatch.Logits)));

        Assert.Equal(16, Unsafe.SizeOf<LlamaChatMessage>());
        Assert.Equal(8, Unsafe.SizeOf<LlamaLogitBias>());
        Assert.Equal(1, Unsafe.SizeOf<LlamaSamplerChainParams>());
    }

    [Fact]
    public void Defaults_read_at_the_declared_offsets_are_llama_cpp_defaults()
    {
        _ = fixture.Model;
        var context = LlamaNative.llama_context_default_params();
        Assert.Equal((512u, 2048u, 512u, 1u), (context.NCtx, context.NBatch, context.NUbatch, context.NSeqMax));
        // GGML_DEFAULT_N_THREADS
        Assert.Equal((4, 4), (context.NThreads, context.NThreadsBatch));

        var model = LlamaNative.llama_model_default_params();
        Assert.Equal(-1, model.NGpuLayers);
    }

    [Fact]
    public void Values_written_at_the_declared_offsets_reach_llama_cpp()
    {
        using var context = fixture.NewContext(size: 768);
        Assert.Equal(768, context.ContextSize);
        Assert.Equal(512, context.BatchSize);
        Assert.Equal(512, context.MicroBatchSize);
        Assert.Equal(1, context.SequenceCount);
        Assert.Equal((1, 1), (context.Threads, context.BatchThreads));

        using var small = Engine.LlamaContext.Create(fixture.Model, 256, threads: 2, batchSize: 64);
        Assert.Equal((256, 64, 64, 2, 2), (small.ContextSize, small.BatchSize, small.MicroBatchSize, small.Threads, small.BatchThreads));
    }
}
