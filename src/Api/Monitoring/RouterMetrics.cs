using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Metrics;

namespace LlmRouter.Api.Monitoring;

/// <summary>
/// The router's instruments on a System.Diagnostics.Metrics meter owned by this node, exported by OpenTelemetry at
/// GET /metrics. Invocations are recorded as they finish (this is an <see cref="IInvocationListener"/>).
/// Instrument names are the Prometheus names. API keys appear by name only, never by secret.
/// </summary>
public sealed class RouterMetrics : IRouterMetrics, IInvocationListener
{
    public const string MeterName = "LlmRouter";

    /// <summary>The label value for calls made without an API key.</summary>
    public const string NoApiKey = "none";

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    private static readonly double[] FirstTokenBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _tokens;
    private readonly MoneyTotals _cost = new("provider", "model");
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _firstToken;
    private readonly Counter<long> _keyRequests;
    private readonly Counter<long> _keyTokens;
    private readonly MoneyTotals _keyCost = new("api_key");
    private readonly Counter<long> _upstreamErrors;

    // Read by observable instruments, so their series exist (at zero) from the first scrape, whenever the exporter
    // started listening.
    private readonly ConcurrentDictionary<string, StrongBox<long>> _rateLimited = new(StringComparer.Ordinal);
    private long _inFlight;

    public RouterMetrics(IMeterFactory meters, NodeInfo node)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("llm_router_requests_total", description: "Invocations finished, by provider, model and status (success, error, client_closed).");
        _tokens = meter.CreateCounter<long>("llm_router_tokens_total", description: "Tokens consumed, by provider, model and kind (prompt, completion).");
        meter.CreateObservableCounter("llm_router_cost_usd_total", _cost.Observe, description: "Cost in US dollars from the configured prices, by provider and model.");
        _duration = meter.CreateHistogram("llm_router_request_duration_seconds", "s", "Invocation latency from the upstream call to the last byte, by provider and model.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _firstToken = meter.CreateHistogram("llm_router_time_to_first_token_seconds", "s", "Time to the first streamed chunk, by provider and model.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstTokenBuckets });
        _keyRequests = meter.CreateCounter<long>("llm_router_api_key_requests_total", description: "Invocations by API key name and status.");
        _keyTokens = meter.CreateCounter<long>("llm_router_api_key_tokens_total", description: "Tokens consumed by API key name and kind (prompt, completion).");
        meter.CreateObservableCounter("llm_router_api_key_cost_usd_total", _keyCost.Observe, description: "Cost in US dollars by API key name.");
        meter.CreateObservableCounter("llm_router_rate_limited_total", ObserveRateLimited, description: "Requests refused by a rate limit, by scope (model, key).");
        _upstreamErrors = meter.CreateCounter<long>("llm_router_upstream_errors_total", description: "Failed upstream attempts, by provider and reason.");
        meter.CreateObservableUpDownCounter("llm_router_in_flight_requests", () => Volatile.Read(ref _inFlight), description: "Calls to upstream models in progress on this node.");
        var build = new KeyValuePair<string, object?>[] { new("version", node.Version), new("runtime", RuntimeInformation.FrameworkDescription) };
        meter.CreateObservableGauge("llm_router_build_info", () => new Measurement<long>(1, build), description: "Always 1; labelled with the build's version and runtime.");

        foreach (var scope in RateLimitScopes.All)
        {
            _rateLimited[scope] = new StrongBox<long>();
        }
    }

    public Task OnInvocationCompleted(InvocationRecord record)
    {
        var provider = new KeyValuePair<string, object?>("provider", record.Provider);
        var model = new KeyValuePair<string, object?>("model", record.Model);
        var status = InvocationStatusNames.ToName(record.Status);
        _requests.Add(1, provider, model, new("status", status));
        _tokens.Add(record.PromptTokens, provider, model, new("kind", "prompt"));
        _tokens.Add(record.CompletionTokens, provider, model, new("kind", "completion"));
        _cost.Add(record.Cost, record.Provider, record.Model);
        _duration.Record(record.LatencyMs / 1000.0, provider, model);
        if (record.TimeToFirstTokenMs is { } ttft)
        {
            _firstToken.Record(ttft / 1000.0, provider, model);
        }
        var keyName = record.ApiKeyName ?? NoApiKey;
        var key = new KeyValuePair<string, object?>("api_key", keyName);
        _keyRequests.Add(1, key, new("status", status));
        _keyTokens.Add(record.PromptTokens, key, new("kind", "prompt"));
        _keyTokens.Add(record.CompletionTokens, key, new("kind", "completion"));
        _keyCost.Add(record.Cost, keyName);
        return Task.CompletedTask;
    }

    public void RateLimited(string scope) => Interlocked.Increment(ref _rateLimited.GetOrAdd(scope, static _ => new StrongBox<long>()).Value);

    public void UpstreamError(string provider, string reason) =>
        _upstreamErrors.Add(1, new("provider", provider), new KeyValuePair<string, object?>("reason", reason));

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestFinished() => Interlocked.Decrement(ref _inFlight);

    private IEnumerable<Measurement<long>> ObserveRateLimited() =>
        _rateLimited.Select(s => new Measurement<long>(Volatile.Read(ref s.Value.Value), new KeyValuePair<string, object?>("scope", s.Key)));
}
