using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace LlmRouter.LocalModels.Native;

/// <summary>
/// Loads llama.cpp once per process from one variant folder (<c>llama/linux-x64</c>, <c>llama/linux-x64-cuda</c>
/// beside the executable, copied there by the build), routes its log into .NET logging and initializes its
/// backends. The ggml backends must be loaded from that folder before <c>llama_backend_init</c>, or no CPU
/// backend is found.
/// </summary>
public static unsafe class LlamaLibrary
{
    private static readonly Lock Gate = new();
    private static string? _directory;
    private static nint _llama;
    private static nint _ggml;
    private static bool _resolverSet;

    /// <summary>The folder the build copies a variant's libraries to.</summary>
    public static string DefaultDirectory(string variant) => Path.Combine(AppContext.BaseDirectory, "llama", variant);

    /// <summary>The folder the libraries were loaded from, or null before <see cref="EnsureLoaded"/>.</summary>
    public static string? LoadedDirectory => _directory;

    /// <summary>
    /// Loads the libraries from <paramref name="directory"/> and initializes llama.cpp; later calls with the same
    /// folder return at once. A process can load one variant only.
    /// </summary>
    public static void EnsureLoaded(string directory, ILoggerFactory loggers)
    {
        directory = Path.GetFullPath(directory);
        lock (Gate)
        {
            if (_directory is not null)
            {
                if (!string.Equals(_directory, directory, StringComparison.Ordinal))
                {
                    throw new LocalModelException($"llama.cpp is already loaded from {_directory}; a process cannot also load {directory}");
                }
                return;
            }
            if (!Directory.Exists(directory))
            {
                throw new LocalModelException(
                    $"llama.cpp libraries not found in {directory}: build the solution (it installs @node-llama-cpp from npm; add -p:LlamaCppCuda=true for the CUDA variant) or set LLM_ROUTER_LLAMA_LIB_DIR");
            }
            var llama = Find(directory, "libllama");
            var ggml = Find(directory, "libggml");
            try
            {
                _llama = NativeLibrary.Load(llama);
                _ggml = NativeLibrary.Load(ggml);
            }
            catch (DllNotFoundException exception)
            {
                throw new LocalModelException($"cannot load llama.cpp from {directory}: {exception.Message}", exception);
            }
            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(LlamaLibrary).Assembly, Resolve);
                _resolverSet = true;
            }
            LlamaLog.Attach(loggers.CreateLogger("LlmRouter.LocalModels.LlamaCpp"));
            LlamaNative.llama_log_set(&LlamaLog.OnMessage, 0);
            LlamaNative.ggml_backend_load_all_from_path(directory);
            LlamaNative.llama_backend_init();
            _directory = directory;
        }
    }

    /// <summary>llama.cpp's own description of the CPU features and backends in use.</summary>
    public static string SystemInfo() => Marshal.PtrToStringUTF8((nint)LlamaNative.llama_print_system_info()) ?? "";

    public static bool SupportsGpuOffload => LlamaNative.llama_supports_gpu_offload();

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        LlamaNative.Llama => _llama,
        LlamaNative.Ggml => _ggml,
        _ => 0,
    };

    /// <summary>Finds <c>libX.so</c> or a versioned <c>libX.vN.so</c> (not <c>libX-base.so</c> or other siblings).</summary>
    private static string Find(string directory, string stem)
    {
        var plain = Path.Combine(directory, stem + ".so");
        if (File.Exists(plain))
        {
            return plain;
        }
        var versioned = Directory.GetFiles(directory, stem + ".v*.so").Order(StringComparer.Ordinal).LastOrDefault();
        return versioned ?? throw new LocalModelException($"{stem}.so is missing from {directory}");
    }
}
