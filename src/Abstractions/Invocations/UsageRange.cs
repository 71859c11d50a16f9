namespace LlmRouter.Abstractions.Invocations;

/// <summary>
/// A time window over the invocation log: start inclusive, end exclusive, either side open when null; narrowed to one
/// API key's calls when <see cref="ApiKeyId"/> is set (what a user key may see of the log).
/// </summary>
public readonly record struct UsageRange(DateTimeOffset? Start, DateTimeOffset? End)
{
    public static UsageRange All => default;

    /// <summary>Only calls made with this key (by id); every key's calls when null.</summary>
    public string? ApiKeyId { get; init; }
}
