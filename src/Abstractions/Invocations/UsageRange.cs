namespace LlmRouter.Abstractions.Invocations;

/// <summary>A time window over the invocation log: start inclusive, end exclusive, either side open when null.</summary>
public readonly record struct UsageRange(DateTimeOffset? Start, DateTimeOffset? End)
{
    public static UsageRange All => default;
}
