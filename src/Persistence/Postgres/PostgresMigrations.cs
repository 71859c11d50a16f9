namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// The PostgreSQL schema, numbered like the SQLite steps they mirror (same tables, PostgreSQL types), so both stores
/// pass one conformance suite. A step, once shipped, never changes.
/// </summary>
internal static class PostgresMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE invocations (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                created_at_ms BIGINT NOT NULL,
                node TEXT,
                api_key_id TEXT,
                api_key_name TEXT,
                session_id TEXT,
                client_format TEXT NOT NULL,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                status TEXT NOT NULL,
                http_status INTEGER NOT NULL,
                error TEXT,
                prompt_tokens BIGINT NOT NULL,
                completion_tokens BIGINT NOT NULL,
                total_tokens BIGINT NOT NULL,
                cost_nano_usd BIGINT NOT NULL,
                latency_ms BIGINT NOT NULL,
                ttft_ms BIGINT,
                stream BOOLEAN NOT NULL,
                attempts INTEGER NOT NULL,
                request_body TEXT,
                response_body TEXT,
                raw_response TEXT
            );
            CREATE INDEX ix_invocations_created ON invocations (created_at_ms);
            CREATE INDEX ix_invocations_model ON invocations (provider, model, created_at_ms);
            """),
        (3, PostgresLimitSchema.Sql),
        (4, """
            ALTER TABLE invocations ADD COLUMN route_group TEXT;
            ALTER TABLE invocations ADD COLUMN route_rule TEXT;
            CREATE INDEX ix_invocations_api_key_id ON invocations (api_key_id, created_at_ms);
            CREATE INDEX ix_invocations_api_key_name ON invocations (api_key_name, created_at_ms);
            """),
    ];
}
