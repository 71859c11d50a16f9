namespace LlmRouter.Persistence.Rollups;

/// <summary>One roll-up row's identity: level (see <see cref="InvocationRollups.Widths"/>), bucket start and group.</summary>
public readonly record struct RollupKey(int Level, long BucketMs, string Provider, string Model, string ApiKeyId, string ApiKeyName);
