namespace LlmRouter.Persistence.Rollups;

/// <summary>One roll-up row's identity: level (minute, hour, day or month: see <see cref="InvocationRollups"/>), bucket start and group.</summary>
public readonly record struct RollupKey(int Level, long BucketMs, string Provider, string Model, string ApiKeyId, string ApiKeyName);
