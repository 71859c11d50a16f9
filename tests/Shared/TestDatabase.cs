using Npgsql;

namespace LlmRouter.Tests.Shared;

/// <summary>A database created for one test class on the test server; dropped (with its connections) on disposal.</summary>
public sealed class TestDatabase(string url, string name, string serverUrl) : IAsyncDisposable
{
    /// <summary>The database as an LLM_ROUTER_DATABASE_URL.</summary>
    public string Url { get; } = url;

    public string Name { get; } = name;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString(serverUrl));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
