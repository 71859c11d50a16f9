using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmRouter.Cluster.Tests.Infrastructure;

/// <summary>
/// Closed-loop load of chat calls, each carrying a unique marker ("call-N") in its message so the upstream, the
/// invocation log and the client's answers can be matched call by call. Every answer is kept with its status, when
/// it was sent and how long it took.
/// </summary>
internal sealed partial class MarkedLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private static long _next;

    private MarkedLoad(HttpClient client, string model, int concurrency, string? apiKey)
    {
        _workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(client, model, apiKey))).ToArray();
    }

    public ConcurrentQueue<Answer> Answers { get; } = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public static MarkedLoad Start(HttpClient client, string model, int concurrency, string? apiKey = null) => new(client, model, concurrency, apiKey);

    /// <summary>The marker numbers in a text (a request body as the upstream or the log saw it).</summary>
    public static IEnumerable<long> Markers(string? text) =>
        text is null ? [] : MarkerPattern().Matches(text).Select(m => long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture));

    /// <summary>Stops sending and waits for the calls in flight.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers).WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _stop.Dispose();
    }

    private async Task WorkAsync(HttpClient client, string model, string? apiKey)
    {
        while (!_stop.IsCancellationRequested)
        {
            var marker = Interlocked.Increment(ref _next);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"call-{{marker}}"}]}""", Encoding.UTF8, "application/json"),
            };
            if (apiKey is not null)
            {
                request.Headers.Authorization = new("Bearer", apiKey);
            }
            var sent = _clock.Elapsed;
            try
            {
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Answers.Enqueue(new Answer(marker, response.StatusCode, body, sent, _clock.Elapsed - sent));
            }
            catch (HttpRequestException exception)
            {
                Answers.Enqueue(new Answer(marker, null, exception.Message, sent, _clock.Elapsed - sent));
            }
            catch (TaskCanceledException exception)
            {
                Answers.Enqueue(new Answer(marker, null, "timed out: " + exception.Message, sent, _clock.Elapsed - sent));
            }
        }
    }

    [GeneratedRegex(@"call-(\d+)")]
    private static partial Regex MarkerPattern();

    /// <summary>One call's answer; <see cref="Status"/> is null when no HTTP answer came at all.</summary>
    public sealed record Answer(long Marker, HttpStatusCode? Status, string Body, TimeSpan SentAt, TimeSpan Took);
}
