using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Native;

/// <summary><c>struct llama_logit_bias</c>: a bias added to one token's logit.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaLogitBias
{
    public int Token;
    public float Bias;
}
