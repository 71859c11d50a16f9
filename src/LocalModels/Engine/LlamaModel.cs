using System.Runtime.InteropServices;
using System.Text;
using LlmRouter.LocalModels.Native;

namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// A GGUF model loaded into llama.cpp: its weights and vocabulary. Tokenizing and templating only read the
/// vocabulary, so they may run on any thread; evaluation happens in a <see cref="LlamaContext"/>.
/// </summary>
public sealed unsafe class LlamaModel : IDisposable
{
    private nint _model;

    private LlamaModel(nint model, string path)
    {
        _model = model;
        Path = path;
        Vocab = LlamaNative.llama_model_get_vocab(model);
        VocabSize = LlamaNative.llama_vocab_n_tokens(Vocab);
        TrainContextLength = LlamaNative.llama_model_n_ctx_train(model);
        var template = LlamaNative.llama_model_chat_template(model, null);
        ChatTemplate = template is null ? null : Marshal.PtrToStringUTF8((nint)template);
    }

    public string Path { get; }
    public int VocabSize { get; }
    public int TrainContextLength { get; }

    /// <summary>The chat template stored in the file, or null when it has none.</summary>
    public string? ChatTemplate { get; }

    internal nint Handle => _model != 0 ? _model : throw new ObjectDisposedException(nameof(LlamaModel));
    internal nint Vocab { get; }

    /// <summary>Loads a GGUF file; <paramref name="gpuLayers"/> null keeps llama.cpp's default (all layers on a GPU when there is one).</summary>
    public static LlamaModel Load(string path, int? gpuLayers = null)
    {
        if (!File.Exists(path))
        {
            throw new LocalModelException($"model file {path} does not exist");
        }
        var parameters = LlamaNative.llama_model_default_params();
        if (gpuLayers is { } layers)
        {
            parameters.NGpuLayers = layers;
        }
        var model = LlamaNative.llama_model_load_from_file(path, parameters);
        return model == 0
            ? throw new LocalModelException($"llama.cpp could not load {path} (see the LlamaCpp log for the reason)")
            : new LlamaModel(model, path);
    }

    public bool IsEndOfGeneration(int token) => LlamaNative.llama_vocab_is_eog(Vocab, token);

    /// <summary>Tokenizes UTF-8 text; <paramref name="addSpecial"/> adds the BOS token the model asks for, <paramref name="parseSpecial"/> reads control-token text as tokens.</summary>
    public int[] Tokenize(string text, bool addSpecial, bool parseSpecial)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var tokens = new int[bytes.Length + 8];
        fixed (byte* input = bytes)
        {
            while (true)
            {
                int count;
                fixed (int* output = tokens)
                {
                    count = LlamaNative.llama_tokenize(Vocab, input, bytes.Length, output, tokens.Length, addSpecial, parseSpecial);
                }
                if (count >= 0)
                {
                    return tokens.AsSpan(0, count).ToArray();
                }
                if (count == int.MinValue)
                {
                    throw new LocalModelException("the text is too long to tokenize");
                }
                tokens = new int[-count];
            }
        }
    }

    /// <summary>Appends the bytes of one token's text (special tokens render as nothing).</summary>
    public void AppendPiece(int token, List<byte> output)
    {
        Span<byte> buffer = stackalloc byte[128];
        fixed (byte* pointer = buffer)
        {
            var length = LlamaNative.llama_token_to_piece(Vocab, token, pointer, buffer.Length, 0, false);
            if (length >= 0)
            {
                foreach (var b in buffer[..length])
                {
                    output.Add(b);
                }
                return;
            }
        }
        var large = new byte[-LlamaNative.llama_token_to_piece(Vocab, token, null, 0, 0, false)];
        fixed (byte* pointer = large)
        {
            var length = LlamaNative.llama_token_to_piece(Vocab, token, pointer, large.Length, 0, false);
            output.AddRange(large.AsSpan(0, Math.Max(0, length)));
        }
    }

    /// <summary>The text of a token sequence (the inverse of <see cref="Tokenize"/>).</summary>
    public string Detokenize(ReadOnlySpan<int> tokens, bool removeSpecial = true, bool unparseSpecial = false)
    {
        var buffer = new byte[tokens.Length * 8 + 16];
        fixed (int* input = tokens)
        {
            while (true)
            {
                int length;
                fixed (byte* output = buffer)
                {
                    length = LlamaNative.llama_detokenize(Vocab, input, tokens.Length, output, buffer.Length, removeSpecial, unparseSpecial);
                }
                if (length >= 0)
                {
                    return Encoding.UTF8.GetString(buffer, 0, length);
                }
                buffer = new byte[-length];
            }
        }
    }

    /// <summary>
    /// Formats a conversation with the model's chat template (or <paramref name="template"/>, a template text or a
    /// built-in name such as <c>chatml</c>), ending with the assistant's turn. Null when llama.cpp does not know the template.
    /// </summary>
    public string? ApplyChatTemplate(IReadOnlyList<ChatTurn> turns, string? template = null)
    {
        template ??= ChatTemplate ?? "chatml";
        var handles = new List<GCHandle>();
        try
        {
            var messages = new LlamaChatMessage[turns.Count];
            var size = 0;
            for (var i = 0; i < turns.Count; i++)
            {
                messages[i] = new LlamaChatMessage { Role = Pin(turns[i].Role, handles), Content = Pin(turns[i].Content, handles) };
                size += turns[i].Role.Length + turns[i].Content.Length;
            }
            var templateBytes = Pin(template, handles);
            var buffer = new byte[size * 2 + 256];
            fixed (LlamaChatMessage* chat = messages)
            {
                while (true)
                {
                    int length;
                    fixed (byte* output = buffer)
                    {
                        length = LlamaNative.llama_chat_apply_template(templateBytes, chat, (nuint)messages.Length, true, output, buffer.Length);
                    }
                    if (length < 0)
                    {
                        return null;
                    }
                    if (length <= buffer.Length)
                    {
                        return Encoding.UTF8.GetString(buffer, 0, length);
                    }
                    buffer = new byte[length];
                }
            }
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Free();
            }
        }
    }

    private static byte* Pin(string text, List<GCHandle> handles)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        handles.Add(handle);
        return (byte*)handle.AddrOfPinnedObject();
    }

    public void Dispose()
    {
        if (_model != 0)
        {
            LlamaNative.llama_model_free(_model);
            _model = 0;
        }
    }
}
