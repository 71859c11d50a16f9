using LlmRouter.Abstractions.Limits;

namespace LlmRouter.Persistence;

/// <summary>The stored names of <see cref="UsageScope"/> values in usage_counters.</summary>
public static class UsageScopeNames
{
    public const string Model = "model";
    public const string ApiKey = "key";
    public const string Session = "session";

    public static string ToName(UsageScope scope) => scope switch
    {
        UsageScope.Model => Model,
        UsageScope.ApiKey => ApiKey,
        UsageScope.Session => Session,
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };
}
