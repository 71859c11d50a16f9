using LlmRouter.Persistence.Postgres;
using Xunit;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// A migrated PostgreSQL database shared by one test class, created on first use (so a class whose facts are all
/// skipped never needs a server) and dropped after the class.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private readonly Lazy<Task<(TestDatabase Database, PostgresDatabase Store)>> _created = new(CreateAsync);

    public async Task<PostgresDatabase> GetAsync() => (await _created.Value).Store;

    /// <summary>The database's URL (after <see cref="GetAsync"/>).</summary>
    public async Task<string> UrlAsync() => (await _created.Value).Database.Url;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (!_created.IsValueCreated || !_created.Value.IsCompletedSuccessfully)
        {
            return;
        }
        var (database, store) = await _created.Value;
        await store.DisposeAsync();
        await database.DisposeAsync();
    }

    private static async Task<(TestDatabase, PostgresDatabase)> CreateAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var store = new PostgresDatabase(database.Url);
        await store.MigrateAsync();
        return (database, store);
    }
}
