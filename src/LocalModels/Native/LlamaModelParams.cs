using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Native;

/// <summary>
/// <c>struct llama_model_params</c> of the pinned build (80 bytes). Only the fields the router sets are declared;
/// the rest keep the values <c>llama_model_default_params()</c> returned, because the struct is always started from there.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct LlamaModelParams
{
    public const int Size = 80;
    public const int NGpuLayersOffset = 16;

    /// <summary>Layers to offload to the GPU; negative means all of them.</summary>
    [FieldOffset(NGpuLayersOffset)]
    public int NGpuLayers;
}
