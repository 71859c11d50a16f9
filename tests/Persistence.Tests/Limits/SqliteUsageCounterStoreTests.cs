using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;
using LlmRouter.Persistence.Tests.Sqlite;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The usage counter conformance facts on the embedded SQLite store.</summary>
public sealed class SqliteUsageCounterStoreTests : UsageCounterStoreConformance, IAsyncLifetime
{
    private SqliteTestFile _file = null!;

    protected override Task<(IInvocationStore Log, StoreDialect Dialect)> StoreAsync() =>
        Task.FromResult<(IInvocationStore, StoreDialect)>((new SqliteInvocationStore(_file.Database), _file.Database.Dialect));

    public async Task InitializeAsync() => _file = await SqliteTestFile.CreateAsync();

    public Task DisposeAsync() => _file.DisposeAsync().AsTask();
}
