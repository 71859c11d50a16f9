using LlmRouter.Abstractions;
using LlmRouter.Abstractions.Access;
using LlmRouter.Abstractions.Catalog;
using LlmRouter.Abstractions.Cluster;
using LlmRouter.Abstractions.Invocations;
using LlmRouter.Persistence;
using LlmRouter.Persistence.Sqlite;

namespace LlmRouter.Silo;

/// <summary>Picks the store from the database URL and brings its schema up to date before the node serves.</summary>
internal static class StorageRegistration
{
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
        if (url.Kind != DatabaseKind.Sqlite)
        {
            throw new StorageStartupException($"{url}: the PostgreSQL store is not part of this build yet; use sqlite:///path.db");
        }
        var database = new SqliteDatabase(url.Target);
        try
        {
            await database.MigrateAsync();
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageStartupException($"cannot open {url}: {exception.Message}", exception);
        }
        services.AddSingleton(database);
        services.AddSingleton<IStoreHealth, SqliteStoreHealth>();
        services.AddSingleton<IInvocationStore, SqliteInvocationStore>();
        services.AddSingleton<IInvocationStatistics, SqliteInvocationStatistics>();
        services.AddSingleton<InvocationRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<InvocationRetention>());
        services.AddSingleton<BatchedInvocationLog>();
        services.AddSingleton<IInvocationLog>(sp => sp.GetRequiredService<BatchedInvocationLog>());
        services.AddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        services.AddSingleton<ISessionStore, SqliteSessionStore>();
        services.AddSingleton<IDeploymentSecretStore, SqliteDeploymentSecretStore>();
        services.AddSingleton<ICatalogStore, SqliteCatalogStore>();
        services.AddSingleton<INodeRegistry, SqliteNodeRegistry>();
        return url;
    }
}
