namespace LlmRouter.Persistence.Sqlite;

/// <summary>The SQLite schema, one numbered step at a time; a step, once shipped, never changes.</summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE invocations (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                created_at_ms INTEGER NOT NULL,
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
                prompt_tokens INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                total_tokens INTEGER NOT NULL,
                cost_nano_usd INTEGER NOT NULL,
                latency_ms INTEGER NOT NULL,
                ttft_ms INTEGER,
                stream INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                request_body TEXT,
                response_body TEXT,
                raw_response TEXT
            );
            CREATE INDEX ix_invocations_created ON invocations (created_at_ms);
            CREATE INDEX ix_invocations_model ON invocations (provider, model, created_at_ms)
            """),
        (6, """
            CREATE TABLE cluster_nodes (
                node_id TEXT PRIMARY KEY,
                internal_url TEXT NOT NULL,
                roles TEXT NOT NULL,
                hosted_models TEXT NOT NULL,
                queue_depth INTEGER NOT NULL,
                heartbeat_at_ms INTEGER NOT NULL
            );
            CREATE TABLE cluster_sessions (
                session_key TEXT NOT NULL,
                model TEXT NOT NULL,
                node_id TEXT NOT NULL,
                served_at_ms INTEGER NOT NULL,
                PRIMARY KEY (session_key, model)
            );
            CREATE INDEX ix_cluster_sessions_served ON cluster_sessions (served_at_ms)
            """),
    ];
}
