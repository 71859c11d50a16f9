using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Native;

/// <summary>
/// The part of llama.cpp's C API (llama.h and ggml-backend.h of the pinned build) the router calls. The library
/// names are resolved by <see cref="LlamaLibrary"/> to the files of the selected variant.
/// </summary>
internal static unsafe partial class LlamaNative
{
    public const string Llama = "llama";
    public const string Ggml = "ggml";

    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void ggml_backend_load_all_from_path(string directory);

    [LibraryImport(Llama)]
    public static partial void llama_backend_init();

    [LibraryImport(Llama)]
    public static partial void llama_log_set(delegate* unmanaged<int, byte*, nint, void> callback, nint userData);

    [LibraryImport(Llama)]
    public static partial byte* llama_print_system_info();

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_supports_gpu_offload();

    [LibraryImport(Llama)]
    public static partial LlamaModelParams llama_model_default_params();

    [LibraryImport(Llama)]
    public static partial LlamaContextParams llama_context_default_params();

    [LibraryImport(Llama)]
    public static partial LlamaSamplerChainParams llama_sampler_chain_default_params();

    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint llama_model_load_from_file(string path, LlamaModelParams parameters);

    [LibraryImport(Llama)]
    public static partial void llama_model_free(nint model);

    [LibraryImport(Llama)]
    public static partial nint llama_model_get_vocab(nint model);

    [LibraryImport(Llama)]
    public static partial int llama_model_n_ctx_train(nint model);

    [LibraryImport(Llama)]
    public static partial byte* llama_model_chat_template(nint model, byte* name);

    [LibraryImport(Llama)]
    public static partial int llama_vocab_n_tokens(nint vocab);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_is_eog(nint vocab, int token);

    [LibraryImport(Llama)]
    public static partial nint llama_init_from_model(nint model, LlamaContextParams parameters);

    [LibraryImport(Llama)]
    public static partial void llama_free(nint context);

    [LibraryImport(Llama)]
    public static partial uint llama_n_ctx(nint context);

    [LibraryImport(Llama)]
    public static partial uint llama_n_batch(nint context);

    [LibraryImport(Llama)]
    public static partial uint llama_n_ubatch(nint context);

    [LibraryImport(Llama)]
    public static partial uint llama_n_seq_max(nint context);

    [LibraryImport(Llama)]
    public static partial int llama_n_threads(nint context);

    [LibraryImport(Llama)]
    public static partial int llama_n_threads_batch(nint context);

    [LibraryImport(Llama)]
    public static partial void llama_set_abort_callback(nint context, delegate* unmanaged<nint, byte> callback, nint data);

    [LibraryImport(Llama)]
    public static partial nint llama_get_memory(nint context);

    [LibraryImport(Llama)]
    public static partial void llama_memory_clear(nint memory, [MarshalAs(UnmanagedType.U1)] bool data);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_memory_seq_rm(nint memory, int sequence, int from, int to);

    [LibraryImport(Llama)]
    public static partial LlamaBatch llama_batch_init(int tokens, int embeddings, int maxSequences);

    [LibraryImport(Llama)]
    public static partial void llama_batch_free(LlamaBatch batch);

    [LibraryImport(Llama)]
    public static partial int llama_decode(nint context, LlamaBatch batch);

    [LibraryImport(Llama)]
    public static partial int llama_tokenize(
        nint vocab, byte* text, int textLength, int* tokens, int maxTokens,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);

    [LibraryImport(Llama)]
    public static partial int llama_token_to_piece(
        nint vocab, int token, byte* buffer, int length, int leftStrip, [MarshalAs(UnmanagedType.U1)] bool special);

    [LibraryImport(Llama)]
    public static partial int llama_detokenize(
        nint vocab, int* tokens, int count, byte* text, int maxLength,
        [MarshalAs(UnmanagedType.U1)] bool removeSpecial, [MarshalAs(UnmanagedType.U1)] bool unparseSpecial);

    [LibraryImport(Llama)]
    public static partial int llama_chat_apply_template(
        byte* template, LlamaChatMessage* messages, nuint count, [MarshalAs(UnmanagedType.U1)] bool addAssistant, byte* buffer, int length);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_chain_init(LlamaSamplerChainParams parameters);

    [LibraryImport(Llama)]
    public static partial void llama_sampler_chain_add(nint chain, nint sampler);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_greedy();

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_dist(uint seed);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_top_k(int k);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_top_p(float p, nuint minKeep);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_temp(float temperature);

    [LibraryImport(Llama)]
    public static partial nint llama_sampler_init_logit_bias(int vocabSize, int count, LlamaLogitBias* biases);

    [LibraryImport(Llama)]
    public static partial int llama_sampler_sample(nint sampler, nint context, int index);

    [LibraryImport(Llama)]
    public static partial void llama_sampler_free(nint sampler);
}
