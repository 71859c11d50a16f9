using LLama;
using LLama.Exceptions;

namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// A GGUF model loaded into llama.cpp through LLamaSharp: its weights and vocabulary. Tokenizing and templating only
/// read the vocabulary, so they may run on any thread; evaluation happens in a <see cref="LlamaScheduler"/>.
/// </summary>
public sealed class LlamaModel : IDisposable
{
    private readonly SafeLlamaModelHandle _handle;

    private LlamaModel(SafeLlamaModelHandle handle, string path, bool onCpu)
    {
        _handle = handle;
        Path = path;
        OnCpu = onCpu;
        VocabSize = handle.Vocab.Count;
        TrainContextLength = handle.ContextSize;
        ChatTemplate = handle.GetTemplate(strict: false);
    }

    public string Path { get; }
    public int VocabSize { get; }
    public int TrainContextLength { get; }

    /// <summary>True when every layer is evaluated on the processor (a build without GPU offload, or no layer offloaded).</summary>
    public bool OnCpu { get; }

    /// <summary>
    /// Whether contexts of this model compute attention with llama.cpp's fused flash-attention kernel:
    /// on a GPU, yes; on the processor, no. The CPU kernel walks every cell of the unified memory once per query row
    /// (cells of the other sequences too, skipped by the mask one by one), so in a batch of n generating sequences each
    /// token's attention costs about n times a lone one's; the unfused path evaluates the same attention as matrix
    /// products shared by the batch's tokens, which is what makes continuous batching pay on the processor
    /// (LocalModelBench --compare-flash-attention measures both).
    /// </summary>
    public bool FlashAttention => !OnCpu;

    /// <summary>The chat template stored in the file, or null when it has none.</summary>
    public string? ChatTemplate { get; }

    internal SafeLlamaModelHandle Handle => _handle.IsClosed ? throw new ObjectDisposedException(nameof(LlamaModel)) : _handle;

    /// <summary>Loads a GGUF file; <paramref name="gpuLayers"/> null keeps llama.cpp's default (all layers on a GPU when there is one).</summary>
    public static LlamaModel Load(string path, int? gpuLayers = null)
    {
        if (!File.Exists(path))
        {
            throw new LocalModelException($"model file {path} does not exist");
        }
        var parameters = LLamaModelParams.Default();
        if (gpuLayers is { } layers)
        {
            parameters.n_gpu_layers = layers;
        }
        try
        {
            var onCpu = !NativeApi.llama_supports_gpu_offload() || parameters.n_gpu_layers == 0;
            return new LlamaModel(SafeLlamaModelHandle.LoadFromFile(path, parameters), path, onCpu);
        }
        catch (LoadWeightsFailedException exception)
        {
            throw new LocalModelException($"llama.cpp could not load {path} (see the LlamaCpp log for the reason)", exception);
        }
    }

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(_handle.Vocab);

    /// <summary>Tokenizes UTF-8 text; <paramref name="addSpecial"/> adds the BOS token the model asks for, <paramref name="parseSpecial"/> reads control-token text as tokens.</summary>
    public int[] Tokenize(string text, bool addSpecial, bool parseSpecial) =>
        Array.ConvertAll(Handle.Tokenize(text, addSpecial, parseSpecial, Encoding.UTF8), t => (int)t);

    /// <summary>Appends the bytes of one token's text (special tokens render as nothing).</summary>
    public void AppendPiece(int token, List<byte> output)
    {
        Span<byte> buffer = stackalloc byte[128];
        var length = (int)Handle.TokenToSpan(token, buffer);
        if (length <= buffer.Length)
        {
            output.AddRange(buffer[..length]);
            return;
        }
        var large = new byte[length];
        length = (int)Handle.TokenToSpan(token, large);
        output.AddRange(large.AsSpan(0, Math.Min(length, large.Length)));
    }

    /// <summary>The text of a token sequence (the inverse of <see cref="Tokenize"/>; special tokens render as nothing).</summary>
    public string Detokenize(ReadOnlySpan<int> tokens)
    {
        var bytes = new List<byte>(tokens.Length * 4);
        foreach (var token in tokens)
        {
            AppendPiece(token, bytes);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>
    /// Formats a conversation with the model's chat template (or <paramref name="template"/>, a template text or a
    /// built-in name such as <c>chatml</c>), ending with the assistant's turn. Null when llama.cpp does not know the template.
    /// </summary>
    public string? ApplyChatTemplate(IReadOnlyList<ChatTurn> turns, string? template = null)
    {
        var chat = new LLamaTemplate(template ?? ChatTemplate ?? "chatml") { AddAssistant = true };
        foreach (var turn in turns)
        {
            chat.Add(turn.Role, turn.Content);
        }
        try
        {
            return Encoding.UTF8.GetString(chat.Apply());
        }
        catch (MissingTemplateException)
        {
            return null;
        }
    }

    public void Dispose() => _handle.Dispose();
}
