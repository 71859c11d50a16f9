namespace LlmRouter.Api.Json;

/// <summary>A key's rate_limit as shown over REST.</summary>
public sealed record RateLimitView(int? MaxRequests, double PerSeconds, int? BurstSize, long? TokensPerMinute);
