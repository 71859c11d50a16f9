using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace LlmRouter.Providers.Resilience;

/// <summary>
/// One resilience pipeline per provider: jittered exponential retries (honouring Retry-After) around a circuit
/// breaker, so every try counts towards the circuit. A pipeline is rebuilt only when the provider's settings
/// change, so a reload of unrelated configuration keeps the circuit's state.
/// </summary>
public sealed partial class ProviderResilience(IRouterConfigSource config, TimeProvider time, ILogger<ProviderResilience> logger) : IProviderHealthSource
{
    private readonly ConcurrentDictionary<string, ProviderLane> _lanes = new(StringComparer.Ordinal);

    public ProviderLane For(ProviderConfig provider)
    {
        var settings = ResilienceSettings.From(provider, config.Current.Server.DefaultTimeoutSeconds);
        if (_lanes.TryGetValue(provider.Name, out var lane) && lane.Settings == settings)
        {
            return lane;
        }
        return _lanes.AddOrUpdate(provider.Name, _ => Build(provider.Name, settings), (_, existing) => existing.Settings == settings ? existing : Build(provider.Name, settings));
    }

    public IReadOnlyList<ProviderHealthReport> Report() =>
        config.Current.Providers
            .Where(p => p.IsActive)
            .Select(p => new ProviderHealthReport(p.Name, p.Type, ProviderApis.Of(p),
                _lanes.TryGetValue(p.Name, out var lane) ? lane.CircuitName : ResilienceSettings.From(p, 1).BreakerEnabled ? "closed" : "disabled"))
            .ToArray();

    private ProviderLane Build(string provider, ResilienceSettings settings)
    {
        var builder = new ResiliencePipelineBuilder<UpstreamAttempt> { TimeProvider = time };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<UpstreamAttempt>
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryDelay,
                MaxDelay = settings.MaxRetryAfter > TimeSpan.FromSeconds(30) ? settings.MaxRetryAfter : TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Error is { } error && UpstreamAttempt.IsRetryable(error, settings.MaxRetryAfter)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Error?.RetryAfter),
                OnRetry = args =>
                {
                    LogRetry(logger, provider, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, args.Outcome.Result?.Error?.Message);
                    return ValueTask.CompletedTask;
                },
            });
        }
        CircuitBreakerStateProvider? circuit = null;
        if (settings.BreakerEnabled)
        {
            circuit = new CircuitBreakerStateProvider();
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<UpstreamAttempt>
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                StateProvider = circuit,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Error is { } error && UpstreamAttempt.IsProviderFailure(error)),
                OnOpened = args =>
                {
                    LogCircuitOpened(logger, provider, args.BreakDuration.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogCircuitClosed(logger, provider);
                    return ValueTask.CompletedTask;
                },
            });
        }
        return new ProviderLane(settings, builder.Build(), circuit);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrying provider '{Provider}' (attempt {Attempt}) in {DelayMs:F0} ms after: {Reason}")]
    private static partial void LogRetry(ILogger logger, string provider, int attempt, double delayMs, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit of provider '{Provider}' opened for {Seconds:F1} s after repeated failures")]
    private static partial void LogCircuitOpened(ILogger logger, string provider, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit of provider '{Provider}' closed again")]
    private static partial void LogCircuitClosed(ILogger logger, string provider);
}
