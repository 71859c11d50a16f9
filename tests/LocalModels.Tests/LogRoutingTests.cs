using LlmRouter.LocalModels.Engine;
using Microsoft.Extensions.Logging;

namespace LlmRouter.LocalModels.Tests;

/// <summary>
/// Loading llama.cpp through LLamaSharp: one build per process, and its log reaches .NET logging as whole lines,
/// at matching levels.
/// </summary>
[Collection(TinyModelCollection.Name)]
public sealed class LogRoutingTests(TinyModelFixture fixture)
{
    private const string Category = "LlmRouter.LocalModels.LlamaCpp";

    [Fact]
    public void Loading_a_model_logs_its_metadata_at_debug_level_line_by_line()
    {
        var lines = fixture.Log.Lines.Where(l => l.Category == Category).ToArray();
        Assert.Contains(lines, l => l.Level == LogLevel.Debug && l.Message.StartsWith("llama_model_loader:", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain('\n', l.Message));
    }

    [Fact]
    public void A_file_that_is_not_gguf_fails_to_load_and_the_reason_is_logged_as_an_error()
    {
        var path = Path.Combine(fixture.Directory, "not-a-model.gguf");
        File.WriteAllText(path, "this is not a GGUF file at all");

        var exception = Assert.Throws<LocalModelException>(() => LlamaModel.Load(path));

        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Log.Lines, l => l.Category == Category && l.Level == LogLevel.Error && l.Message.Contains("magic", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Loading_the_same_build_again_returns_at_once()
    {
        LlamaBackend.EnsureLoaded("cpu", libraryDirectory: null, fixture.Loggers);
        Assert.Contains("CPU", LlamaBackend.SystemInfo(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_process_that_loaded_the_cpu_build_refuses_another_library()
    {
        var exception = Assert.Throws<LocalModelException>(() => LlamaBackend.EnsureLoaded("cpu", fixture.Directory, fixture.Loggers));

        Assert.Contains("already loaded (cpu)", exception.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Directory, exception.Message, StringComparison.Ordinal);
    }
}
