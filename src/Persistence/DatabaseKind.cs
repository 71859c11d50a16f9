namespace LlmRouter.Persistence;

/// <summary>The stores a node can run on.</summary>
public enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}
