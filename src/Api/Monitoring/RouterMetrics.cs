using System.Diagnostics.Metrics;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Metrics;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// The router's instruments on a System.Diagnostics.Metrics meter owned by this node. Invocations are recorded
/// as they finish (this is an <see cref="IInvocationListener"/>); the collector keeps them for GET /metrics.
/// Instrument names are the Prometheus family names. API keys appear by name only, never by secret.
/// </summary>
public sealed class RouterMetrics : IRouterMetrics, IInvocationListener, IDisposable
{
    public const string MeterName = "LlmRouter";

    /// <summary>The label value for calls made without an API key.</summary>
    public const string NoApiKey = "none";

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    private static readonly double[] FirstTokenBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

    private readonly Meter _meter;
    private readonly MetricsCollector _collector;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _tokens;
    private readonly Counter<decimal> _cost;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _firstToken;
    private readonly Counter<long> _keyRequests;
    private readonly Counter<long> _keyTokens;
    private readonly Counter<decimal> _keyCost;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _upstreamErrors;
    private readonly UpDownCounter<long> _inFlight;

    public RouterMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        // The collector listens before any instrument exists, so it sees every instrument and every measurement.
        _collector = new MetricsCollector(_meter);
        _requests = _meter.CreateCounter<long>("llm_router_requests_total", description: "Invocations finished, by provider, model and status (success, error, client_closed).");
        _tokens = _meter.CreateCounter<long>("llm_router_tokens_total", description: "Tokens consumed, by provider, model and kind (prompt, completion).");
        _cost = _meter.CreateCounter<decimal>("llm_router_cost_usd_total", description: "Cost in US dollars from the configured prices, by provider and model.");
        _duration = _meter.CreateHistogram("llm_router_request_duration_seconds", "s", "Invocation latency from the upstream call to the last byte, by provider and model.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _firstToken = _meter.CreateHistogram("llm_router_time_to_first_token_seconds", "s", "Time to the first streamed chunk, by provider and model.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstTokenBuckets });
        _keyRequests = _meter.CreateCounter<long>("llm_router_api_key_requests_total", description: "Invocations by API key name and status.");
        _keyTokens = _meter.CreateCounter<long>("llm_router_api_key_tokens_total", description: "Tokens consumed by API key name and kind (prompt, completion).");
        _keyCost = _meter.CreateCounter<decimal>("llm_router_api_key_cost_usd_total", description: "Cost in US dollars by API key name.");
        _rateLimited = _meter.CreateCounter<long>("llm_router_rate_limited_total", description: "Requests refused by a rate limit, by scope (model, key).");
        _upstreamErrors = _meter.CreateCounter<long>("llm_router_upstream_errors_total", description: "Failed upstream attempts, by provider and reason.");
        _inFlight = _meter.CreateUpDownCounter<long>("llm_router_in_flight_requests", description: "Calls to upstream models in progress on this node.");

        // Series that must exist before anything happens, so dashboards and alerts see zeros rather than nothing.
        foreach (var scope in RateLimitScopes.All)
        {
            _rateLimited.Add(0, new KeyValuePair<string, object?>("scope", scope));
        }
        _inFlight.Add(0);
    }

    internal IReadOnlyList<MetricFamily> Families => _collector.Families;

    public Task OnInvocationCompleted(InvocationRecord record)
    {
        var provider = new KeyValuePair<string, object?>("provider", record.Provider);
        var model = new KeyValuePair<string, object?>("model", record.Model);
        var status = InvocationStatusNames.ToName(record.Status);
        _requests.Add(1, provider, model, new("status", status));
        _tokens.Add(record.PromptTokens, provider, model, new("kind", "prompt"));
        _tokens.Add(record.CompletionTokens, provider, model, new("kind", "completion"));
        _cost.Add(record.Cost, provider, model);
        _duration.Record(record.LatencyMs / 1000.0, provider, model);
        if (record.TimeToFirstTokenMs is { } ttft)
        {
            _firstToken.Record(ttft / 1000.0, provider, model);
        }
        var key = new KeyValuePair<string, object?>("api_key", record.ApiKeyName ?? NoApiKey);
        _keyRequests.Add(1, key, new("status", status));
        _keyTokens.Add(record.PromptTokens, key, new("kind", "prompt"));
        _keyTokens.Add(record.CompletionTokens, key, new("kind", "completion"));
        _keyCost.Add(record.Cost, key);
        return Task.CompletedTask;
    }

    public void RateLimited(string scope) => _rateLimited.Add(1, new KeyValuePair<string, object?>("scope", scope));

    public void UpstreamError(string provider, string reason) =>
        _upstreamErrors.Add(1, new("provider", provider), new KeyValuePair<string, object?>("reason", reason));

    public void RequestStarted() => _inFlight.Add(1);

    public void RequestFinished() => _inFlight.Add(-1);

    /// <summary>Stops listening; the meter itself belongs to the meter factory, which disposes it.</summary>
    public void Dispose() => _collector.Dispose();
}
