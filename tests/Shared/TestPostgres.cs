using Npgsql;

namespace LlmRouter.Tests.Shared;

/// <summary>
/// The PostgreSQL server the tests use: <c>LLM_ROUTER_TEST_POSTGRES</c> (run-tests.sh starts a throwaway one and sets
/// it). Each caller gets a fresh database, dropped afterwards. Without a server, PostgreSQL tests are skipped with a
/// message locally, and fail under CI (<c>CI=true</c>).
/// </summary>
public static class TestPostgres
{
    public const string Variable = "LLM_ROUTER_TEST_POSTGRES";

    public static string? ServerUrl => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url ? url : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why PostgreSQL tests are skipped, or null when they run (a server is configured, or CI demands them).</summary>
    public static string? SkipReason => ServerUrl is null && !IsCi
        ? $"No PostgreSQL server configured: set {Variable}=postgresql://user:password@127.0.0.1:PORT/postgres (bash ./run-tests.sh starts one)."
        : null;

    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var server = ServerUrl ?? throw new InvalidOperationException(
            $"CI=true requires a PostgreSQL server for these tests, but {Variable} is not set (bash ./run-tests.sh starts one).");
        var name = "llmr_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(AdminConnectionString(server)))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var uri = new UriBuilder(server) { Path = "/" + name };
        return new TestDatabase(uri.Uri.ToString(), name, server);
    }

    internal static string AdminConnectionString(string serverUrl) =>
        new NpgsqlConnectionStringBuilder(Persistence.Postgres.PostgresConnectionString.FromUrl(serverUrl)) { Pooling = false }.ConnectionString;
}
