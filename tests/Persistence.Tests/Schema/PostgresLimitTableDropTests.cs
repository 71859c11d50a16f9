namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>The limit tables' and functions' drop on a real PostgreSQL server, on a database its facts share (the old shape is migrated back to the new).</summary>
public sealed class PostgresLimitTableDropTests(PostgresDatabaseFixture fixture)
    : LimitTableDropConformance(new PostgresSchemaDatabase(fixture)), IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override long OldFunctionCount => 7;

    protected override int DropStep => 14;

    // The old functions' real signatures (and an older overload), with stand-in bodies: the drop goes by name.
    protected override string OldLimitSchema => """
        CREATE TABLE limit_windows (window_key TEXT PRIMARY KEY, tat_us BIGINT NOT NULL);
        CREATE TABLE limit_budgets (
            key_id TEXT NOT NULL, period TEXT NOT NULL, period_start_us BIGINT NOT NULL, spent_nano BIGINT NOT NULL,
            reserved_nano BIGINT NOT NULL, PRIMARY KEY (key_id, period, period_start_us));
        CREATE TABLE limit_reservations (
            id TEXT PRIMARY KEY, created_us BIGINT NOT NULL, token_windows TEXT[] NOT NULL, token_intervals BIGINT[] NOT NULL,
            reserved_tokens BIGINT NOT NULL, budget_key TEXT, budget_period TEXT, budget_period_start_us BIGINT, reserved_nano BIGINT NOT NULL);
        CREATE INDEX ix_limit_reservations_created ON limit_reservations (created_us);
        INSERT INTO limit_windows VALUES ('model:p/m', 123);
        CREATE FUNCTION llm_now_us() RETURNS BIGINT LANGUAGE sql VOLATILE AS $$ SELECT 0::BIGINT $$;
        CREATE FUNCTION llm_period_bounds(p_now_us BIGINT, p_period TEXT, OUT start_us BIGINT, OUT end_us BIGINT)
            LANGUAGE sql IMMUTABLE AS $$ SELECT 0::BIGINT, 0::BIGINT $$;
        CREATE FUNCTION llm_reserve(TEXT[], INTEGER[], INTEGER[], TEXT[], TEXT[], BIGINT[], BIGINT[], TEXT[], BIGINT[], BIGINT[], BIGINT[], BOOLEAN[], BIGINT)
            RETURNS TABLE (o_call INTEGER) LANGUAGE sql AS $$ SELECT 1 $$;
        CREATE FUNCTION llm_settle(TEXT[], BOOLEAN[], TEXT[], TEXT[], TEXT[], BIGINT[], BIGINT[], BIGINT[], BOOLEAN[], BIGINT)
            RETURNS TABLE (o_window TEXT, o_delta BIGINT) LANGUAGE sql AS $$ SELECT 'w', 0::BIGINT $$;
        CREATE FUNCTION llm_settle(TEXT[]) RETURNS INTEGER LANGUAGE sql AS $$ SELECT 0 $$;
        CREATE FUNCTION llm_adjust_windows(TEXT[], BIGINT[]) RETURNS VOID LANGUAGE sql AS $$ SELECT $$;
        CREATE FUNCTION llm_release_stale(BIGINT, INTEGER, BIGINT) RETURNS INTEGER LANGUAGE sql AS $$ SELECT 0 $$;
        """;

    protected override string CountLimitFunctions => """
        SELECT count(*) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
            AND proname IN ('llm_reserve', 'llm_settle', 'llm_adjust_windows', 'llm_release_stale', 'llm_period_bounds', 'llm_now_us')
        """;

    protected override string CountTables(string names) =>
        $"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ({names})";
}
