using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Native;

/// <summary>
/// <c>struct llama_context_params</c> of the pinned build (160 bytes). Only the fields the router sets are declared;
/// the rest keep the values <c>llama_context_default_params()</c> returned.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct LlamaContextParams
{
    public const int Size = 160;
    public const int NCtxOffset = 0;
    public const int NBatchOffset = 4;
    public const int NUbatchOffset = 8;
    public const int NSeqMaxOffset = 12;
    public const int NThreadsOffset = 28;
    public const int NThreadsBatchOffset = 32;

    [FieldOffset(NCtxOffset)]
    public uint NCtx;

    [FieldOffset(NBatchOffset)]
    public uint NBatch;

    [FieldOffset(NUbatchOffset)]
    public uint NUbatch;

    [FieldOffset(NSeqMaxOffset)]
    public uint NSeqMax;

    [FieldOffset(NThreadsOffset)]
    public int NThreads;

    [FieldOffset(NThreadsBatchOffset)]
    public int NThreadsBatch;
}
