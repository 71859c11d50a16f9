using LlmRouter.Abstractions.Configuration;

namespace LlmRouter.LocalModels.Hosting;

/// <summary>How a node runs one local model, from its <c>[models.config]</c>: file, context, threads, GPU layers, queue, embeddings.</summary>
public sealed record LocalModelSettings
{
    public const int DefaultQueueSize = 8;
    public const int DefaultMaxContext = 4096;

    public required string ModelPath { get; init; }

    /// <summary>Tokens of context; null means the model's training context, at most <see cref="DefaultMaxContext"/>.</summary>
    public int? ContextSize { get; init; }

    public int Threads { get; init; } = DefaultThreads;
    public int? GpuLayers { get; init; }
    public int QueueSize { get; init; } = DefaultQueueSize;

    /// <summary>The model computes embeddings (and nothing else): <c>supports_embeddings</c>.</summary>
    public bool Embeddings { get; init; }

    /// <summary>How an embedding model pools its token vectors; null: the GGUF's own, else mean.</summary>
    public string? Pooling { get; init; }

    /// <summary>Half the processors (at least one): prompt and token evaluation scale poorly past the physical cores.</summary>
    public static int DefaultThreads => Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>The settings of a configured model, or null when it names no model file.</summary>
    public static LocalModelSettings? From(ModelConfig model, string baseDirectory)
    {
        var config = model.Config;
        if (string.IsNullOrWhiteSpace(config.ModelPath))
        {
            return null;
        }
        return new LocalModelSettings
        {
            ModelPath = Path.GetFullPath(config.ModelPath, baseDirectory),
            ContextSize = config.ContextSize,
            Threads = config.Threads ?? DefaultThreads,
            GpuLayers = config.GpuLayers,
            QueueSize = config.QueueSize ?? DefaultQueueSize,
            Embeddings = config.SupportsEmbeddings,
            Pooling = config.Pooling,
        };
    }
}
