namespace LlmRouter.Api.Tests.Limits;

/// <summary>The rate-limit scenarios on a node with the embedded SQLite store.</summary>
public sealed class SqliteRateLimitTests : RateLimitScenarios
{
    protected override Task<Dictionary<string, string>> StoreEnvironmentAsync() => Task.FromResult(new Dictionary<string, string>());
}
