using System.Runtime.InteropServices;

namespace LlmRouter.LocalModels.Engine;

/// <summary>
/// Loads llama.cpp once per process through LLamaSharp: the natives its backend package put beside the executable
/// (<c>runtimes/&lt;rid&gt;/native/</c>; LLamaSharp picks the CPU build matching the processor, or the CUDA build),
/// or a <c>libllama</c> in a folder given instead. llama.cpp's log goes to .NET logging from the start.
/// </summary>
public static class LlamaBackend
{
    /// <summary>Where LLamaSharp.Backend.Cuda12 puts its libraries, under the runtime's native folder.</summary>
    public const string CudaFolder = "cuda12";

    private static readonly Lock Gate = new();
    private static string? _loaded;

    /// <summary>The folder the CUDA build must be in: <c>runtimes/&lt;rid&gt;/native/cuda12</c> beside the executable.</summary>
    public static string CudaDirectory => Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", CudaFolder);

    /// <summary>
    /// Loads llama.cpp: the <paramref name="backend"/> (<c>cpu</c> or <c>cuda</c>) build, or the <c>libllama</c> in
    /// <paramref name="libraryDirectory"/> when given (it must be built from LLamaSharp's own llama.cpp commit).
    /// Later calls asking for the same return at once; a process loads one build only.
    /// </summary>
    public static void EnsureLoaded(string backend, string? libraryDirectory, ILoggerFactory loggers)
    {
        var wanted = libraryDirectory is { Length: > 0 } ? Path.GetFullPath(libraryDirectory) : backend;
        if (wanted == "cuda" && !Directory.Exists(CudaDirectory))
        {
            throw new LocalModelException(
                $"llama_backend = \"cuda\" but this build has no CUDA natives in {CudaDirectory}: build with -p:LlamaBackend=Cuda12");
        }
        lock (Gate)
        {
            if (_loaded is not null)
            {
                if (!string.Equals(_loaded, wanted, StringComparison.Ordinal))
                {
                    throw new LocalModelException($"llama.cpp is already loaded ({_loaded}); a process cannot also load {wanted}");
                }
                return;
            }
            Configure(backend, libraryDirectory is { Length: > 0 } ? wanted : null);
            LlamaLog.Attach(loggers.CreateLogger("LlmRouter.LocalModels.LlamaCpp"));
            try
            {
                // The first call into LLamaSharp's native API loads the library and initializes llama.cpp's backends.
                NativeApi.llama_empty_call();
            }
            catch (Exception exception) when (exception is TypeInitializationException or DllNotFoundException or LLama.Exceptions.RuntimeError)
            {
                throw new LocalModelException($"cannot load llama.cpp ({wanted}): {(exception.InnerException ?? exception).Message}", exception);
            }
            _loaded = wanted;
        }
    }

    /// <summary>llama.cpp's own description of the CPU features and backends in use.</summary>
    public static string SystemInfo() => Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info()) ?? "";

    private static void Configure(string backend, string? libraryDirectory)
    {
        if (NativeLibraryConfig.LLama.LibraryHasLoaded)
        {
            // Another part of the process loaded LLamaSharp first; its choice stands.
            return;
        }
        var config = NativeLibraryConfig.All.WithLogCallback(LlamaLog.OnMessage);
        if (libraryDirectory is not null)
        {
            var library = Path.Combine(libraryDirectory, "libllama.so");
            if (!File.Exists(library))
            {
                throw new LocalModelException($"libllama.so is missing from {libraryDirectory} (LLM_ROUTER_LLAMA_LIB_DIR)");
            }
            config.WithLibrary(library, null);
            return;
        }
        if (backend == "cuda")
        {
            config.WithCuda(true).WithAutoFallback(false);
        }
        else
        {
            config.WithCuda(false).WithVulkan(false);
        }
    }
}
