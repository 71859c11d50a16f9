namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// The PostgreSQL schema, numbered like the SQLite steps they mirror (same tables, PostgreSQL types), so both stores
/// pass one conformance suite. A step, once shipped, never changes, except to stop creating what a later step
/// drops (so new databases never hold it).
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
        (2, """
            CREATE TABLE api_keys (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                secret_hash TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                is_active BOOLEAN NOT NULL,
                allowed_models TEXT,
                allowed_providers TEXT,
                parameter_limits TEXT,
                rate_limit TEXT,
                budget TEXT,
                pipeline TEXT,
                created_at_ms BIGINT NOT NULL,
                updated_at_ms BIGINT NOT NULL
            );
            CREATE TABLE api_key_usage (
                id TEXT PRIMARY KEY,
                last_used_at_ms BIGINT NOT NULL
            );
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                api_key_id TEXT NOT NULL,
                bound_model TEXT,
                created_at_ms BIGINT NOT NULL,
                expires_at_ms BIGINT NOT NULL
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
                version BIGINT NOT NULL,
                updated_at_ms BIGINT NOT NULL
            );
            CREATE TABLE catalog_models (
                id TEXT PRIMARY KEY,
                definition TEXT NOT NULL,
                version BIGINT NOT NULL,
                updated_at_ms BIGINT NOT NULL
            );
            """),
        // Usage counters beside the log, each settlement id counted once (step 18 drops them). (This step also made the SQL admission's
        // limit tables and functions; step 14 drops them from databases made before they left.)
        (3, """
            CREATE TABLE usage_counters (
                scope TEXT NOT NULL,
                id TEXT NOT NULL,
                requests BIGINT NOT NULL,
                prompt_tokens BIGINT NOT NULL,
                completion_tokens BIGINT NOT NULL,
                cost_nano BIGINT NOT NULL,
                PRIMARY KEY (scope, id)
            );
            CREATE TABLE usage_settlements (
                id TEXT PRIMARY KEY,
                settled_us BIGINT NOT NULL
            );
            CREATE INDEX ix_usage_settlements_settled ON usage_settlements (settled_us);
            """),
        (4, """
            ALTER TABLE invocations ADD COLUMN route_group TEXT;
            ALTER TABLE invocations ADD COLUMN route_rule TEXT;
            CREATE INDEX ix_invocations_api_key_id ON invocations (api_key_id, created_at_ms);
            CREATE INDEX ix_invocations_api_key_name ON invocations (api_key_name, created_at_ms);
            """),
        (6, """
            CREATE TABLE cluster_nodes (
                node_id TEXT PRIMARY KEY,
                internal_url TEXT NOT NULL,
                roles TEXT NOT NULL,
                hosted_models TEXT NOT NULL,
                queue_depth INTEGER NOT NULL,
                heartbeat_at_ms BIGINT NOT NULL
            );
            CREATE TABLE cluster_sessions (
                session_key TEXT NOT NULL,
                model TEXT NOT NULL,
                node_id TEXT NOT NULL,
                served_at_ms BIGINT NOT NULL,
                PRIMARY KEY (session_key, model)
            );
            CREATE INDEX ix_cluster_sessions_served ON cluster_sessions (served_at_ms);
            """),
        (7, """
            CREATE TABLE router_toggle (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                value BOOLEAN NOT NULL,
                previous_value BOOLEAN NOT NULL,
                effective_at_ms BIGINT NOT NULL,
                changed_at_ms BIGINT NOT NULL,
                reason TEXT,
                changed_by TEXT,
                node TEXT,
                version BIGINT NOT NULL
            );
            CREATE TABLE router_toggle_history (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                value BOOLEAN NOT NULL,
                previous_value BOOLEAN NOT NULL,
                reason TEXT,
                changed_by TEXT,
                node TEXT,
                requested_at_ms BIGINT NOT NULL,
                effective_at_ms BIGINT NOT NULL
            );
            CREATE SEQUENCE routing_rules_created_seq;
            CREATE TABLE routing_rules (
                name TEXT PRIMARY KEY,
                definition TEXT NOT NULL,
                version BIGINT NOT NULL,
                deleted BOOLEAN NOT NULL,
                created_seq BIGINT NOT NULL,
                updated_at_ms BIGINT NOT NULL
            );
            """),
        (9, """
            ALTER TABLE invocations ADD COLUMN usage_estimated BOOLEAN NOT NULL DEFAULT FALSE;
            """),
        // Orleans' own tables (membership, grain state), from its official scripts, in the order they must run.
        (10, OrleansScripts.Read("PostgreSQL-Main")),
        (11, OrleansScripts.Read("PostgreSQL-Clustering")),
        (12, OrleansScripts.Read("PostgreSQL-Persistence")),
        (13, RollupSchema.Migration("BIGINT", PostgresStoreDialect.MonthStart)),
        // Admission is grain calls now: the limit tables and functions of steps 3 and 8 go, whatever signatures an old
        // database's functions have, and so does the sequence rule creation no longer draws from.
        (14, """
            DO $$
            DECLARE f regprocedure;
            BEGIN
                FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
                         WHERE p.pronamespace = current_schema()::regnamespace
                           AND p.proname IN ('llm_reserve', 'llm_settle', 'llm_adjust_windows', 'llm_release_stale', 'llm_period_bounds', 'llm_now_us')
                LOOP
                    EXECUTE 'DROP FUNCTION ' || f;
                END LOOP;
            END
            $$;
            DROP TABLE IF EXISTS limit_windows, limit_budgets, limit_reservations;
            DROP SEQUENCE IF EXISTS routing_rules_created_seq;
            """),
        (15, RollupSchema.RejectedAndAttemptsMigration("BIGINT")),
        // Orleans' membership and placement do what the node registry and its session table did.
        (16, """
            DROP TABLE IF EXISTS cluster_sessions;
            DROP TABLE IF EXISTS cluster_nodes;
            """),
        // The router toggle grain keeps the toggle's state and history in grain storage.
        (17, """
            DROP TABLE IF EXISTS router_toggle_history;
            DROP TABLE IF EXISTS router_toggle;
            """),
        // Usage counters are read from the log (roll-ups per model and key, records per session): their tables go.
        (18, """
            DROP TABLE IF EXISTS usage_settlements;
            DROP TABLE IF EXISTS usage_counters;
            CREATE INDEX IF NOT EXISTS ix_invocations_session ON invocations (session_id) WHERE session_id IS NOT NULL;
            """),
        (19, InvocationEndpointColumn.Migration),
        // Kept Responses API answers, for previous_response_id and GET /v1/responses/{id}.
        (20, ResponseSchema.Migration("BIGINT")),
        // Each hour's smallest and largest id, so a page of a time window walks only that window's ids.
        (21, InvocationIdBounds.Migration("BIGINT")),
        // Roll-ups summed over keys and over models, built from the roll-ups (which outlive retention).
        (22, RollupSlice.Models.PartitionedMigration("BIGINT") + ";\n" + RollupSlice.Keys.PartitionedMigration("BIGINT")),
    ];
}
