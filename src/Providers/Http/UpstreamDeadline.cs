namespace LlmRouter.Providers.Http;

/// <summary>
/// A resettable upstream deadline linked to the client's cancellation, telling apart "the upstream was too
/// slow" from "our client went away". A stream also has a total deadline that no chunk pushes back, and a bound on
/// the size of one of its events.
/// </summary>
internal sealed class UpstreamDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _client;
    private readonly TimeSpan _timeout;
    private readonly long _endsAt;

    public UpstreamDeadline(TimeSpan timeout, CancellationToken client, TimeSpan? total = null, long maxEventBytes = long.MaxValue)
    {
        _timeout = timeout;
        _client = client;
        MaxEventBytes = maxEventBytes;
        _source = CancellationTokenSource.CreateLinkedTokenSource(client);
        _endsAt = total is { } limit ? Environment.TickCount64 + (long)Math.Min(limit.TotalMilliseconds, long.MaxValue / 2) : long.MaxValue;
        Reset();
    }

    public CancellationToken Token => _source.Token;

    public bool ClientCancelled => _client.IsCancellationRequested;

    /// <summary>True once the total deadline has passed (a stream that went on too long, not one that went quiet).</summary>
    public bool TotalExpired => Environment.TickCount64 >= _endsAt;

    /// <summary>The largest event of a stream the readers accept.</summary>
    public long MaxEventBytes { get; }

    /// <summary>Starts the timeout again (after each chunk of a stream), never past the total deadline.</summary>
    public void Reset()
    {
        var left = _endsAt == long.MaxValue ? _timeout : TimeSpan.FromMilliseconds(Math.Max(0, _endsAt - Environment.TickCount64));
        _source.CancelAfter(left < _timeout ? left : _timeout);
    }

    public void Dispose() => _source.Dispose();
}
