using LlmRouter.Abstractions.Cluster;
using LlmRouter.Persistence.Postgres;
using LlmRouter.Tests.Shared;

namespace LlmRouter.Api.Tests.Cluster;

/// <summary>The node registry conformance facts against a real PostgreSQL server; each fact starts from empty tables.</summary>
public sealed class PostgresNodeRegistryTests(PostgresDatabaseFixture fixture) : NodeRegistryConformanceTests, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<INodeRegistry> CreateAsync()
    {
        var database = await fixture.GetAsync();
        await using var clear = database.DataSource.CreateCommand("TRUNCATE cluster_nodes, cluster_sessions");
        await clear.ExecuteNonQueryAsync();
        return new PostgresNodeRegistry(database);
    }
}
