using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Native;

/// <summary><c>struct llama_sampler_chain_params</c>: one bool (<c>no_perf</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaSamplerChainParams
{
    public byte NoPerf;
}
