namespace LlmRouter.Api.Tests.Limits;

/// <summary>The key-limit scenarios on a node with the embedded SQLite store.</summary>
public sealed class SqliteKeyLimitTests : KeyLimitScenarios
{
    protected override Task<Dictionary<string, string>> StoreEnvironmentAsync() => Task.FromResult(new Dictionary<string, string>());
}
