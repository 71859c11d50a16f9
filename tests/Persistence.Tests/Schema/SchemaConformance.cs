using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>The base of a schema step's conformance facts: each store's class names its <see cref="SchemaTestDatabase"/>.</summary>
public abstract class SchemaConformance(SchemaTestDatabase database) : IAsyncLifetime
{
    /// <summary>The database under test, brought up to date.</summary>
    protected StoreDialect Dialect => database.Dialect;

    /// <summary>Applies to the database the steps not applied yet.</summary>
    protected Task MigrateAsync() => database.MigrateAsync();

    public Task InitializeAsync() => database.InitializeAsync();

    public Task DisposeAsync() => database.DisposeAsync();
}
