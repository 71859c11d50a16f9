using LlmRouter.Persistence.Stores;
using LlmRouter.Persistence.Tests.Sqlite;

namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>The endpoint column's migration on the embedded SQLite file.</summary>
public sealed class SqliteEndpointColumnTests : EndpointColumnConformance, IAsyncLifetime
{
    private SqliteTestFile _file = null!;

    protected override int Step => 17;

    protected override StoreDialect Dialect => _file.Database.Dialect;

    protected override Task MigrateAsync() => _file.Database.MigrateAsync().AsTask();

    public async Task InitializeAsync() => _file = await SqliteTestFile.CreateAsync();

    public Task DisposeAsync() => _file.DisposeAsync().AsTask();
}
