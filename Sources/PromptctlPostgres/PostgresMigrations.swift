import Foundation
import PostgresNIO
import PromptctlCore

/// The PostgreSQL schema's migrations: the same names, in the same order, as the SQLite store's, so one version
/// number means one schema on both engines. Never edit a shipped migration: add a new one.
enum PostgresMigrations {
    static let all: [(name: String, sql: [String])] = [
        (
            "v1-llm-cache-and-calls",
            [
                """
                CREATE TABLE llm_cache (key TEXT PRIMARY KEY, provider TEXT NOT NULL, model TEXT NOT NULL,
                  payload BYTEA NOT NULL, cost_usd DOUBLE PRECISION NOT NULL, created_at TIMESTAMPTZ NOT NULL)
                """,
                """
                CREATE TABLE llm_call (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL, source TEXT NOT NULL,
                  run_id TEXT, provider TEXT NOT NULL, model TEXT NOT NULL, prompt_id TEXT, prompt_version TEXT,
                  label TEXT, status TEXT NOT NULL, error TEXT, prompt_tokens BIGINT NOT NULL,
                  cached_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL, cost_usd DOUBLE PRECISION NOT NULL,
                  latency_ms DOUBLE PRECISION NOT NULL, cache_hit BOOLEAN NOT NULL, attempts BIGINT NOT NULL)
                """,
                "CREATE INDEX llm_call_on_at ON llm_call (at)",
            ]
        ),
        (
            "v2-evaluation-runs",
            [
                """
                CREATE TABLE eval_run (id TEXT PRIMARY KEY, suite TEXT NOT NULL, suite_file TEXT NOT NULL,
                  started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ, status TEXT NOT NULL, git_ref TEXT,
                  plan BYTEA NOT NULL, summary BYTEA)
                """,
                """
                CREATE TABLE eval_result (id BIGSERIAL PRIMARY KEY,
                  run_id TEXT NOT NULL REFERENCES eval_run (id) ON DELETE CASCADE, item_key TEXT NOT NULL,
                  side TEXT NOT NULL, prompt_id TEXT NOT NULL, prompt_version TEXT NOT NULL, language TEXT NOT NULL,
                  persona TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, case_id TEXT NOT NULL,
                  repeat_index BIGINT NOT NULL, output TEXT, error TEXT, prompt_tokens BIGINT NOT NULL,
                  cached_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL, cost_usd DOUBLE PRECISION NOT NULL,
                  latency_ms DOUBLE PRECISION NOT NULL, cache_hit BOOLEAN NOT NULL, guard_action TEXT,
                  score DOUBLE PRECISION, passed BOOLEAN NOT NULL, needs_review BOOLEAN NOT NULL DEFAULT FALSE,
                  detail BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL, UNIQUE (run_id, item_key))
                """,
                "CREATE INDEX eval_result_on_created_at ON eval_result (created_at)",
            ]
        ),
        (
            "v3-production-messages",
            [
                """
                CREATE TABLE production_message (id BIGSERIAL PRIMARY KEY, message_key TEXT NOT NULL UNIQUE,
                  at TIMESTAMPTZ NOT NULL, conversation_id TEXT, user_id TEXT, prompt_id TEXT, prompt_version TEXT,
                  label TEXT, language TEXT, persona TEXT, user_message TEXT NOT NULL, response TEXT NOT NULL,
                  model TEXT NOT NULL, guard_action TEXT, guard_categories TEXT, status TEXT NOT NULL)
                """,
                "CREATE INDEX production_message_on_at ON production_message (at)",
                "ALTER TABLE llm_call ADD COLUMN message_id BIGINT REFERENCES production_message (id) ON DELETE CASCADE",
                "CREATE INDEX llm_call_on_at_prompt_model ON llm_call (at, prompt_id, model)",
                "CREATE INDEX llm_call_on_message_id ON llm_call (message_id)",
            ]
        ),
        (
            "v4-hourly-cost-rollup",
            [
                // Reports read hourly totals kept by a trigger, so they cost the same with ten million messages as
                // with a thousand. The hour is "YYYY-MM-DD HH" in UTC, as in the SQLite store.
                """
                CREATE TABLE cost_hourly (hour TEXT NOT NULL, prompt_id TEXT NOT NULL DEFAULT '',
                  prompt_version TEXT NOT NULL DEFAULT '', model TEXT NOT NULL, label TEXT NOT NULL DEFAULT '',
                  messages BIGINT NOT NULL, errors BIGINT NOT NULL, prompt_tokens BIGINT NOT NULL,
                  cached_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL, cost_usd DOUBLE PRECISION NOT NULL,
                  PRIMARY KEY (hour, prompt_id, prompt_version, model, label))
                """,
                """
                CREATE FUNCTION llm_call_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.status = 'interrupted' THEN RETURN NEW; END IF;
                  INSERT INTO cost_hourly VALUES (to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24'),
                    COALESCE(NEW.prompt_id, ''), COALESCE(NEW.prompt_version, ''), NEW.model, COALESCE(NEW.label, ''),
                    1, CASE WHEN NEW.status <> 'ok' THEN 1 ELSE 0 END, NEW.prompt_tokens, NEW.cached_tokens,
                    NEW.completion_tokens, NEW.cost_usd)
                  ON CONFLICT (hour, prompt_id, prompt_version, model, label) DO UPDATE SET
                    messages = cost_hourly.messages + 1, errors = cost_hourly.errors + excluded.errors,
                    prompt_tokens = cost_hourly.prompt_tokens + excluded.prompt_tokens,
                    cached_tokens = cost_hourly.cached_tokens + excluded.cached_tokens,
                    completion_tokens = cost_hourly.completion_tokens + excluded.completion_tokens,
                    cost_usd = cost_hourly.cost_usd + excluded.cost_usd;
                  RETURN NEW;
                END $$
                """,
                """
                CREATE TRIGGER llm_call_rollup AFTER INSERT ON llm_call FOR EACH ROW EXECUTE FUNCTION llm_call_rollup()
                """,
            ]
        ),
        (
            "v5-nurse-review",
            [
                """
                CREATE TABLE review_item (id BIGSERIAL PRIMARY KEY, week TEXT NOT NULL, source_key TEXT NOT NULL UNIQUE,
                  position BIGINT NOT NULL, stratum TEXT NOT NULL, detail BYTEA NOT NULL,
                  created_at TIMESTAMPTZ NOT NULL)
                """,
                "CREATE INDEX review_item_on_week ON review_item (week)",
                """
                CREATE TABLE reviewer (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, week TEXT NOT NULL,
                  token_sha256 TEXT NOT NULL UNIQUE, UNIQUE (name, week))
                """,
                """
                CREATE TABLE review_feedback (id BIGSERIAL PRIMARY KEY,
                  item_id BIGINT NOT NULL REFERENCES review_item (id) ON DELETE CASCADE, reviewer TEXT NOT NULL,
                  clinical_coherence BIGINT NOT NULL, friendly_tone BIGINT NOT NULL, safe BOOLEAN NOT NULL,
                  send_as_is BOOLEAN NOT NULL, comment TEXT, corrected_answer TEXT, source TEXT NOT NULL,
                  submitted_at TIMESTAMPTZ NOT NULL, UNIQUE (item_id, reviewer))
                """,
            ]
        ),
        (
            "v6-review-feedback-history",
            [
                """
                CREATE TABLE review_feedback_history (id BIGSERIAL PRIMARY KEY,
                  item_id BIGINT NOT NULL REFERENCES review_item (id) ON DELETE CASCADE, reviewer TEXT NOT NULL,
                  clinical_coherence BIGINT NOT NULL, friendly_tone BIGINT NOT NULL, safe BOOLEAN NOT NULL,
                  send_as_is BOOLEAN NOT NULL, comment TEXT, corrected_answer TEXT, source TEXT NOT NULL,
                  submitted_at TIMESTAMPTZ NOT NULL)
                """,
                """
                CREATE INDEX review_feedback_history_on_item_reviewer ON review_feedback_history (item_id, reviewer)
                """,
            ]
        ),
        // The rollup above already leaves interrupted calls out; the name keeps the versions aligned with SQLite.
        ("v7-interrupted-calls-are-not-errors", []),
        (
            "v8-run-candidates",
            [
                """
                CREATE TABLE eval_run_candidate (run_id TEXT NOT NULL REFERENCES eval_run (id) ON DELETE CASCADE,
                  candidate TEXT NOT NULL, baseline TEXT, PRIMARY KEY (run_id, candidate))
                """,
                "CREATE INDEX eval_run_candidate_on_candidate ON eval_run_candidate (candidate)",
            ]
        ),
        (
            "v9-review-notion-pages",
            [
                """
                CREATE TABLE review_notion_page (data_source_id TEXT NOT NULL,
                  item_id BIGINT NOT NULL REFERENCES review_item (id) ON DELETE CASCADE, page_id TEXT NOT NULL,
                  pushed_at TIMESTAMPTZ NOT NULL, pulled_version TEXT, PRIMARY KEY (data_source_id, item_id))
                """
            ]
        ),
        (
            "v10-release-gateway",
            [
                "ALTER TABLE production_message ADD COLUMN canary_arm TEXT",
                "ALTER TABLE production_message ADD COLUMN needs_review BOOLEAN NOT NULL DEFAULT FALSE",
                """
                CREATE INDEX production_message_on_prompt_arm_at ON production_message (prompt_id, canary_arm, at)
                """,
                """
                CREATE TABLE client_key (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                  sha256 TEXT NOT NULL UNIQUE, created_at TIMESTAMPTZ NOT NULL)
                """,
            ]
        ),
        (
            "v11-eval-result-cases",
            [
                // Per-case tallies (pass^k, case regressions) are grouped in the store, not in memory.
                """
                CREATE INDEX eval_result_by_case ON eval_result (run_id, side, prompt_id, prompt_version, case_id,
                  passed)
                """
            ]
        ),
        (
            "v12-eval-result-columns",
            [
                // What the review sample and the metrics need of a result is written by the runner as columns and
                // rows, so the store never reads the result's JSON detail.
                """
                ALTER TABLE eval_result ADD COLUMN user_message TEXT NOT NULL DEFAULT '',
                  ADD COLUMN guard_categories TEXT NOT NULL DEFAULT ''
                """,
                """
                CREATE TABLE eval_result_rubric (
                  result_id BIGINT NOT NULL REFERENCES eval_result (id) ON DELETE CASCADE, rubric TEXT NOT NULL,
                  score DOUBLE PRECISION NOT NULL, PRIMARY KEY (result_id, rubric))
                """,
                """
                CREATE TABLE eval_result_finding (
                  result_id BIGINT NOT NULL REFERENCES eval_result (id) ON DELETE CASCADE, position BIGINT NOT NULL,
                  category TEXT NOT NULL, action TEXT NOT NULL, PRIMARY KEY (result_id, position))
                """,
                // Results stored before this version: their columns come once from the detail they were written with.
                """
                CREATE FUNCTION pg_temp.promptctl_json(detail BYTEA) RETURNS JSONB LANGUAGE plpgsql AS $$
                BEGIN RETURN convert_from(detail, 'UTF8')::jsonb; EXCEPTION WHEN OTHERS THEN RETURN '{}'::jsonb; END $$
                """,
                """
                UPDATE eval_result e SET user_message = COALESCE(d.j ->> 'userMessage', ''),
                  guard_categories = COALESCE((SELECT string_agg(DISTINCT f ->> 'category', ',' ORDER BY
                    f ->> 'category') FROM jsonb_array_elements(CASE WHEN jsonb_typeof(d.j #> '{guardDecision,findings}')
                    = 'array' THEN d.j #> '{guardDecision,findings}' ELSE '[]'::jsonb END) AS f), '')
                FROM (SELECT id, pg_temp.promptctl_json(detail) AS j FROM eval_result) AS d WHERE d.id = e.id
                """,
                """
                INSERT INTO eval_result_rubric (result_id, rubric, score)
                SELECT d.id, r ->> 'rubric', (r ->> 'score')::double precision
                FROM (SELECT id, pg_temp.promptctl_json(detail) AS j FROM eval_result) AS d,
                jsonb_array_elements(CASE WHEN jsonb_typeof(d.j -> 'rubrics') = 'array' THEN d.j -> 'rubrics'
                  ELSE '[]'::jsonb END) AS r
                WHERE jsonb_typeof(r -> 'score') = 'number' AND r ->> 'rubric' IS NOT NULL
                ON CONFLICT DO NOTHING
                """,
                """
                INSERT INTO eval_result_finding (result_id, position, category, action)
                SELECT d.id, f.position - 1, COALESCE(f.value ->> 'category', '?'), COALESCE(f.value ->> 'action', '?')
                FROM (SELECT id, pg_temp.promptctl_json(detail) AS j FROM eval_result) AS d,
                jsonb_array_elements(CASE WHEN jsonb_typeof(d.j #> '{guardDecision,findings}') = 'array'
                  THEN d.j #> '{guardDecision,findings}' ELSE '[]'::jsonb END) WITH ORDINALITY AS f(value, position)
                """,
            ]
        ),
    ]

    /// The table that records applied migrations.
    static let table = "promptctl_schema_migrations"

    /// The applied migrations, oldest first; nil when the database has no promptctl schema at all.
    static func applied(_ session: PostgresSession) throws -> [String]? {
        let exists = try session.query("SELECT to_regclass($1) IS NOT NULL AS present", [Bind.text(table)])
        guard exists.first?.bool("present") == true else { return nil }
        return try session.query("SELECT identifier FROM \(table) ORDER BY position").compactMap {
            $0.string("identifier")
        }
    }

    /// Applies the missing migrations, each in its own transaction, under an advisory lock so that two processes
    /// migrating at once apply each migration once. Returns the names applied now.
    static func migrate(_ session: PostgresSession) throws -> [String] {
        try session.transaction { connection in
            // 0x70726f6d = "prom": one lock key for promptctl's migrations in this database.
            try PostgresSession.run(connection, "SELECT pg_advisory_xact_lock(1886547821)")
            try PostgresSession.run(
                connection,
                """
                CREATE TABLE IF NOT EXISTS \(table) (position BIGINT PRIMARY KEY, identifier TEXT NOT NULL UNIQUE,
                  applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """)
            let done = Set(
                try PostgresSession.run(connection, "SELECT identifier FROM \(table)").compactMap {
                    $0.string("identifier")
                })
            let known = Set(all.map(\.name))
            let unknown = done.subtracting(known)
            guard unknown.isEmpty else { throw newerSchema(unknown.sorted(), at: session.location) }
            var applied: [String] = []
            for (position, migration) in all.enumerated() where !done.contains(migration.name) {
                for statement in migration.sql { try PostgresSession.run(connection, statement) }
                try PostgresSession.run(
                    connection, "INSERT INTO \(table) (position, identifier) VALUES ($1, $2)",
                    [Bind.int(position + 1), Bind.text(migration.name)])
                applied.append(migration.name)
            }
            return applied
        }
    }

    /// Checks that a database has this build's schema: none missing, none newer.
    static func check(_ session: PostgresSession) throws {
        let place = session.location.displayLocation
        guard let applied = try applied(session) else {
            throw PromptctlError(
                .infrastructure, "the database at \(place) has no promptctl schema",
                remedy: "run: promptctl store migrate --db '\(place)'")
        }
        let known = Set(all.map(\.name))
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw newerSchema(unknown, at: session.location) }
        let missing = all.map(\.name).filter { !applied.contains($0) }
        guard missing.isEmpty else {
            throw PromptctlError(
                .infrastructure,
                "the database at \(place) is at an older schema (missing \(missing.joined(separator: ", ")))",
                remedy: "run: promptctl store migrate --db '\(place)'")
        }
    }

    static func newerSchema(_ unknown: [String], at location: PostgresLocation) -> PromptctlError {
        PromptctlError(
            .infrastructure,
            "the database at \(location.displayLocation) has a newer schema than this promptctl "
                + "(\(unknown.joined(separator: ", ")))",
            remedy: "upgrade promptctl to the version that migrated it; this one would misread its data")
    }
}
