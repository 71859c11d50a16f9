namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// Migration 8 on PostgreSQL: <c>llm_release_stale</c>, which releases ledger entries nobody settled (their node was
/// killed mid-call) as calls of unknown usage that are not counted, and the index that finds them oldest first.
/// </summary>
internal static class PostgresStaleReservationSchema
{
    public const string Sql = """
        CREATE INDEX ix_limit_reservations_created ON limit_reservations (created_us);

        -- Takes up to p_limit entries created before p_before_us, oldest first, skipping those another sweep or a
        -- settlement has locked (several nodes sweep at once and release each entry once). Each id is recorded as
        -- settled, so a late settlement of a node that was only slow changes nothing; windows keep their charge; a
        -- budget's reserved money becomes spent, with budget rows locked in key order like llm_settle. Counters are not
        -- touched. Money commits durably (no relaxed commit here). A settlement of the same id arriving in the same
        -- instant can deadlock with this (it holds its settlement id and waits for the entry): the server aborts one
        -- side, and both retry.
        CREATE FUNCTION llm_release_stale(p_before_us BIGINT, p_limit INTEGER, p_now_us BIGINT) RETURNS INTEGER
        LANGUAGE plpgsql AS $$
        DECLARE
            v_now BIGINT := coalesce(p_now_us, llm_now_us());
            v_ids TEXT[];
            v_fresh TEXT[];
            b_keys TEXT[];
            b_periods TEXT[];
            b_starts BIGINT[];
            b_amounts BIGINT[];
        BEGIN
            SELECT coalesce(array_agg(s.id ORDER BY s.created_us, s.id COLLATE "C"), '{}') INTO v_ids
            FROM (SELECT r.id, r.created_us FROM limit_reservations r
                  WHERE r.created_us < p_before_us
                  ORDER BY r.created_us, r.id COLLATE "C"
                  LIMIT p_limit
                  FOR UPDATE SKIP LOCKED) AS s;

            WITH fresh AS (
                INSERT INTO usage_settlements (id, settled_us)
                SELECT id, v_now FROM unnest(v_ids) WITH ORDINALITY AS t(id, o) ORDER BY o
                ON CONFLICT (id) DO NOTHING
                RETURNING id)
            SELECT coalesce(array_agg(id), '{}') INTO v_fresh FROM fresh;

            WITH taken AS (
                DELETE FROM limit_reservations r WHERE r.id = ANY (v_fresh)
                RETURNING r.budget_key, r.budget_period, r.budget_period_start_us, r.reserved_nano),
            budgets AS (
                SELECT budget_key, budget_period, budget_period_start_us, sum(reserved_nano)::BIGINT AS amount
                FROM taken WHERE budget_key IS NOT NULL
                GROUP BY budget_key, budget_period, budget_period_start_us)
            SELECT array_agg(budget_key ORDER BY budget_key COLLATE "C", budget_period, budget_period_start_us),
                   array_agg(budget_period ORDER BY budget_key COLLATE "C", budget_period, budget_period_start_us),
                   array_agg(budget_period_start_us ORDER BY budget_key COLLATE "C", budget_period, budget_period_start_us),
                   array_agg(amount ORDER BY budget_key COLLATE "C", budget_period, budget_period_start_us)
            INTO b_keys, b_periods, b_starts, b_amounts
            FROM budgets;

            FOR i IN 1..coalesce(array_length(b_keys, 1), 0) LOOP
                INSERT INTO limit_budgets AS b (key_id, period, period_start_us, spent_nano, reserved_nano)
                VALUES (b_keys[i], b_periods[i], b_starts[i], b_amounts[i], 0)
                ON CONFLICT (key_id, period, period_start_us) DO UPDATE
                SET spent_nano = b.spent_nano + excluded.spent_nano, reserved_nano = greatest(0, b.reserved_nano - b_amounts[i]);
            END LOOP;

            RETURN coalesce(array_length(v_fresh, 1), 0);
        END
        $$;
        """;
}
