using LlmRouter.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace LlmRouter.Persistence.Tests.Sqlite;

/// <summary>A migrated SQLite file in a directory of its own; disposing closes the database and deletes the directory.</summary>
internal sealed class SqliteTestFile(TempDirectory directory, SqliteDatabase database) : IAsyncDisposable
{
    public SqliteDatabase Database => database;

    public static async Task<SqliteTestFile> CreateAsync()
    {
        var directory = new TempDirectory();
        var database = new SqliteDatabase(directory.File("store.db"));
        await database.MigrateAsync();
        return new SqliteTestFile(directory, database);
    }

    public async ValueTask DisposeAsync()
    {
        await database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        directory.Dispose();
    }
}
