using LlmRouter.LocalModels.Engine;

namespace LlmRouter.LocalModels.Tests;

/// <summary>A process loads one llama.cpp build, through LLamaSharp, and says which when asked for another.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class BackendTests(TinyModelFixture fixture)
{
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
