using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Native;

/// <summary><c>struct llama_chat_message</c>: a role and its content as NUL-terminated UTF-8.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaChatMessage
{
    public byte* Role;
    public byte* Content;
}
