namespace LlmRouter.LocalModels.Engine;

/// <summary>Creates the llama.cpp contexts of a loaded model: one for generation, or one that computes embeddings.</summary>
internal static class LlamaContexts
{
    /// <summary>The most tokens llama.cpp evaluates at once with unfused attention (a longer batch goes in several pieces).</summary>
    private const int UnfusedMicroBatch = 128;

    /// <summary>
    /// A context of <paramref name="contextSize"/> cells for up to <paramref name="sequences"/> sequences, decoding up
    /// to <paramref name="batchSize"/> tokens at once with <paramref name="threads"/> threads. With a
    /// <paramref name="pooling"/> it computes one pooled embedding per sequence instead of logits.
    /// <paramref name="flashAttention"/> null leaves the choice to <see cref="LlamaModel.FlashAttention"/>.
    /// </summary>
    public static SafeLLamaContextHandle Create(LlamaModel model, int contextSize, int threads, int sequences, int batchSize, LLamaPoolingType? pooling = null, bool? flashAttention = null)
    {
        var parameters = LLamaContextParams.Default();
        batchSize = Math.Clamp(batchSize, 1, contextSize);
        parameters.n_ctx = (uint)contextSize;
        parameters.n_batch = (uint)batchSize;
        var flash = flashAttention ?? model.FlashAttention;
        // Unfused attention builds, per head and layer, a matrix of a micro-batch's tokens by the positions they attend
        // to: micro-batches of 128 keep it in cache (a long prompt evaluated 1.3 to 2.3x faster on the fixture); a batch
        // size they do not divide keeps whole batches. Pooled embeddings need each input in one micro-batch.
        var split = !flash && pooling is null && batchSize % UnfusedMicroBatch == 0;
        parameters.n_ubatch = (uint)(split ? UnfusedMicroBatch : batchSize);
        // llama.cpp keeps room for an output per sequence in a batch's outputs (at most the batch size): more stops the process.
        parameters.n_seq_max = (uint)Math.Clamp(sequences, 1, Math.Min((int)NativeApi.llama_max_parallel_sequences(), batchSize));
        parameters.n_threads = threads;
        parameters.n_threads_batch = threads;
        parameters.kv_unified = true;
        parameters.llama_flash_attn_type = flash
            ? LLamaFlashAttentionType.LLAMA_FLASH_ATTENTION_TYPE_ENABLED
            : LLamaFlashAttentionType.LLAMA_FLASH_ATTENTION_TYPE_DISABLED;
        if (pooling is { } type)
        {
            parameters.embeddings = true;
            parameters.llama_pooling_type = type;
        }
        try
        {
            return SafeLLamaContextHandle.Create(model.Handle, parameters);
        }
        catch (LLama.Exceptions.RuntimeError exception)
        {
            throw new LocalModelException($"llama.cpp could not create a context of {contextSize} tokens for {model.Path}", exception);
        }
    }
}
