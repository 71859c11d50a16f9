namespace LlmRouter.Persistence.Postgres;

/// <summary>
/// Migration 3 on PostgreSQL: the grain limit tables (as on SQLite) and the two functions that make reservation and
/// settlement one round trip each (for a whole batch of calls). Rows are always locked in the same order (windows by name, then budgets, then
/// counters), so concurrent calls queue on a row instead of deadlocking. Clock: <c>p_now_us</c> when given (tests),
/// else the server's clock, read after the window rows are locked.
/// </summary>
internal static class PostgresLimitSchema
{
    public const string Sql = """
        CREATE TABLE limit_windows (
            window_key TEXT PRIMARY KEY,
            tat_us BIGINT NOT NULL
        );
        CREATE TABLE limit_budgets (
            key_id TEXT NOT NULL,
            period TEXT NOT NULL,
            period_start_us BIGINT NOT NULL,
            spent_nano BIGINT NOT NULL,
            reserved_nano BIGINT NOT NULL,
            PRIMARY KEY (key_id, period, period_start_us)
        );
        CREATE TABLE limit_reservations (
            id TEXT PRIMARY KEY,
            created_us BIGINT NOT NULL,
            token_windows TEXT[] NOT NULL,
            token_intervals BIGINT[] NOT NULL,
            reserved_tokens BIGINT NOT NULL,
            budget_key TEXT,
            budget_period TEXT,
            budget_period_start_us BIGINT,
            reserved_nano BIGINT NOT NULL
        );
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

        CREATE FUNCTION llm_now_us() RETURNS BIGINT LANGUAGE sql VOLATILE AS $$
            SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::BIGINT
        $$;

        CREATE FUNCTION llm_period_bounds(p_now_us BIGINT, p_period TEXT, OUT start_us BIGINT, OUT end_us BIGINT)
        LANGUAGE sql IMMUTABLE AS $$
            SELECT (extract(epoch FROM s) * 1000000)::BIGINT,
                   (extract(epoch FROM s + CASE p_period WHEN 'day' THEN INTERVAL '1 day' ELSE INTERVAL '1 month' END) * 1000000)::BIGINT
            FROM (SELECT date_trunc(CASE p_period WHEN 'day' THEN 'day' ELSE 'month' END,
                                    to_timestamp(p_now_us / 1000000.0) AT TIME ZONE 'UTC') AS s) AS bounds
        $$;

        -- Reserves a batch of calls in order, each one all-or-nothing, as if they had come one after another: every
        -- window and budget row the batch touches is locked once, the calls are decided in memory, and the rows are
        -- written back once. Call r's windows are p_windows[p_first[r] .. p_first[r] + p_count[r] - 1].
        CREATE FUNCTION llm_reserve(
            p_ids TEXT[], p_first INTEGER[], p_count INTEGER[],
            p_budget_keys TEXT[], p_budget_periods TEXT[], p_budget_limits BIGINT[], p_budget_reserves BIGINT[],
            p_windows TEXT[], p_intervals BIGINT[], p_capacities BIGINT[], p_costs BIGINT[], p_settles BOOLEAN[],
            p_now_us BIGINT)
        RETURNS TABLE (o_call INTEGER, o_window TEXT, o_admitted BOOLEAN, o_tat BIGINT, o_spent BIGINT, o_reserved BIGINT, o_end BIGINT, o_now BIGINT)
        LANGUAGE plpgsql AS $$
        DECLARE
            k INTEGER := coalesce(array_length(p_ids, 1), 0);
            lock_keys TEXT[];
            tats BIGINT[] := '{}';
            changed BOOLEAN[] := '{}';
            b_names TEXT[];
            b_keys TEXT[] := '{}';
            b_periods TEXT[] := '{}';
            b_starts BIGINT[] := '{}';
            b_ends BIGINT[] := '{}';
            b_spent BIGINT[] := '{}';
            b_reserved BIGINT[] := '{}';
            before BIGINT[] := '{}';
            charged BIGINT[] := '{}';
            fits BOOLEAN[] := '{}';
            v_now BIGINT;
            v_tat BIGINT;
            v_spent BIGINT;
            v_reserved BIGINT;
            v_start BIGINT;
            v_end BIGINT;
            idx INTEGER;
            bi INTEGER;
            all_fit BOOLEAN;
            b_fits BOOLEAN;
            t_windows TEXT[];
            t_intervals BIGINT[];
            t_tokens BIGINT;
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM unnest(p_budget_keys) AS b(key) WHERE b.key IS NOT NULL) THEN
                -- Window-only batches commit without waiting for the WAL flush: a hot window row is then locked for
                -- microseconds instead of a disk sync. A database crash can forget the last moments of window charges
                -- (a limit briefly looser, never stricter); money (budgets) always commits durably.
                PERFORM set_config('synchronous_commit', 'off', true);
            END IF;
            SELECT coalesce(array_agg(w ORDER BY w COLLATE "C"), '{}') INTO lock_keys FROM (SELECT DISTINCT w FROM unnest(p_windows) AS t(w)) AS d;
            FOR i IN 1..coalesce(array_length(lock_keys, 1), 0) LOOP
                SELECT w.tat_us INTO v_tat FROM limit_windows w WHERE w.window_key = lock_keys[i] FOR UPDATE;
                IF NOT FOUND THEN
                    INSERT INTO limit_windows (window_key, tat_us) VALUES (lock_keys[i], 0) ON CONFLICT (window_key) DO NOTHING;
                    SELECT w.tat_us INTO v_tat FROM limit_windows w WHERE w.window_key = lock_keys[i] FOR UPDATE;
                END IF;
                tats[i] := v_tat;
                changed[i] := FALSE;
            END LOOP;
            v_now := coalesce(p_now_us, llm_now_us());

            SELECT coalesce(array_agg(name ORDER BY name COLLATE "C"), '{}') INTO b_names
            FROM (SELECT DISTINCT key || E'\n' || period AS name FROM unnest(p_budget_keys, p_budget_periods) AS t(key, period) WHERE key IS NOT NULL) AS d;
            FOR i IN 1..coalesce(array_length(b_names, 1), 0) LOOP
                b_keys[i] := split_part(b_names[i], E'\n', 1);
                b_periods[i] := split_part(b_names[i], E'\n', 2);
                SELECT bounds.start_us, bounds.end_us INTO v_start, v_end FROM llm_period_bounds(v_now, b_periods[i]) AS bounds;
                SELECT b.spent_nano, b.reserved_nano INTO v_spent, v_reserved FROM limit_budgets b
                    WHERE b.key_id = b_keys[i] AND b.period = b_periods[i] AND b.period_start_us = v_start FOR UPDATE;
                IF NOT FOUND THEN
                    INSERT INTO limit_budgets (key_id, period, period_start_us, spent_nano, reserved_nano)
                        VALUES (b_keys[i], b_periods[i], v_start, 0, 0) ON CONFLICT DO NOTHING;
                    SELECT b.spent_nano, b.reserved_nano INTO v_spent, v_reserved FROM limit_budgets b
                        WHERE b.key_id = b_keys[i] AND b.period = b_periods[i] AND b.period_start_us = v_start FOR UPDATE;
                END IF;
                b_starts[i] := v_start;
                b_ends[i] := v_end;
                b_spent[i] := v_spent;
                b_reserved[i] := v_reserved;
            END LOOP;

            FOR r IN 1..k LOOP
                all_fit := TRUE;
                t_windows := '{}';
                t_intervals := '{}';
                t_tokens := 0;
                FOR j IN p_first[r]..p_first[r] + p_count[r] - 1 LOOP
                    idx := array_position(lock_keys, p_windows[j]);
                    before[j] := tats[idx];
                    charged[j] := greatest(tats[idx], v_now) + p_intervals[j] * p_costs[j];
                    fits[j] := charged[j] - v_now <= p_intervals[j] * p_capacities[j];
                    all_fit := all_fit AND fits[j];
                    IF p_settles[j] THEN
                        t_windows := t_windows || p_windows[j];
                        t_intervals := t_intervals || p_intervals[j];
                        t_tokens := p_costs[j];
                    END IF;
                END LOOP;
                bi := NULL;
                b_fits := TRUE;
                IF p_budget_keys[r] IS NOT NULL THEN
                    bi := array_position(b_names, p_budget_keys[r] || E'\n' || p_budget_periods[r]);
                    b_fits := b_spent[bi] + b_reserved[bi] + p_budget_reserves[r] <= p_budget_limits[r];
                    all_fit := all_fit AND b_fits;
                END IF;
                IF all_fit THEN
                    FOR j IN p_first[r]..p_first[r] + p_count[r] - 1 LOOP
                        idx := array_position(lock_keys, p_windows[j]);
                        tats[idx] := charged[j];
                        changed[idx] := TRUE;
                    END LOOP;
                    IF bi IS NOT NULL THEN
                        b_reserved[bi] := b_reserved[bi] + p_budget_reserves[r];
                    END IF;
                    IF bi IS NOT NULL OR array_length(t_windows, 1) > 0 THEN
                        INSERT INTO limit_reservations (id, created_us, token_windows, token_intervals, reserved_tokens,
                                                        budget_key, budget_period, budget_period_start_us, reserved_nano)
                        VALUES (p_ids[r], v_now, t_windows, t_intervals, t_tokens, p_budget_keys[r], p_budget_periods[r],
                                CASE WHEN bi IS NULL THEN NULL ELSE b_starts[bi] END, CASE WHEN bi IS NULL THEN 0 ELSE p_budget_reserves[r] END);
                    END IF;
                END IF;
                FOR j IN p_first[r]..p_first[r] + p_count[r] - 1 LOOP
                    o_call := r;
                    o_window := p_windows[j];
                    o_admitted := fits[j];
                    o_tat := CASE WHEN all_fit THEN charged[j] ELSE before[j] END;
                    o_spent := NULL;
                    o_reserved := NULL;
                    o_end := NULL;
                    o_now := v_now;
                    RETURN NEXT;
                END LOOP;
                IF bi IS NOT NULL OR p_count[r] = 0 THEN
                    o_call := r;
                    o_window := NULL;
                    o_admitted := b_fits;
                    o_tat := NULL;
                    o_spent := CASE WHEN bi IS NULL THEN NULL ELSE b_spent[bi] END;
                    o_reserved := CASE WHEN bi IS NULL THEN NULL ELSE b_reserved[bi] END;
                    o_end := CASE WHEN bi IS NULL THEN NULL ELSE b_ends[bi] END;
                    o_now := v_now;
                    RETURN NEXT;
                END IF;
            END LOOP;

            FOR i IN 1..coalesce(array_length(lock_keys, 1), 0) LOOP
                IF changed[i] THEN
                    UPDATE limit_windows SET tat_us = tats[i] WHERE window_key = lock_keys[i];
                END IF;
            END LOOP;
            FOR i IN 1..coalesce(array_length(b_names, 1), 0) LOOP
                UPDATE limit_budgets SET reserved_nano = b_reserved[i]
                    WHERE key_id = b_keys[i] AND period = b_periods[i] AND period_start_us = b_starts[i];
            END LOOP;
        END
        $$;

        -- Settles a batch: counters, consumed ledger entries and budgets commit durably here, exactly once per id. The
        -- token windows' corrections are returned rather than applied, for llm_adjust_windows to apply with a
        -- non-durable commit: a hot window row is never held through a disk sync, and a lost correction only leaves
        -- a window charged for what was reserved (stricter, never looser).
        CREATE FUNCTION llm_settle(
            p_ids TEXT[], p_ledger BOOLEAN[], p_models TEXT[], p_keys TEXT[], p_sessions TEXT[],
            p_prompt BIGINT[], p_completion BIGINT[], p_cost BIGINT[], p_keep BOOLEAN[], p_now_us BIGINT)
        RETURNS TABLE (o_window TEXT, o_delta BIGINT)
        LANGUAGE plpgsql AS $$
        DECLARE
            v_now BIGINT := coalesce(p_now_us, llm_now_us());
            v_fresh TEXT[];
            w_keys TEXT[];
            w_deltas BIGINT[];
            b_keys TEXT[];
            b_periods TEXT[];
            b_starts BIGINT[];
            b_spent BIGINT[];
            b_released BIGINT[];
        BEGIN
            WITH fresh AS (
                INSERT INTO usage_settlements (id, settled_us)
                SELECT id, v_now FROM unnest(p_ids) AS t(id)
                ON CONFLICT (id) DO NOTHING
                RETURNING id)
            SELECT coalesce(array_agg(id), '{}') INTO v_fresh FROM fresh;

            WITH input AS (
                SELECT * FROM unnest(p_ids, p_ledger, p_prompt, p_completion, p_cost, p_keep)
                    AS t(id, ledger, prompt, completion, cost, keep)
                WHERE ledger AND id = ANY (v_fresh)),
            taken AS (
                DELETE FROM limit_reservations r USING input i WHERE r.id = i.id
                RETURNING r.token_windows, r.token_intervals, r.reserved_tokens, r.budget_key, r.budget_period,
                          r.budget_period_start_us, r.reserved_nano, i.prompt + i.completion AS tokens, i.cost, i.keep),
            windows AS (
                SELECT u.window_key, sum(u.interval_us * CASE WHEN t.keep THEN 0 ELSE t.tokens - t.reserved_tokens END) AS delta
                FROM taken t CROSS JOIN LATERAL unnest(t.token_windows, t.token_intervals) AS u(window_key, interval_us)
                GROUP BY u.window_key),
            budgets AS (
                SELECT budget_key, budget_period, budget_period_start_us,
                       sum(CASE WHEN keep THEN greatest(cost, reserved_nano) ELSE cost END) AS spent, sum(reserved_nano) AS released
                FROM taken WHERE budget_key IS NOT NULL
                GROUP BY budget_key, budget_period, budget_period_start_us)
            SELECT (SELECT array_agg(window_key ORDER BY window_key COLLATE "C") FROM windows),
                   (SELECT array_agg(delta ORDER BY window_key COLLATE "C") FROM windows),
                   (SELECT array_agg(budget_key ORDER BY budget_key COLLATE "C", budget_period, budget_period_start_us) FROM budgets),
                   (SELECT array_agg(budget_period ORDER BY budget_key COLLATE "C", budget_period, budget_period_start_us) FROM budgets),
                   (SELECT array_agg(budget_period_start_us ORDER BY budget_key COLLATE "C", budget_period, budget_period_start_us) FROM budgets),
                   (SELECT array_agg(spent ORDER BY budget_key COLLATE "C", budget_period, budget_period_start_us) FROM budgets),
                   (SELECT array_agg(released ORDER BY budget_key COLLATE "C", budget_period, budget_period_start_us) FROM budgets)
            INTO w_keys, w_deltas, b_keys, b_periods, b_starts, b_spent, b_released;

            FOR i IN 1..coalesce(array_length(b_keys, 1), 0) LOOP
                INSERT INTO limit_budgets AS b (key_id, period, period_start_us, spent_nano, reserved_nano)
                VALUES (b_keys[i], b_periods[i], b_starts[i], b_spent[i], 0)
                ON CONFLICT (key_id, period, period_start_us) DO UPDATE
                SET spent_nano = b.spent_nano + excluded.spent_nano, reserved_nano = greatest(0, b.reserved_nano - b_released[i]);
            END LOOP;

            INSERT INTO usage_counters AS c (scope, id, requests, prompt_tokens, completion_tokens, cost_nano)
            SELECT scope, gid, count(*), sum(prompt), sum(completion), sum(cost)
            FROM (
                SELECT 'model' AS scope, model AS gid, prompt, completion, cost, id FROM unnest(p_ids, p_models, p_prompt, p_completion, p_cost) AS t(id, model, prompt, completion, cost)
                UNION ALL
                SELECT 'key', key, prompt, completion, cost, id FROM unnest(p_ids, p_keys, p_prompt, p_completion, p_cost) AS t(id, key, prompt, completion, cost) WHERE key IS NOT NULL
                UNION ALL
                SELECT 'session', session, prompt, completion, cost, id FROM unnest(p_ids, p_sessions, p_prompt, p_completion, p_cost) AS t(id, session, prompt, completion, cost) WHERE session IS NOT NULL
            ) AS s
            WHERE id = ANY (v_fresh)
            GROUP BY scope, gid
            ORDER BY scope, gid COLLATE "C"
            ON CONFLICT (scope, id) DO UPDATE
            SET requests = c.requests + excluded.requests,
                prompt_tokens = c.prompt_tokens + excluded.prompt_tokens,
                completion_tokens = c.completion_tokens + excluded.completion_tokens,
                cost_nano = c.cost_nano + excluded.cost_nano;

            DELETE FROM usage_settlements WHERE id IN (
                SELECT id FROM usage_settlements WHERE settled_us < v_now - 86400000000 LIMIT 1000);

            RETURN QUERY SELECT k, d FROM unnest(w_keys, w_deltas) WITH ORDINALITY AS u(k, d, o) WHERE d <> 0 ORDER BY o;
        END
        $$;

        CREATE FUNCTION llm_adjust_windows(p_windows TEXT[], p_deltas BIGINT[]) RETURNS VOID
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM set_config('synchronous_commit', 'off', true);
            INSERT INTO limit_windows AS w (window_key, tat_us)
            SELECT k, d FROM unnest(p_windows, p_deltas) WITH ORDINALITY AS u(k, d, o) ORDER BY o
            ON CONFLICT (window_key) DO UPDATE SET tat_us = w.tat_us + excluded.tat_us;
        END
        $$;
        """;
}
