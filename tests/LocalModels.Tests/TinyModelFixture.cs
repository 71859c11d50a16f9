using LlmRouter.LocalModels.Engine;
using LlmRouter.LocalModels.Gguf;
using Microsoft.Extensions.Logging;

namespace LlmRouter.LocalModels.Tests;

/// <summary>The tiny random-weight GGUF, written once for the test run and loaded through llama.cpp.</summary>
public sealed class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "llmrouter-localmodel-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        ModelPath = Path.Combine(Directory, "tiny.gguf");
        TinyLlamaGguf.Write(ModelPath);
        Loggers = LoggerFactory.Create(logging => logging.AddProvider(Log).SetMinimumLevel(LogLevel.Trace));
        LlamaBackend.EnsureLoaded("cpu", libraryDirectory: null, Loggers);
        Model = LlamaModel.Load(ModelPath);
        EmbeddingModelPath = Path.Combine(Directory, "tiny-embed.gguf");
        TinyLlamaGguf.Write(EmbeddingModelPath, pooling: "mean");
        EmbeddingModel = LlamaModel.Load(EmbeddingModelPath);
    }

    /// <summary>What llama.cpp logged through .NET logging.</summary>
    public CapturedLog Log { get; } = new();

    public ILoggerFactory Loggers { get; }

    public string Directory { get; }
    public string ModelPath { get; }
    public LlamaModel Model { get; }

    /// <summary>The same tiny model marked as an embedding model (mean pooling in its metadata).</summary>
    public string EmbeddingModelPath { get; }

    public LlamaModel EmbeddingModel { get; }

    /// <summary>The prompt tokens of a one-message conversation, formatted with the fixture's chat template.</summary>
    public int[] ChatPrompt(string user) =>
        Model.Tokenize(Model.ApplyChatTemplate([new ChatTurn("user", user)])!, addSpecial: true, parseSpecial: true);

    /// <summary>A fresh context for up to <paramref name="sequences"/> requests at once, evaluating prompts in pieces of <paramref name="batchSize"/> tokens: one thread, as on the small test machines.</summary>
    public LlamaScheduler NewScheduler(int size = 1024, int sequences = 1, int batchSize = 512) => LlamaScheduler.Create(Model, size, threads: 1, sequences, batchSize);

    public void Dispose()
    {
        Model.Dispose();
        EmbeddingModel.Dispose();
        Loggers.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Harmless in a temp directory.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModelFixture>
{
    public const string Name = "tiny model";
}
