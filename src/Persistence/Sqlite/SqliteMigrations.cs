namespace LlmRouter.Persistence.Sqlite;

/// <summary>
/// The SQLite schema, one numbered step at a time. A step, once shipped, never changes, except to stop creating what a
/// later step drops (so new files never hold it).
/// </summary>
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
        (2, """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                secret_hash TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                is_active INTEGER NOT NULL,
                allowed_models TEXT,
                allowed_providers TEXT,
                parameter_limits TEXT,
                rate_limit TEXT,
                budget TEXT,
                pipeline TEXT,
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL
            );
            CREATE TABLE api_key_usage (
                id TEXT PRIMARY KEY,
                last_used_at_ms INTEGER NOT NULL
            );
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                api_key_id TEXT NOT NULL,
                bound_model TEXT,
                created_at_ms INTEGER NOT NULL,
                expires_at_ms INTEGER NOT NULL
            );
            CREATE INDEX ix_sessions_expires ON sessions (expires_at_ms);
            CREATE INDEX ix_sessions_key ON sessions (api_key_id);
            CREATE TABLE deployment_secrets (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            CREATE TABLE catalog_providers (
                name TEXT PRIMARY KEY,
                definition TEXT NOT NULL,
                version INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL
            );
            CREATE TABLE catalog_models (
                id TEXT PRIMARY KEY,
                definition TEXT NOT NULL,
                version INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL
            )
            """),
        // Usage counters beside the log, each settlement id counted once (step 16 drops them). (This step also made the SQL admission's
        // limit tables; step 12 drops them from files made before they left.)
        (3, """
            CREATE TABLE usage_counters (
                scope TEXT NOT NULL,
                id TEXT NOT NULL,
                requests INTEGER NOT NULL,
                prompt_tokens INTEGER NOT NULL,
                completion_tokens INTEGER NOT NULL,
                cost_nano INTEGER NOT NULL,
                PRIMARY KEY (scope, id)
            ) WITHOUT ROWID;
            CREATE TABLE usage_settlements (
                id TEXT PRIMARY KEY,
                settled_us INTEGER NOT NULL
            );
            CREATE INDEX ix_usage_settlements_settled ON usage_settlements (settled_us)
            """),
        (4, """
            ALTER TABLE invocations ADD COLUMN route_group TEXT;
            ALTER TABLE invocations ADD COLUMN route_rule TEXT;
            CREATE INDEX ix_invocations_api_key_id ON invocations (api_key_id, created_at_ms);
            CREATE INDEX ix_invocations_api_key_name ON invocations (api_key_name, created_at_ms)
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
        (7, """
            CREATE TABLE router_toggle (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                value INTEGER NOT NULL,
                previous_value INTEGER NOT NULL,
                effective_at_ms INTEGER NOT NULL,
                changed_at_ms INTEGER NOT NULL,
                reason TEXT,
                changed_by TEXT,
                node TEXT,
                version INTEGER NOT NULL
            );
            CREATE TABLE router_toggle_history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                value INTEGER NOT NULL,
                previous_value INTEGER NOT NULL,
                reason TEXT,
                changed_by TEXT,
                node TEXT,
                requested_at_ms INTEGER NOT NULL,
                effective_at_ms INTEGER NOT NULL
            );
            CREATE TABLE routing_rules (
                name TEXT PRIMARY KEY,
                definition TEXT NOT NULL,
                version INTEGER NOT NULL,
                deleted INTEGER NOT NULL,
                created_seq INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL
            )
            """),
        (9, """
            ALTER TABLE invocations ADD COLUMN usage_estimated INTEGER NOT NULL DEFAULT 0
            """),
        // Orleans grain state (limit grains) of the embedded silo; on PostgreSQL, Orleans' own OrleansStorage table holds it.
        (10, """
            CREATE TABLE grain_state (
                grain_type TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                etag INTEGER NOT NULL,
                payload BLOB NOT NULL,
                PRIMARY KEY (grain_type, grain_id)
            )
            """),
        // Without a rowid the roll-ups are stored in key order, so a range of buckets is one sequential read.
        (11, RollupSchema.Migration("INTEGER", SqliteStoreDialect.MonthStart, " WITHOUT ROWID")),
        // Admission is grain calls now: the limit tables of steps 3 and 8 go (their indexes with them).
        (12, """
            DROP TABLE IF EXISTS limit_windows;
            DROP TABLE IF EXISTS limit_budgets;
            DROP TABLE IF EXISTS limit_reservations
            """),
        (13, RollupSchema.RejectedAndAttemptsMigration("INTEGER")),
        // Orleans' membership and placement do what the node registry and its session table did.
        (14, """
            DROP TABLE IF EXISTS cluster_sessions;
            DROP TABLE IF EXISTS cluster_nodes
            """),
        // The router toggle grain keeps the toggle's state and history in grain storage.
        (15, """
            DROP TABLE IF EXISTS router_toggle_history;
            DROP TABLE IF EXISTS router_toggle
            """),
        // Usage counters are read from the log (roll-ups per model and key, records per session): their tables go.
        (16, """
            DROP TABLE IF EXISTS usage_settlements;
            DROP TABLE IF EXISTS usage_counters;
            CREATE INDEX IF NOT EXISTS ix_invocations_session ON invocations (session_id) WHERE session_id IS NOT NULL
            """),
        (17, InvocationEndpointColumn.Migration),
        // Kept Responses API answers, for previous_response_id and GET /v1/responses/{id}.
        (18, ResponseSchema.Migration("INTEGER")),
        // Each hour's smallest and largest id, so a page of a time window walks only that window's ids.
        (19, InvocationIdBounds.Migration("INTEGER", " WITHOUT ROWID")),
        // Roll-ups summed over keys and over models, built from the roll-ups (which outlive retention).
        (20, RollupSlice.Models.Migration("INTEGER", " WITHOUT ROWID") + ";\n" + RollupSlice.Keys.Migration("INTEGER", " WITHOUT ROWID")),
    ];
}
