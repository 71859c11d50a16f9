using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LlmRouter.LocalModels.Native;

namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// One llama.cpp context (KV memory, one sequence) over a model. It remembers which tokens its memory holds, so a
/// prompt that extends the previous conversation only evaluates the new tokens. Not thread-safe: one caller at a
/// time, except <see cref="RequestAbort"/>, which any thread may call.
/// </summary>
public sealed unsafe class LlamaContext : IDisposable
{
    private readonly LlamaModel _model;
    private readonly List<int> _cached = [];
    private readonly int* _abort;
    private readonly int _batchCapacity;
    private nint _context;
    private LlamaBatch _batch;

    private LlamaContext(LlamaModel model, nint context, int batchCapacity)
    {
        _model = model;
        _context = context;
        _batchCapacity = batchCapacity;
        _batch = LlamaNative.llama_batch_init(batchCapacity, 0, 1);
        _abort = (int*)NativeMemory.AllocZeroed(sizeof(int));
        LlamaNative.llama_set_abort_callback(context, &ShouldAbort, (nint)_abort);
    }

    public LlamaModel Model => _model;
    public int ContextSize => (int)LlamaNative.llama_n_ctx(Handle);
    public int BatchSize => (int)LlamaNative.llama_n_batch(Handle);
    public int MicroBatchSize => (int)LlamaNative.llama_n_ubatch(Handle);
    public int SequenceCount => (int)LlamaNative.llama_n_seq_max(Handle);
    public int Threads => LlamaNative.llama_n_threads(Handle);
    public int BatchThreads => LlamaNative.llama_n_threads_batch(Handle);

    /// <summary>Tokens whose keys and values the memory holds, in order.</summary>
    public int CachedTokenCount => _cached.Count;

    internal nint Handle => _context != 0 ? _context : throw new ObjectDisposedException(nameof(LlamaContext));

    /// <summary>Creates a context of <paramref name="contextSize"/> tokens evaluated with <paramref name="threads"/> threads.</summary>
    public static LlamaContext Create(LlamaModel model, int contextSize, int threads, int batchSize = 512)
    {
        var parameters = LlamaNative.llama_context_default_params();
        batchSize = Math.Clamp(batchSize, 1, contextSize);
        parameters.NCtx = (uint)contextSize;
        parameters.NBatch = (uint)batchSize;
        parameters.NUbatch = (uint)batchSize;
        parameters.NSeqMax = 1;
        parameters.NThreads = threads;
        parameters.NThreadsBatch = threads;
        var context = LlamaNative.llama_init_from_model(model.Handle, parameters);
        return context == 0
            ? throw new LocalModelException($"llama.cpp could not create a context of {contextSize} tokens for {model.Path}")
            : new LlamaContext(model, context, batchSize);
    }

    /// <summary>
    /// Makes the memory hold exactly <paramref name="prompt"/>, keeping the prefix it shares with what the memory
    /// already holds, and computes the logits of its last token. <paramref name="reused"/> tells how many tokens
    /// were not evaluated again.
    /// </summary>
    public DecodeStatus Ingest(ReadOnlySpan<int> prompt, out int reused)
    {
        if (prompt.IsEmpty)
        {
            throw new ArgumentException("the prompt has no tokens", nameof(prompt));
        }
        var common = 0;
        while (common < _cached.Count && common < prompt.Length && _cached[common] == prompt[common])
        {
            common++;
        }
        // The last prompt token is always evaluated again: sampling needs its logits.
        common = Math.Min(common, prompt.Length - 1);
        if (common < _cached.Count)
        {
            if (LlamaNative.llama_memory_seq_rm(LlamaNative.llama_get_memory(Handle), 0, common, -1))
            {
                _cached.RemoveRange(common, _cached.Count - common);
            }
            else
            {
                Clear();
                common = 0;
            }
        }
        reused = common;
        for (var start = common; start < prompt.Length; start += _batchCapacity)
        {
            var end = Math.Min(prompt.Length, start + _batchCapacity);
            var status = Decode(prompt[start..end], outputLast: end == prompt.Length);
            if (status != DecodeStatus.Ok)
            {
                return status;
            }
        }
        return DecodeStatus.Ok;
    }

    /// <summary>Evaluates one more token (usually the one just sampled) and computes its logits.</summary>
    public DecodeStatus Append(int token) => Decode([token], outputLast: true);

    /// <summary>Samples the next token from the last computed logits.</summary>
    public int Sample(LlamaSampler sampler) => LlamaNative.llama_sampler_sample(sampler.Handle, Handle, -1);

    /// <summary>Empties the KV memory.</summary>
    public void Clear()
    {
        LlamaNative.llama_memory_clear(LlamaNative.llama_get_memory(Handle), true);
        _cached.Clear();
    }

    /// <summary>Makes a running decode stop at its next check; cleared by <see cref="ResetAbort"/>.</summary>
    public void RequestAbort() => Volatile.Write(ref Unsafe.AsRef<int>(_abort), 1);

    public void ResetAbort() => Volatile.Write(ref Unsafe.AsRef<int>(_abort), 0);

    private DecodeStatus Decode(ReadOnlySpan<int> tokens, bool outputLast)
    {
        var position = _cached.Count;
        for (var i = 0; i < tokens.Length; i++)
        {
            _batch.Token[i] = tokens[i];
            _batch.Pos[i] = position + i;
            _batch.NSeqId[i] = 1;
            _batch.SeqId[i][0] = 0;
            _batch.Logits[i] = (sbyte)(outputLast && i == tokens.Length - 1 ? 1 : 0);
        }
        _batch.NTokens = tokens.Length;
        var result = LlamaNative.llama_decode(Handle, _batch);
        switch (result)
        {
            case 0:
                foreach (var token in tokens)
                {
                    _cached.Add(token);
                }
                return DecodeStatus.Ok;
            case 1:
                // The memory is as it was before the call.
                return DecodeStatus.ContextFull;
            default:
                // Part of the batch may be in memory now: start clean next time.
                Clear();
                return result == 2 ? DecodeStatus.Aborted : DecodeStatus.Failed;
        }
    }

    [UnmanagedCallersOnly]
    private static byte ShouldAbort(nint flag) => Volatile.Read(ref Unsafe.AsRef<int>((int*)flag)) != 0 ? (byte)1 : (byte)0;

    public void Dispose()
    {
        if (_context != 0)
        {
            LlamaNative.llama_batch_free(_batch);
            LlamaNative.llama_free(_context);
            NativeMemory.Free(_abort);
            _context = 0;
        }
    }
}
