namespace LlmRouter.LocalModels.Hosting;

// What an activation logs (source-generated).
public sealed partial class LocalModelActivation
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Local model {Model} loaded from {Path}: context {Context} tokens, {Threads} thread(s), up to {Sequences} request(s) per batch")]
    private static partial void LogLoaded(ILogger logger, string model, string path, int context, int threads, int sequences);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local model {Model} loaded from {Path} for embeddings: {Dimensions} dimensions, {Pooling} pooling, inputs up to {Context} tokens, {Threads} thread(s)")]
    private static partial void LogEmbeddingsLoaded(ILogger logger, string model, string path, int dimensions, string pooling, int context, int threads);

    [LoggerMessage(Level = LogLevel.Error, Message = "Local model {Model} failed to load: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string model, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Local model {Model}: a call failed: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, string model, string? reason);
}
