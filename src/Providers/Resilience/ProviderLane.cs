using Polly;
using Polly.CircuitBreaker;

namespace LlmRouter.Providers.Resilience;

/// <summary>A provider's resilience pipeline (retry around circuit breaker), built for one version of its settings.</summary>
public sealed record ProviderLane(ResilienceSettings Settings, ResiliencePipeline<UpstreamAttempt> Pipeline, CircuitBreakerStateProvider? Circuit)
{
    /// <summary>The circuit's state as /health names it.</summary>
    public string CircuitName => Circuit is { } circuit
        ? circuit.CircuitState switch
        {
            CircuitState.Open => "open",
            CircuitState.HalfOpen => "half_open",
            CircuitState.Isolated => "isolated",
            _ => "closed",
        }
        : Settings.BreakerEnabled ? "closed" : "disabled";
}
