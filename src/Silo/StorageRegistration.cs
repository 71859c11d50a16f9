using LlmRouter.Abstractions;
using LlmRouter.Abstractions.Access;
using LlmRouter.Abstractions.Catalog;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Abstractions.Limits;
using LlmRouter.Abstractions.Responses;
using LlmRouter.Abstractions.Routing;
using LlmRouter.Persistence;
using LlmRouter.Persistence.Postgres;
using LlmRouter.Persistence.Sqlite;
using LlmRouter.Persistence.Stores;
using Npgsql;

namespace LlmRouter.Silo;

/// <summary>
/// Picks the store from the database URL (embedded SQLite, or a cluster's shared PostgreSQL) and brings its schema up
/// to date before the node serves.
/// </summary>
internal static class StorageRegistration
{
    /// <summary>How long a node waits for PostgreSQL to accept connections at start (containers start in any order).</summary>
    private static readonly TimeSpan PostgresStartWait = TimeSpan.FromSeconds(60);

    public static async Task<DatabaseUrl> AddRouterStorageAsync(this IServiceCollection services, string? databaseUrl, string workingDirectory)
    {
        DatabaseUrl url;
        try
        {
            url = DatabaseUrl.Parse(databaseUrl, workingDirectory);
        }
        catch (FormatException exception)
        {
            throw new StorageStartupException(exception.Message, exception);
        }
        if (url.Kind == DatabaseKind.PostgreSql)
        {
            await AddPostgresAsync(services, url);
        }
        else
        {
            await AddSqliteAsync(services, url);
        }
        // One implementation per store over either database; the dialect registered above says what differs.
        services.AddSingleton<IStoreHealth, StoreHealth>();
        services.AddSingleton<IUsageCounterStore, UsageCounterStore>();
        services.AddSingleton<IApiKeyStore, ApiKeyStore>();
        services.AddSingleton<ISessionStore, SessionStore>();
        services.AddSingleton<IDeploymentSecretStore, DeploymentSecretStore>();
        services.AddSingleton<ICatalogStore, CatalogStore>();
        services.AddSingleton<IRoutingRuleStore, RoutingRuleStore>();
        services.AddSingleton<IResponseStore, ResponseStore>();
        services.AddSingleton<InvocationRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<InvocationRetention>());
        services.AddSingleton<BatchedInvocationLog>();
        services.AddSingleton<IInvocationLog>(sp => sp.GetRequiredService<BatchedInvocationLog>());
        return url;
    }

    private static async Task AddSqliteAsync(IServiceCollection services, DatabaseUrl url)
    {
        var database = new SqliteDatabase(url.Target);
        try
        {
            await database.MigrateAsync();
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageStartupException($"cannot open {url}: {exception.Message}", exception);
        }
        // Registered through a factory so that the container disposes it (closing its writer connection) at shutdown,
        // after everything that depends on it (the stores are resolved from the container, not captured here).
        services.AddSingleton(_ => database);
        services.AddSingleton(database.Dialect);
        services.AddSingleton<IInvocationStore, SqliteInvocationStore>();
        services.AddSingleton<IInvocationStatistics, SqliteInvocationStatistics>();
        services.AddSingleton<SqliteGrainStateStore>();
    }

    private static async Task AddPostgresAsync(IServiceCollection services, DatabaseUrl url)
    {
        PostgresDatabase database;
        try
        {
            database = new PostgresDatabase(url.Target);
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw new StorageStartupException($"{url}: {exception.Message}", exception);
        }
        var deadline = DateTime.UtcNow + PostgresStartWait;
        while (true)
        {
            try
            {
                await database.MigrateAsync();
                break;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException)
            {
                await database.DisposeAsync();
                throw new StorageStartupException($"cannot open {url}: {exception.Message}", exception);
            }
        }
        // Registered through a factory so that the container disposes it (and its connection pool) at shutdown.
        services.AddSingleton(_ => database);
        services.AddSingleton(database.Dialect);
        services.AddSingleton<IInvocationStore, PostgresInvocationStore>();
        services.AddSingleton<IInvocationStatistics, PostgresInvocationStatistics>();
    }
}
