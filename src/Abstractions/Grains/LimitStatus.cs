namespace LlmRouter.Abstractions.Grains;

/// <summary>The state of the tightest window of one kind after an admission: what OpenAI's x-ratelimit-* headers report.</summary>
[GenerateSerializer, Immutable, Alias("limit-status")]
public sealed record LimitStatus(long Limit, long Remaining, TimeSpan ResetAfter);
