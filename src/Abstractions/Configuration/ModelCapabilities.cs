namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [models.config] table: capabilities, prices and local-model settings.</summary>
public sealed record ModelCapabilities
{
    /// <summary>The values <see cref="Pooling"/> may take.</summary>
    public static readonly IReadOnlyList<string> PoolingTypes = ["mean", "cls", "last"];

    public string? ContextWindow { get; init; }
    public bool SupportsVision { get; init; }
    public bool SupportsTools { get; init; }

    /// <summary>The model computes embeddings; a local one is loaded for embeddings only.</summary>
    public bool SupportsEmbeddings { get; init; }
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>USD per 1,000 prompt tokens.</summary>
    public decimal CostPer1kTokens { get; init; }

    /// <summary>USD per 1,000 completion tokens.</summary>
    public decimal CostPer1kCompletionTokens { get; init; }

    /// <summary>Path of a GGUF file for local models.</summary>
    public string? ModelPath { get; init; }

    public int? ContextSize { get; init; }
    public int? Threads { get; init; }
    public int? GpuLayers { get; init; }

    /// <summary>Requests a local model lets wait behind the one it is serving; more are refused with 429.</summary>
    public int? QueueSize { get; init; }

    /// <summary>How a local embedding model pools its token vectors (<c>mean</c>, <c>cls</c>, <c>last</c>); null: the GGUF's own, else mean.</summary>
    public string? Pooling { get; init; }

    public decimal CostOf(long promptTokens, long completionTokens) =>
        (promptTokens * CostPer1kTokens + completionTokens * CostPer1kCompletionTokens) / 1000m;
}
