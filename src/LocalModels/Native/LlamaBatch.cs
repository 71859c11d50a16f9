using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Native;

/// <summary><c>struct llama_batch</c>: parallel arrays of <see cref="NTokens"/> entries, allocated by <c>llama_batch_init</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaBatch
{
    public int NTokens;
    public int* Token;
    public float* Embd;
    public int* Pos;
    public int* NSeqId;
    public int** SeqId;
    public sbyte* Logits;
}
