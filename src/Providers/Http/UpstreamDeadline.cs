namespace LlmRouter.Providers.Http;

/// <summary>
/// A resettable upstream deadline linked to the client's cancellation, telling apart "the upstream was too
/// slow" from "our client went away".
/// </summary>
internal sealed class UpstreamDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _client;
    private readonly TimeSpan _timeout;

    public UpstreamDeadline(TimeSpan timeout, CancellationToken client)
    {
        _timeout = timeout;
        _client = client;
        _source = CancellationTokenSource.CreateLinkedTokenSource(client);
        _source.CancelAfter(timeout);
    }

    public CancellationToken Token => _source.Token;

    public bool ClientCancelled => _client.IsCancellationRequested;

    /// <summary>Starts the timeout again (after each chunk of a stream).</summary>
    public void Reset() => _source.CancelAfter(_timeout);

    public void Dispose() => _source.Dispose();
}
