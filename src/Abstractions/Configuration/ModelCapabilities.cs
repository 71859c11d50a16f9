namespace LlmRouter.Abstractions.Configuration;

/// <summary>The [models.config] table: capabilities, prices and local-model settings.</summary>
public sealed record ModelCapabilities
{
    public string? ContextWindow { get; init; }
    public bool SupportsVision { get; init; }
    public bool SupportsTools { get; init; }
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

    public decimal CostOf(long promptTokens, long completionTokens) =>
        (promptTokens * CostPer1kTokens + completionTokens * CostPer1kCompletionTokens) / 1000m;
}
