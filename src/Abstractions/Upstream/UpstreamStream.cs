namespace LlmRouter.Abstractions.Upstream;

/// <summary>
/// The outcome of starting a streamed call: either the chunks (the upstream accepted the call) or the error
/// that came before any byte of the answer. Disposing it releases the upstream response.
/// </summary>
public sealed class UpstreamStream : IAsyncDisposable
{
    private readonly Func<ValueTask>? _release;

    public UpstreamStream(IAsyncEnumerable<ChatStreamChunk> chunks, Func<ValueTask> release)
    {
        Chunks = chunks;
        _release = release;
    }

    private UpstreamStream(UpstreamError error) => Error = error;

    public IAsyncEnumerable<ChatStreamChunk>? Chunks { get; }
    public UpstreamError? Error { get; }

    /// <summary>How many upstream calls were made before this outcome (retries included).</summary>
    public int Attempts { get; init; } = 1;

    public static UpstreamStream Failed(UpstreamError error, int attempts = 1) => new(error) { Attempts = attempts };

    public ValueTask DisposeAsync() => _release?.Invoke() ?? ValueTask.CompletedTask;
}
