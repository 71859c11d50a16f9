using LlmRouter.Abstractions.Cluster;
using LlmRouter.Persistence.Sqlite;

namespace LlmRouter.Api.Tests.Cluster;

/// <summary>The node registry conformance facts against a fresh SQLite file (schema from the migrations).</summary>
public sealed class SqliteNodeRegistryTests : NodeRegistryConformanceTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "llmrouter-tests", "registry-" + Guid.NewGuid().ToString("N"));

    protected override async Task<INodeRegistry> CreateAsync()
    {
        var database = new SqliteDatabase(Path.Combine(_directory, "registry.db"));
        await database.MigrateAsync();
        return new SqliteNodeRegistry(database);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Harmless in a temp directory.
        }
    }
}
