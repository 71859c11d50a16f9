using LlmRouter.Tests.Shared;

namespace LlmRouter.Api.Tests.Limits;

/// <summary>The rate-limit scenarios on a node whose store is a real PostgreSQL server.</summary>
public sealed class PostgresRateLimitTests(PostgresDatabaseFixture fixture) : RateLimitScenarios, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<Dictionary<string, string>> StoreEnvironmentAsync()
    {
        await fixture.GetAsync();
        return new() { ["LLM_ROUTER_DATABASE_URL"] = await fixture.UrlAsync() };
    }
}
