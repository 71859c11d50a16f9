using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// A real HTTP server on loopback for fake upstreams: records every request whole (so tests can assert exactly
/// what the router sent), answers with the fake's wire-faithful default, or with a handler a test sets.
/// </summary>
public abstract class FakeUpstreamServer : IAsyncDisposable
{
    private WebApplication? _app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Replaces the default behaviour; receives the recorded request.</summary>
    public Func<HttpContext, RecordedRequest, Task>? Handler { get; set; }

    public Uri BaseUrl { get; private set; } = null!;

    public RecordedRequest Single() => Assert.Single(Requests);

    public static async Task<T> StartAsync<T>() where T : FakeUpstreamServer, new()
    {
        var fake = new T();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        fake._app = builder.Build();
        fake._app.Run(fake.HandleAsync);
        await fake._app.StartAsync();
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    protected abstract Task DefaultAsync(HttpContext http, RecordedRequest request);

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var recorded = new RecordedRequest(http.Request.Method, http.Request.Path, http.Request.QueryString.Value ?? "", headers, body);
        Requests.Enqueue(recorded);
        await (Handler ?? DefaultAsync)(http, recorded);
    }

    public static async Task WriteSseAsync(HttpContext http, string? eventName, string json)
    {
        var text = eventName is null ? $"data: {json}\n\n" : $"event: {eventName}\ndata: {json}\n\n";
        await http.Response.WriteAsync(text);
        await http.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}
