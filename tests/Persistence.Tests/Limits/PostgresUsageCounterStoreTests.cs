using LlmRouter.Persistence.Stores;

namespace LlmRouter.Persistence.Tests.Limits;

/// <summary>The usage counter conformance facts on a real PostgreSQL server.</summary>
public sealed class PostgresUsageCounterStoreTests(PostgresDatabaseFixture fixture)
    : UsageCounterStoreConformance, IRequiresPostgres, IClassFixture<PostgresDatabaseFixture>
{
    protected override async Task<StoreDialect> DialectAsync() => (await fixture.GetAsync()).Dialect;

    protected override string PoisonCounter(string id) => $$"""
        CREATE OR REPLACE FUNCTION poisoned() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'poisoned'; END $$;
        CREATE TRIGGER poison_usage BEFORE INSERT ON usage_counters FOR EACH ROW WHEN (NEW.id = '{{id}}') EXECUTE FUNCTION poisoned();
        """;
}
