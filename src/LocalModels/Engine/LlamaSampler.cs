using LlmRouter.LocalModels.Native;

namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// A llama.cpp sampler chain built from a request's settings: logit biases, then greedy when the temperature is
/// zero, else top-k, top-p, temperature and a seeded random draw.
/// </summary>
public sealed unsafe class LlamaSampler : IDisposable
{
    private nint _chain;

    private LlamaSampler(nint chain) => _chain = chain;

    internal nint Handle => _chain != 0 ? _chain : throw new ObjectDisposedException(nameof(LlamaSampler));

    public static LlamaSampler Create(LlamaModel model, SamplingOptions options)
    {
        var chain = LlamaNative.llama_sampler_chain_init(LlamaNative.llama_sampler_chain_default_params());
        if (options.LogitBias.Count > 0)
        {
            var biases = options.LogitBias.Select(b => new LlamaLogitBias { Token = b.Key, Bias = b.Value }).ToArray();
            fixed (LlamaLogitBias* pointer = biases)
            {
                // llama.cpp copies the biases.
                LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_logit_bias(model.VocabSize, biases.Length, pointer));
            }
        }
        if (options.IsGreedy)
        {
            LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_greedy());
            return new LlamaSampler(chain);
        }
        if (options.TopK is > 0 and var k)
        {
            LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_top_k(k));
        }
        if (options.TopP is < 1f and var p)
        {
            LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_top_p(p, 1));
        }
        LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_temp(options.Temperature));
        LlamaNative.llama_sampler_chain_add(chain, LlamaNative.llama_sampler_init_dist(options.Seed));
        return new LlamaSampler(chain);
    }

    public void Dispose()
    {
        if (_chain != 0)
        {
            // Freeing the chain frees the samplers added to it.
            LlamaNative.llama_sampler_free(_chain);
            _chain = 0;
        }
    }
}
