using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests;

/// <summary>A store that cannot answer is reported unhealthy, with the driver's reason, never thrown.</summary>
public sealed class StoreHealthTests
{
    [Fact]
    public async Task A_sqlite_file_that_cannot_be_opened_is_reported()
    {
        var directory = new TempDirectory();
        await using var database = new SqliteDatabase(directory.File("gone.db"));
        directory.Dispose();

        var report = await new StoreHealth(database.Dialect).CheckAsync();

        Assert.False(report.Healthy);
        Assert.Contains("unable to open database file", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_postgres_server_that_refuses_connections_is_reported()
    {
        // Port 1 on the loopback has nothing listening: the connection is refused at once.
        await using var database = new PostgresDatabase("postgresql://router:secret@127.0.0.1:1/router");

        var report = await new StoreHealth(database.Dialect).CheckAsync();

        Assert.False(report.Healthy);
        Assert.False(string.IsNullOrEmpty(report.Error));
        Assert.DoesNotContain("secret", report.Error, StringComparison.Ordinal);
    }
}
