namespace LlmRouter.Persistence.Stores;

/// <summary>The kept responses' table, the same in both stores but for the integer type's name (SQLite 18, PostgreSQL 20).</summary>
internal static class ResponseSchema
{
    public static string Migration(string integer) => $"""
        CREATE TABLE responses (
            id TEXT PRIMARY KEY,
            api_key_id TEXT,
            created_at_ms {integer} NOT NULL,
            input TEXT NOT NULL,
            response TEXT NOT NULL
        );
        CREATE INDEX ix_responses_created ON responses (created_at_ms)
        """;
}
