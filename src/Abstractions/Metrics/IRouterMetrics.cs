namespace LlmRouter.Abstractions.Metrics;

/// <summary>
/// Counters the invocation log cannot derive, exposed on /metrics. Every call through <c>IChatUpstream</c> is already
/// counted (in flight, and its failures as upstream errors); components outside that path report here.
/// </summary>
public interface IRouterMetrics
{
    /// <summary>A request refused by a rate limit or budget; <paramref name="scope"/> is one of <see cref="RateLimitScopes"/>.</summary>
    void RateLimited(string scope);

    /// <summary>One failed upstream attempt; <paramref name="reason"/> comes from <see cref="UpstreamErrorReasons"/>.</summary>
    void UpstreamError(string provider, string reason);

    /// <summary>A request started; pair every call with one <see cref="RequestFinished"/>.</summary>
    void RequestStarted();

    void RequestFinished();
}
