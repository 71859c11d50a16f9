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

    /// <summary>
    /// The same outcome with its chunks passed through <paramref name="transform"/> and <paramref name="release"/>
    /// run on disposal instead of this stream's own release; every other property is kept, so wrappers lose nothing.
    /// </summary>
    public UpstreamStream WithChunks(Func<IAsyncEnumerable<ChatStreamChunk>, IAsyncEnumerable<ChatStreamChunk>> transform, Func<ValueTask> release) =>
        new(transform(Chunks ?? throw new InvalidOperationException("a failed stream has no chunks")), release) { Attempts = Attempts };

    public ValueTask DisposeAsync() => _release?.Invoke() ?? ValueTask.CompletedTask;
}
