namespace LlmRouter.Persistence.Tests.Schema;

/// <summary>The limit tables' drop on the embedded SQLite file.</summary>
public sealed class SqliteLimitTableDropTests() : LimitTableDropConformance(new SqliteSchemaDatabase())
{
    protected override long OldFunctionCount => 0;

    protected override int DropStep => 12;

    protected override string OldLimitSchema => """
        CREATE TABLE limit_windows (window_key TEXT PRIMARY KEY, tat_us INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE limit_budgets (
            key_id TEXT NOT NULL, period TEXT NOT NULL, period_start_us INTEGER NOT NULL, spent_nano INTEGER NOT NULL,
            reserved_nano INTEGER NOT NULL, PRIMARY KEY (key_id, period, period_start_us)) WITHOUT ROWID;
        CREATE TABLE limit_reservations (
            id TEXT PRIMARY KEY, created_us INTEGER NOT NULL, token_windows TEXT NOT NULL, reserved_tokens INTEGER NOT NULL,
            budget_key TEXT, budget_period TEXT, budget_period_start_us INTEGER, reserved_nano INTEGER NOT NULL);
        CREATE INDEX ix_limit_reservations_created ON limit_reservations (created_us);
        INSERT INTO limit_windows VALUES ('model:p/m', 123);
        INSERT INTO limit_reservations VALUES ('call-9', 1, '[]', 0, NULL, NULL, NULL, 0)
        """;

    protected override string? CountLimitFunctions => null;

    protected override string CountTables(string names) => $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({names})";
}
