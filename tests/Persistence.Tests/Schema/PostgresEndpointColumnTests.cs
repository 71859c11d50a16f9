namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>The endpoint column's migration on a real PostgreSQL server.</summary>
public sealed class PostgresEndpointColumnTests(PostgresDatabaseFixture fixture)
    : EndpointColumnConformance(new PostgresSchemaDatabase(fixture)), IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override int Step => 19;
}
