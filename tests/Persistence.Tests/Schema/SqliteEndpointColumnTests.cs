namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>The endpoint column's migration on the embedded SQLite file.</summary>
public sealed class SqliteEndpointColumnTests() : EndpointColumnConformance(new SqliteSchemaDatabase())
{
    protected override int Step => 17;
}
