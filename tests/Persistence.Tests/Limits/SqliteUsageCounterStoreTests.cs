using LlmRouter.Persistence.Stores;
using LlmRouter.Persistence.Tests.Sqlite;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The usage counter conformance facts on the embedded SQLite store.</summary>
public sealed class SqliteUsageCounterStoreTests : UsageCounterStoreConformance, IAsyncLifetime
{
    private SqliteTestFile _file = null!;

    protected override Task<StoreDialect> DialectAsync() => Task.FromResult(_file.Database.Dialect);

    protected override string PoisonCounter(string id) =>
        $"CREATE TRIGGER poison_usage BEFORE INSERT ON usage_counters WHEN NEW.id = '{id}' BEGIN SELECT RAISE(ABORT, 'poisoned'); END";

    public async Task InitializeAsync() => _file = await SqliteTestFile.CreateAsync();

    public Task DisposeAsync() => _file.DisposeAsync().AsTask();
}
