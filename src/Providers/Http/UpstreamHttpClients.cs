using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;

namespace LlmRouter.Providers.Http;

/// <summary>
/// One pooled HttpClient per upstream origin, kept for the life of the node so connections are reused
/// (keep-alive, HTTP/2 where the upstream offers it). The handlers record HttpClient metrics on the node's own
/// meter factory, so /metrics shows this node's upstream calls only.
/// </summary>
public sealed class UpstreamHttpClients(IMeterFactory meters) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public HttpClient For(Uri url) => _clients.GetOrAdd(url.GetLeftPart(UriPartial.Authority), _ => Create());

    private HttpClient Create()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = false,
            EnableMultipleHttp2Connections = true,
            MaxConnectionsPerServer = int.MaxValue,
            MeterFactory = meters,
        };
        // Deadlines are set per call (time to first byte, idle between chunks), never for the whole stream.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        _clients.Clear();
    }
}
