namespace LlmRouter.LocalModels.Hosting;

/// <summary>
/// Which llama.cpp build a node loads: LLamaSharp's <c>cpu</c> or <c>cuda</c> backend (<c>[cluster] llama_backend</c>),
/// or the <c>libllama</c> in <see cref="Directory"/> (LLM_ROUTER_LLAMA_LIB_DIR) when set.
/// </summary>
public sealed record LlamaLibrarySource(string Backend, string? Directory);
