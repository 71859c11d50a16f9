namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// A llama.cpp sampler chain built from a request's settings: logit biases, then greedy when the temperature is
/// zero, else top-k, top-p, temperature and a seeded random draw. Each sequence of a batch has its own chain.
/// </summary>
public sealed class LlamaSampler : IDisposable
{
    private readonly SafeLLamaSamplerChainHandle _chain;

    private LlamaSampler(SafeLLamaSamplerChainHandle chain) => _chain = chain;

    public static LlamaSampler Create(LlamaModel model, SamplingOptions options)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        if (options.LogitBias.Count > 0)
        {
            // llama.cpp copies the biases.
            var biases = options.LogitBias.Select(b => new LLamaLogitBias { Token = b.Key, Bias = b.Value }).ToArray();
            chain.AddLogitBias(model.VocabSize, biases);
        }
        if (options.IsGreedy)
        {
            chain.AddGreedySampler();
            return new LlamaSampler(chain);
        }
        if (options.TopK is > 0 and var k)
        {
            chain.AddTopK(k);
        }
        if (options.TopP is < 1f and var p)
        {
            chain.AddTopP(p, 1);
        }
        chain.AddTemperature(options.Temperature);
        chain.AddDistributionSampler(options.Seed);
        return new LlamaSampler(chain);
    }

    /// <summary>Draws the next token from the logits of the batch's <paramref name="index"/>-th output, and remembers it.</summary>
    internal int Sample(SafeLLamaContextHandle context, int index) => (int)_chain.Sample(context, index);

    public void Dispose() => _chain.Dispose();
}
