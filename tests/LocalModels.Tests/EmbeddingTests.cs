using LLama.Native;
using LlmRouter.LocalModels.Engine;
using LlmRouter.LocalModels.Gguf;

namespace LlmRouter.LocalModels.Tests;

/// <summary>
/// Embeddings on the fixture marked as an embedding model: one unit-length vector of the model's width per input,
/// the same for the same input whether it is embedded alone or batched with others, different for different inputs.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class EmbeddingTests(TinyModelFixture fixture)
{
    private static readonly string[] Texts = ["hello", "hello world", "the world, the lion", "你好 42 tea", "a"];

    private LlamaEmbedder NewEmbedder(LlamaModel? model = null, string? pooling = null) =>
        LlamaEmbedder.Create(model ?? fixture.EmbeddingModel, 512, threads: 1, pooling);

    private int[] Tokens(string text) => fixture.EmbeddingModel.Tokenize(text, addSpecial: true, parseSpecial: false);

    /// <summary>Runs one call to its end on <paramref name="embedder"/>.</summary>
    internal static EmbeddingOutcome Embed(LlamaEmbedder embedder, IReadOnlyList<int[]> inputs)
    {
        EmbeddingOutcome? outcome = null;
        embedder.Add(inputs, o => outcome = o, CancellationToken.None);
        while (!embedder.IsIdle)
        {
            embedder.Step();
        }
        Assert.NotNull(outcome);
        Assert.Equal(GenerationStatus.Completed, outcome.Status);
        return outcome;
    }

    private static double Length(float[] vector) => Math.Sqrt(vector.Sum(v => (double)v * v));

    /// <summary>
    /// The same vector up to rounding: llama.cpp's CPU kernels block a wide batch's matrix products differently from
    /// a narrow one's, which sums the same products in another order (observed here: up to about 4e-5 apart).
    /// Different inputs are far further apart (see <see cref="The_same_input_gives_the_same_vector_and_different_inputs_differ"/>).
    /// </summary>
    private static void AssertSameVector(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var furthest = expected.Zip(actual, (a, b) => Math.Abs((double)a - b)).Max();
        Assert.True(furthest <= Tolerance, $"vectors differ by up to {furthest:E2}");
    }

    private const double Tolerance = 1e-4;

    [Fact]
    public void Each_input_gets_a_unit_length_vector_as_wide_as_the_model_pooled_as_the_file_says()
    {
        using var embedder = NewEmbedder();

        var outcome = Embed(embedder, Texts.Select(Tokens).ToArray());

        Assert.Equal(LLamaPoolingType.Mean, embedder.Pooling);
        Assert.Equal(TinyLlamaGguf.EmbeddingLength, embedder.Dimensions);
        Assert.Equal(Texts.Length, outcome.Vectors.Count);
        foreach (var vector in outcome.Vectors)
        {
            Assert.Equal(TinyLlamaGguf.EmbeddingLength, vector.Length);
            Assert.Equal(1.0, Length(vector), 5);
        }
    }

    [Fact]
    public void Token_counts_are_the_tokenizers()
    {
        using var embedder = NewEmbedder();
        var inputs = Texts.Select(Tokens).ToArray();

        var outcome = Embed(embedder, inputs);

        // "hello" is BOS plus one piece; the counts are the tokenizer's, BOS included.
        Assert.Equal([TinyLlamaGguf.BeginToken, TinyLlamaGguf.Tokens.ToList().IndexOf("\u2581hello")], Tokens("hello"));
        Assert.Equal(inputs.Sum(i => i.Length), outcome.PromptTokens);
    }

    [Fact]
    public void The_same_input_gives_the_same_vector_and_different_inputs_differ()
    {
        using var embedder = NewEmbedder();

        var first = Embed(embedder, [Tokens("hello world")]).Vectors[0];
        var again = Embed(embedder, [Tokens("hello world")]).Vectors[0];
        var other = Embed(embedder, [Tokens("the world, the lion")]).Vectors[0];

        Assert.Equal(first, again);
        var cosine = first.Zip(other, (a, b) => (double)a * b).Sum();
        Assert.True(cosine < 0.999, $"different inputs gave nearly the same vector (cosine {cosine})");
        // Far beyond the rounding that batching may bring.
        Assert.True(first.Zip(other, (a, b) => Math.Abs((double)a - b)).Max() > 100 * Tolerance);
    }

    /// <summary>The mask keeps every input of a batch to its own tokens: each gets its vector alone (up to rounding).</summary>
    [Fact]
    public void A_batch_gives_each_input_its_vector_alone_up_to_rounding()
    {
        using var embedder = NewEmbedder();
        var alone = Texts.Select(t => Embed(embedder, [Tokens(t)]).Vectors[0]).ToArray();

        var batched = Embed(embedder, Texts.Select(Tokens).ToArray()).Vectors;

        for (var i = 0; i < Texts.Length; i++)
        {
            AssertSameVector(alone[i], batched[i]);
        }
    }

    [Fact]
    public void Inputs_beyond_one_decode_spill_into_the_next_steps_and_keep_their_order()
    {
        using var embedder = NewEmbedder();
        // 600 inputs are more than one decode's sequences (llama.cpp's maximum) and its 512 tokens.
        var inputs = Enumerable.Range(0, 600).Select(i => Tokens(Texts[i % Texts.Length])).ToArray();
        var alone = Texts.Select(t => Embed(embedder, [Tokens(t)]).Vectors[0]).ToArray();
        EmbeddingOutcome? outcome = null;
        embedder.Add(inputs, o => outcome = o, CancellationToken.None);

        var steps = 0;
        while (!embedder.IsIdle)
        {
            embedder.Step();
            steps++;
        }

        Assert.True(steps > 1, "600 inputs fitted in one decode");
        Assert.Equal(GenerationStatus.Completed, outcome!.Status);
        for (var i = 0; i < inputs.Length; i++)
        {
            AssertSameVector(alone[i % Texts.Length], outcome.Vectors[i]);
        }
    }

    [Fact]
    public void Calls_share_decodes_and_a_cancelled_one_leaves_the_others_their_vectors()
    {
        using var embedder = NewEmbedder();
        var alone = Embed(embedder, [Tokens("hello world")]).Vectors[0];
        using var cancel = new CancellationTokenSource();
        EmbeddingOutcome? kept = null, cancelled = null, other = null;
        embedder.Add([Tokens("hello world")], o => kept = o, CancellationToken.None);
        embedder.Add([Tokens("the lion")], o => cancelled = o, cancel.Token);
        embedder.Add([Tokens("tea")], o => other = o, CancellationToken.None);
        cancel.Cancel();

        embedder.Step();

        Assert.True(embedder.IsIdle, "the two calls left did not share one decode");
        Assert.Equal(GenerationStatus.Cancelled, cancelled!.Status);
        Assert.Empty(cancelled.Vectors);
        Assert.Equal((GenerationStatus.Completed, GenerationStatus.Completed), (kept!.Status, other!.Status));
        AssertSameVector(alone, kept.Vectors[0]);
    }

    [Fact]
    public void A_file_without_pooling_pools_by_mean_and_the_setting_overrides_the_file()
    {
        using var unmarked = NewEmbedder(fixture.Model);
        using var last = NewEmbedder(pooling: "last");
        var tokens = Tokens("the world, the lion");

        using var mean = NewEmbedder();
        var byMean = Embed(mean, [tokens]).Vectors[0];
        var byUnmarked = Embed(unmarked, [tokens]).Vectors[0];
        var byLast = Embed(last, [tokens]).Vectors[0];

        Assert.Equal((LLamaPoolingType.Mean, LLamaPoolingType.Last), (unmarked.Pooling, last.Pooling));
        // The two files hold the same weights: the unmarked one pools by mean too.
        Assert.Equal(byMean, byUnmarked);
        Assert.NotEqual(byMean, byLast);
        Assert.Equal(1.0, Length(byLast), 5);
    }

    [Fact]
    public void The_pooling_the_file_names_is_the_one_used()
    {
        var path = Path.Combine(fixture.Directory, "tiny-cls.gguf");
        TinyLlamaGguf.Write(path, pooling: "cls");
        using var model = LlamaModel.Load(path);
        using var embedder = NewEmbedder(model);
        using var mean = NewEmbedder();
        var tokens = Tokens("the world, the lion");

        var byCls = Embed(embedder, [tokens]).Vectors[0];

        Assert.Equal(LLamaPoolingType.CLS, embedder.Pooling);
        Assert.NotEqual(Embed(mean, [tokens]).Vectors[0], byCls);
    }

    [Fact]
    public void An_empty_input_or_one_longer_than_the_context_is_refused()
    {
        using var embedder = NewEmbedder();

        Assert.Throws<ArgumentException>(() => embedder.Add([[]], _ => { }, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => embedder.Add([new int[513]], _ => { }, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => embedder.Add([], _ => { }, CancellationToken.None));
        Assert.True(embedder.IsIdle);
    }

    [Fact]
    public void A_small_context_bounds_the_inputs_by_its_own_size_not_llama_cpps_rounded_one()
    {
        using var embedder = LlamaEmbedder.Create(fixture.EmbeddingModel, 16, threads: 1);
        var sixteen = Tokens(string.Join(' ', Enumerable.Repeat("lion", 20)))[..16];

        var outcome = Embed(embedder, [sixteen, sixteen]);

        Assert.Equal(16, embedder.ContextSize);
        Assert.Equal(2, outcome.Vectors.Count);
        Assert.Throws<ArgumentException>(() => embedder.Add([[.. sixteen, 1]], _ => { }, CancellationToken.None));
    }

    [Fact]
    public void A_zero_vector_stays_zero_and_others_get_length_one()
    {
        Assert.Equal([0f, 0f], LlamaEmbedder.UnitVector([0f, 0f]));
        Assert.Equal([0.6f, -0.8f], LlamaEmbedder.UnitVector([3f, -4f]));
    }
}
