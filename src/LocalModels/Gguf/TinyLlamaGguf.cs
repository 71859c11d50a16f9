using System.Globalization;

namespace LlmRouter.LocalModels.Gguf;

/// <summary>
/// A tiny llama-architecture model with random weights (64-dimensional, 2 layers, a SentencePiece vocabulary of
/// &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, the 256 byte tokens and a few pieces, a ChatML chat template). It says nothing
/// sensible but exercises the whole llama.cpp path quickly: tests, benchmarks and smoke checks of a GPU node; with a
/// pooling type in its metadata it is an embedding model. With a larger <see cref="LlamaShape"/> the same vocabulary
/// and template come with wider, deeper, quantized weights, for benchmarks that need decoding to cost what it costs
/// with real models.
/// </summary>
public static class TinyLlamaGguf
{
    public const int EmbeddingLength = 64;
    public const int BlockCount = 2;
    public const int HeadCount = 4;
    public const int HeadCountKv = 2;
    public const int FeedForwardLength = 128;
    public const int ContextLength = 4096;
    public const int UnknownToken = 0;
    public const int BeginToken = 1;
    public const int EndToken = 2;

    private const int TypeNormal = 1;
    private const int TypeUnknown = 2;
    private const int TypeControl = 3;
    private const int TypeByte = 6;

    /// <summary>ChatML, which llama.cpp's built-in template detection recognizes by its markers.</summary>
    public const string ChatTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    private static readonly string[] Pieces =
    [
        "\u2581", "\u2581t", "\u2581th", "\u2581the", "\u2581a", "\u2581h", "\u2581he", "\u2581hel", "\u2581hell", "\u2581hello",
        "\u2581w", "\u2581wo", "\u2581wor", "\u2581worl", "\u2581world", "e", "t", "a", "o", "i", "n", "s", "r", "l", "h", "d",
        "er", "in", "on", "an", "ll", "lo", "or", "rl", "ld", "he", "th",
    ];

    /// <summary>The vocabulary: special tokens, byte tokens, then pieces.</summary>
    public static IReadOnlyList<string> Tokens { get; } = BuildTokens();

    /// <summary>llama.cpp's pooling types as a GGUF names them (<c>{arch}.pooling_type</c>), for embedding models.</summary>
    public static IReadOnlyDictionary<string, uint> PoolingTypes { get; } = new Dictionary<string, uint>(StringComparer.Ordinal)
    {
        ["mean"] = 1,
        ["cls"] = 2,
        ["last"] = 3,
    };

    /// <summary>
    /// Writes the model to <paramref name="path"/>; the same <paramref name="seed"/>, shape and pooling give the same
    /// file. A <paramref name="pooling"/> (a key of <see cref="PoolingTypes"/>) marks it as an embedding model.
    /// </summary>
    public static void Write(string path, int seed = 42, LlamaShape? shape = null, string? pooling = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        Build(seed, shape, pooling).WriteTo(path);
    }

    public static GgufWriter Build(int seed = 42, LlamaShape? shape = null, string? pooling = null)
    {
        shape ??= LlamaShape.Tiny;
        var (embedding, blocks, heads, ffn, type) = (shape.EmbeddingLength, shape.BlockCount, shape.HeadCount, shape.FeedForwardLength, shape.WeightType);
        var tokens = Tokens;
        var vocab = tokens.Count;
        var headSize = embedding / heads;
        var kvSize = headSize * shape.HeadCountKv;
        // 0.2 for the tiny model's 64 dimensions, shrinking with the width so wider layers keep a similar output scale.
        var scale = 0.2f * MathF.Sqrt((float)EmbeddingLength / embedding);
        var random = new Random(seed);

        var scores = new float[vocab];
        var types = new int[vocab];
        for (var i = 0; i < vocab; i++)
        {
            (scores[i], types[i]) = i switch
            {
                UnknownToken => (0f, TypeUnknown),
                BeginToken or EndToken => (0f, TypeControl),
                < 3 + 256 => (0f, TypeByte),
                // Longer pieces score higher so the tokenizer prefers them when merging.
                _ => (-1000f + tokens[i].Length * 10f + i * 0.001f, TypeNormal),
            };
        }

        var writer = new GgufWriter()
            .Add("general.architecture", "llama")
            .Add("general.name", shape == LlamaShape.Tiny ? "tiny-random-llama" : $"random-llama-{embedding}x{blocks}")
            .Add("general.alignment", 32u)
            .Add("llama.context_length", (uint)ContextLength)
            .Add("llama.embedding_length", (uint)embedding)
            .Add("llama.block_count", (uint)blocks)
            .Add("llama.feed_forward_length", (uint)ffn)
            .Add("llama.attention.head_count", (uint)heads)
            .Add("llama.attention.head_count_kv", (uint)shape.HeadCountKv)
            .Add("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Add("llama.rope.dimension_count", (uint)headSize)
            .Add("llama.rope.freq_base", 10000f)
            .Add("llama.vocab_size", (uint)vocab)
            .Add("tokenizer.ggml.model", "llama")
            .Add("tokenizer.ggml.tokens", tokens)
            .Add("tokenizer.ggml.scores", scores)
            .Add("tokenizer.ggml.token_type", types)
            .Add("tokenizer.ggml.unknown_token_id", (uint)UnknownToken)
            .Add("tokenizer.ggml.bos_token_id", (uint)BeginToken)
            .Add("tokenizer.ggml.eos_token_id", (uint)EndToken)
            .Add("tokenizer.ggml.add_bos_token", true)
            .Add("tokenizer.ggml.add_eos_token", false)
            .Add("tokenizer.chat_template", ChatTemplate);
        if (pooling is not null)
        {
            writer.Add("llama.pooling_type", PoolingTypes.TryGetValue(pooling, out var poolingType)
                ? poolingType
                : throw new ArgumentException($"unknown pooling '{pooling}' (mean, cls or last)", nameof(pooling)));
        }

        void Matrix(string name, int inner, int outer, float range) =>
            writer.AddTensor(name, [inner, outer], Random(random, inner * outer, range), type);

        Matrix("token_embd.weight", embedding, vocab, 1.0f);
        writer.AddTensor("output_norm.weight", [embedding], Ones(embedding));
        Matrix("output.weight", embedding, vocab, 0.5f);
        for (var layer = 0; layer < blocks; layer++)
        {
            var prefix = "blk." + layer.ToString(CultureInfo.InvariantCulture) + ".";
            writer.AddTensor(prefix + "attn_norm.weight", [embedding], Ones(embedding));
            Matrix(prefix + "attn_q.weight", embedding, embedding, scale);
            Matrix(prefix + "attn_k.weight", embedding, kvSize, scale);
            Matrix(prefix + "attn_v.weight", embedding, kvSize, scale);
            Matrix(prefix + "attn_output.weight", embedding, embedding, scale);
            writer.AddTensor(prefix + "ffn_norm.weight", [embedding], Ones(embedding));
            Matrix(prefix + "ffn_gate.weight", embedding, ffn, scale);
            Matrix(prefix + "ffn_up.weight", embedding, ffn, scale);
            Matrix(prefix + "ffn_down.weight", ffn, embedding, scale);
        }
        return writer;
    }

    private static string[] BuildTokens()
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        for (var b = 0; b < 256; b++)
        {
            tokens.Add("<0x" + b.ToString("X2", CultureInfo.InvariantCulture) + ">");
        }
        tokens.AddRange(Pieces);
        return tokens.ToArray();
    }

    private static float[] Ones(int count) => Enumerable.Repeat(1f, count).ToArray();

    /// <summary>Uniform values in [-scale, scale).</summary>
    private static float[] Random(Random random, int count, float scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        }
        return values;
    }
}
