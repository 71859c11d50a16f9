using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>
/// One store's database for a class of schema facts: brought up to date before them, shaped by each fact as an older
/// version left it, then migrated again.
/// </summary>
public abstract class SchemaTestDatabase
{
    /// <summary>The database under test, brought up to date.</summary>
    public abstract StoreDialect Dialect { get; }

    /// <summary>Applies to the database the steps not applied yet.</summary>
    public abstract Task MigrateAsync();

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();
}
