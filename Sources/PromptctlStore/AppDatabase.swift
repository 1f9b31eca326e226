import Foundation
import GRDB
import PromptctlCore

/// The project's one SQLite database: owns the migrations and the named write methods.
///
/// Modelled on GRDB's demo `AppDatabase`: every schema change is a new named migration
/// registered in `migrator`, so a later capability adds its tables without touching old ones.
public struct AppDatabase: Sendable {
    /// The connection pool (WAL mode: readers never block the writer). Private: every read and write is a named
    /// operation of this module, so no SQL and no GRDB type leaves the store.
    private let pool: DatabasePool

    /// The pool, for this module's extensions only.
    var writer: DatabasePool { pool }
    /// The file's path.
    public let path: String
    /// Gateway exchanges waiting for the next transaction (group commit).
    let exchangeCommits = GroupCommit<GatewayExchange>()

    /// Opens (creating if needed) the database at `path` and migrates it; a write waits up to `busyTimeout`
    /// seconds for another process's lock before it fails.
    public init(path: String, busyTimeout: TimeInterval = 10) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.refuseNewerSchema(pool, path: path)
            // Two processes (or two opens in one process) creating the same new file race: both see a migration
            // missing, one applies it, the other's CREATE (or its record of the migration) fails and rolls back.
            // Each migration commits with its record, so reading the applied list again lets the second one
            // continue where the first one got to.
            var attempt = 0
            while true {
                attempt += 1
                do {
                    try Self.migrator.migrate(pool)
                    break
                } catch let error as DatabaseError
                    where attempt < 5 && (error.resultCode == .SQLITE_ERROR || error.resultCode == .SQLITE_CONSTRAINT)
                {
                    Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
                }
            }
        } catch let error as PromptctlError {
            throw error
        } catch {
            throw PromptctlError(
                .infrastructure, "cannot open the database at \(path)",
                remedy: "check the folder is writable, or point PROMPTCTL_DB / --db at another file", cause: error)
        }
    }

    /// Whether an error is another connection's lock (busy or locked), which waiting and trying again cures.
    public static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// Copies the write-ahead log into the database file now, so that closing the database later (which does
    /// the same) has little left to do; a long run calls it on its writer thread while the reports are written.
    public func checkpoint() throws {
        try writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    /// Every migration, in order. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-llm-cache-and-calls") { db in
            try db.create(table: "llm_cache") { t in
                t.primaryKey("key", .text)
                t.column("provider", .text).notNull()
                t.column("model", .text).notNull()
                t.column("payload", .blob).notNull()
                t.column("cost_usd", .double).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "llm_call") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
                t.column("source", .text).notNull()  // "promptctl" or "import"
                t.column("run_id", .text)
                t.column("provider", .text).notNull()
                t.column("model", .text).notNull()
                t.column("prompt_id", .text)
                t.column("prompt_version", .text)
                t.column("label", .text)
                t.column("status", .text).notNull()  // ok, error
                t.column("error", .text)
                t.column("prompt_tokens", .integer).notNull()
                t.column("cached_tokens", .integer).notNull()
                t.column("completion_tokens", .integer).notNull()
                t.column("cost_usd", .double).notNull()
                t.column("latency_ms", .double).notNull()
                t.column("cache_hit", .boolean).notNull()
                t.column("attempts", .integer).notNull()
            }
        }
        migrator.registerMigration("v2-evaluation-runs") { db in
            try db.create(table: "eval_run") { t in
                t.primaryKey("id", .text)
                t.column("suite", .text).notNull()
                t.column("suite_file", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("finished_at", .datetime)
                t.column("status", .text).notNull()  // running, finished, interrupted
                t.column("git_ref", .text)
                t.column("plan", .blob).notNull()  // JSON of the planned matrix
                t.column("summary", .blob)  // JSON of the final summary
            }
            try db.create(table: "eval_result") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("run_id", .text).notNull().references("eval_run", onDelete: .cascade)
                t.column("item_key", .text).notNull()
                t.uniqueKey(["run_id", "item_key"])
                t.column("side", .text).notNull()  // candidate, baseline
                t.column("prompt_id", .text).notNull()
                t.column("prompt_version", .text).notNull()
                t.column("language", .text).notNull()
                t.column("persona", .text).notNull()
                t.column("provider", .text).notNull()
                t.column("model", .text).notNull()
                t.column("case_id", .text).notNull()
                t.column("repeat_index", .integer).notNull()
                t.column("output", .text)
                t.column("error", .text)
                t.column("prompt_tokens", .integer).notNull()
                t.column("cached_tokens", .integer).notNull()
                t.column("completion_tokens", .integer).notNull()
                t.column("cost_usd", .double).notNull()
                t.column("latency_ms", .double).notNull()
                t.column("cache_hit", .boolean).notNull()
                t.column("guard_action", .text)
                t.column("score", .double)
                t.column("passed", .boolean).notNull()
                t.column("needs_review", .boolean).notNull().defaults(to: false)
                t.column("detail", .blob).notNull()  // the whole result as JSON
                t.column("created_at", .datetime).notNull().indexed()
            }
        }
        migrator.registerMigration("v3-production-messages") { db in
            // Production messages imported from JSONL; the key makes imports idempotent.
            try db.create(table: "production_message") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("message_key", .text).notNull().unique()
                t.column("at", .datetime).notNull().indexed()
                t.column("conversation_id", .text)
                t.column("user_id", .text)
                t.column("prompt_id", .text)
                t.column("prompt_version", .text)
                t.column("label", .text)
                t.column("language", .text)
                t.column("persona", .text)
                t.column("user_message", .text).notNull()
                t.column("response", .text).notNull()
                t.column("model", .text).notNull()
                t.column("guard_action", .text)
                t.column("guard_categories", .text)
                t.column("status", .text).notNull()
            }
            try db.alter(table: "llm_call") { t in
                t.add(column: "message_id", .integer).references("production_message", onDelete: .cascade)
            }
            try db.create(index: "llm_call_on_at_prompt_model", on: "llm_call", columns: ["at", "prompt_id", "model"])
        }
        migrator.registerMigration("v4-hourly-cost-rollup") { db in
            // Reports read hourly totals kept by a trigger, so they cost the same with a million messages as
            // with a thousand. Every call is counted once, whichever way it was recorded.
            try db.execute(
                sql: """
                    CREATE TABLE cost_hourly (
                      hour TEXT NOT NULL, prompt_id TEXT NOT NULL DEFAULT '', prompt_version TEXT NOT NULL DEFAULT '',
                      model TEXT NOT NULL, label TEXT NOT NULL DEFAULT '', messages INTEGER NOT NULL, errors INTEGER NOT NULL,
                      prompt_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
                      cost_usd REAL NOT NULL,
                      PRIMARY KEY (hour, prompt_id, prompt_version, model, label)) WITHOUT ROWID;
                    CREATE TRIGGER llm_call_rollup AFTER INSERT ON llm_call BEGIN
                      INSERT INTO cost_hourly VALUES (substr(NEW.at, 1, 13), COALESCE(NEW.prompt_id, ''),
                        COALESCE(NEW.prompt_version, ''), NEW.model, COALESCE(NEW.label, ''), 1, NEW.status != 'ok',
                        NEW.prompt_tokens, NEW.cached_tokens, NEW.completion_tokens, NEW.cost_usd)
                      ON CONFLICT (hour, prompt_id, prompt_version, model, label) DO UPDATE SET
                        messages = messages + 1, errors = errors + excluded.errors,
                        prompt_tokens = prompt_tokens + excluded.prompt_tokens,
                        cached_tokens = cached_tokens + excluded.cached_tokens,
                        completion_tokens = completion_tokens + excluded.completion_tokens,
                        cost_usd = cost_usd + excluded.cost_usd;
                    END;
                    INSERT INTO cost_hourly SELECT substr(at, 1, 13), COALESCE(prompt_id, ''), COALESCE(prompt_version, ''),
                      model, COALESCE(label, ''), COUNT(*), SUM(status != 'ok'), SUM(prompt_tokens), SUM(cached_tokens),
                      SUM(completion_tokens), SUM(cost_usd) FROM llm_call GROUP BY 1, 2, 3, 4, 5;
                    """)
        }
        migrator.registerMigration("v5-nurse-review") { db in
            try db.create(table: "review_item") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("week", .text).notNull().indexed()
                // "eval:<eval_result id>" or "message:<production_message id>": an item is drawn at most once, ever.
                t.column("source_key", .text).notNull().unique()
                t.column("position", .integer).notNull()
                t.column("stratum", .text).notNull()
                t.column("detail", .blob).notNull()  // the item as shown to nurses (JSON), before masking
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "reviewer") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("week", .text).notNull()
                t.column("token_sha256", .text).notNull().unique()
                t.uniqueKey(["name", "week"])
            }
            try db.create(table: "review_feedback") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("item_id", .integer).notNull().references("review_item", onDelete: .cascade)
                t.column("reviewer", .text).notNull()
                t.column("clinical_coherence", .integer).notNull()
                t.column("friendly_tone", .integer).notNull()
                t.column("safe", .boolean).notNull()
                t.column("send_as_is", .boolean).notNull()
                t.column("comment", .text)
                t.column("corrected_answer", .text)
                t.column("source", .text).notNull()  // csv or web
                t.column("submitted_at", .datetime).notNull()
                t.uniqueKey(["item_id", "reviewer"])
            }
        }
        migrator.registerMigration("v6-review-feedback-history") { db in
            // The latest answer of a nurse on an item wins in review_feedback; every submission, the first and each
            // later one, is kept here so a changed answer never erases the one before it.
            try db.create(table: "review_feedback_history") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("item_id", .integer).notNull().references("review_item", onDelete: .cascade)
                t.column("reviewer", .text).notNull()
                t.column("clinical_coherence", .integer).notNull()
                t.column("friendly_tone", .integer).notNull()
                t.column("safe", .boolean).notNull()
                t.column("send_as_is", .boolean).notNull()
                t.column("comment", .text)
                t.column("corrected_answer", .text)
                t.column("source", .text).notNull()
                t.column("submitted_at", .datetime).notNull()
            }
            try db.create(
                index: "review_feedback_history_on_item_reviewer", on: "review_feedback_history",
                columns: ["item_id", "reviewer"])
            // Answers stored before the history existed are its first entries.
            try db.execute(
                sql: """
                    INSERT INTO review_feedback_history (item_id, reviewer, clinical_coherence, friendly_tone, safe,
                    send_as_is, comment, corrected_answer, source, submitted_at)
                    SELECT item_id, reviewer, clinical_coherence, friendly_tone, safe, send_as_is, comment,
                    corrected_answer, source, submitted_at FROM review_feedback ORDER BY id
                    """)
        }
        migrator.registerMigration("v7-interrupted-calls-are-not-errors") { db in
            // A call cut short by Ctrl-C or SIGTERM is stored with status 'interrupted': it is neither a message
            // nor a provider error, so the hourly rollup leaves it out.
            try db.execute(
                sql: """
                    DROP TRIGGER llm_call_rollup;
                    CREATE TRIGGER llm_call_rollup AFTER INSERT ON llm_call WHEN NEW.status != 'interrupted' BEGIN
                      INSERT INTO cost_hourly VALUES (substr(NEW.at, 1, 13), COALESCE(NEW.prompt_id, ''),
                        COALESCE(NEW.prompt_version, ''), NEW.model, COALESCE(NEW.label, ''), 1, NEW.status != 'ok',
                        NEW.prompt_tokens, NEW.cached_tokens, NEW.completion_tokens, NEW.cost_usd)
                      ON CONFLICT (hour, prompt_id, prompt_version, model, label) DO UPDATE SET
                        messages = messages + 1, errors = errors + excluded.errors,
                        prompt_tokens = prompt_tokens + excluded.prompt_tokens,
                        cached_tokens = cached_tokens + excluded.cached_tokens,
                        completion_tokens = completion_tokens + excluded.completion_tokens,
                        cost_usd = cost_usd + excluded.cost_usd;
                    END;
                    """)
        }
        migrator.registerMigration("v8-run-candidates") { db in
            // Which candidates a run evaluated, so `prompts promote` finds the run by candidate and reads its
            // recorded verdict instead of decoding the plans of hundreds of runs.
            try db.create(table: "eval_run_candidate") { t in
                t.column("run_id", .text).notNull().references("eval_run", onDelete: .cascade)
                t.column("candidate", .text).notNull().indexed()
                t.column("baseline", .text)
                t.primaryKey(["run_id", "candidate"])
            }
        }
        migrator.registerMigration("v9-review-notion-pages") { db in
            // Which Notion page holds each pushed item, so a second push updates it; and the page's edit time and
            // answer at the last pull, so a page nobody touched since never overwrites a newer CSV or form answer.
            try db.create(table: "review_notion_page") { t in
                t.column("data_source_id", .text).notNull()
                t.column("item_id", .integer).notNull().references("review_item", onDelete: .cascade)
                t.column("page_id", .text).notNull()
                t.column("pushed_at", .datetime).notNull()
                t.column("pulled_version", .text)
                t.primaryKey(["data_source_id", "item_id"])
            }
        }
        migrator.registerMigration("v10-release-gateway") { db in
            // `promptctl serve` writes exchanges itself: which arm of a canary served her, and whether a nurse must
            // look at it (an escalation, a block, or a guard that could not answer).
            try db.alter(table: "production_message") { t in
                t.add(column: "canary_arm", .text)
                t.add(column: "needs_review", .boolean).notNull().defaults(to: false)
            }
            try db.create(
                index: "production_message_on_prompt_arm_at", on: "production_message",
                columns: ["prompt_id", "canary_arm", "at"])
            // Client keys of the gateway: only a hash is kept; the key itself is printed once.
            try db.create(table: "client_key") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("sha256", .text).notNull().unique()
                t.column("created_at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v11-eval-result-cases") { db in
            // Per-case tallies (pass^k, case regressions) are grouped in the store, not in memory.
            try db.create(
                index: "eval_result_by_case", on: "eval_result",
                columns: ["run_id", "side", "prompt_id", "prompt_version", "case_id", "passed"])
        }
        migrator.registerMigration("v12-eval-result-columns") { db in
            // What the review sample and the metrics need of a result is written by the runner as columns and rows,
            // so the store never reads the result's JSON detail (which stays the report's, as written).
            try db.alter(table: "eval_result") { t in
                t.add(column: "user_message", .text).notNull().defaults(to: "")
                t.add(column: "guard_categories", .text).notNull().defaults(to: "")
            }
            try db.create(table: "eval_result_rubric") { t in
                t.column("result_id", .integer).notNull().references("eval_result", onDelete: .cascade)
                t.column("rubric", .text).notNull()
                t.column("score", .double).notNull()
                t.primaryKey(["result_id", "rubric"])
            }
            try db.create(table: "eval_result_finding") { t in
                t.column("result_id", .integer).notNull().references("eval_result", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("category", .text).notNull()
                t.column("action", .text).notNull()
                t.primaryKey(["result_id", "position"])
            }
            // Results stored before this version: their columns come once from the detail they were written with.
            try db.execute(
                sql: """
                    UPDATE eval_result SET user_message = COALESCE(json_extract(CAST(detail AS TEXT), '$.userMessage'), ''),
                    guard_categories = COALESCE((SELECT group_concat(category, ',') FROM (SELECT DISTINCT
                      json_extract(f.value, '$.category') AS category FROM json_each(CAST(eval_result.detail AS TEXT),
                      '$.guardDecision.findings') AS f ORDER BY 1)), '')
                    WHERE json_valid(CAST(detail AS TEXT));
                    INSERT OR IGNORE INTO eval_result_rubric (result_id, rubric, score)
                    SELECT e.id, json_extract(r.value, '$.rubric'), json_extract(r.value, '$.score')
                    FROM eval_result e, json_each(CASE WHEN json_valid(CAST(e.detail AS TEXT)) THEN CAST(e.detail AS TEXT) ELSE '{}' END, '$.rubrics') AS r
                    WHERE json_type(r.value, '$.score') IN ('real', 'integer')
                    AND json_extract(r.value, '$.rubric') IS NOT NULL;
                    INSERT OR IGNORE INTO eval_result_finding (result_id, position, category, action)
                    SELECT e.id, f.key, COALESCE(json_extract(f.value, '$.category'), '?'),
                    COALESCE(json_extract(f.value, '$.action'), '?')
                    FROM eval_result e, json_each(CASE WHEN json_valid(CAST(e.detail AS TEXT)) THEN CAST(e.detail AS TEXT) ELSE '{}' END,
                      '$.guardDecision.findings') AS f;
                    """)
        }
        return migrator
    }

    /// A database file at an older schema, with `statements` run on it: for the tests that upgrade one.
    static func legacyFile(path: String, upTo migration: String, statements: [String]) throws {
        let queue = try DatabaseQueue(path: path)
        try migrator.migrate(queue, upTo: migration)
        try queue.write { db in
            for statement in statements { try db.execute(sql: statement) }
        }
    }

    /// The applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Self.migrator.appliedMigrations(db) }
    }
}

extension AppDatabase: ResponseCache {
    /// The entry for a key, if present and younger than `maxAge`.
    public func cachedResponse(forKey key: String, maxAge: TimeInterval?) throws -> CachedResponse? {
        // One statement is atomic on its own: it needs no read transaction around it, and a cached statement is
        // compiled once per connection. A cached re-run reads two entries per item, so both costs showed.
        try writer.unsafeRead { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT key, provider, model, payload, cost_usd, created_at FROM llm_cache WHERE key = ?"),
                    arguments: [key])
            else {
                return nil
            }
            let entry = CachedResponse(
                key: row["key"], provider: row["provider"], model: row["model"], payload: row["payload"],
                costUSD: row["cost_usd"], createdAt: row.storedDate("created_at"))
            if let maxAge, Date().timeIntervalSince(entry.createdAt) > maxAge { return nil }
            return entry
        }
    }

    /// Keeps an entry.
    public func storeResponse(_ response: CachedResponse) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO llm_cache (key, provider, model, payload, cost_usd, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    response.key, response.provider, response.model, response.payload, response.costUSD,
                    StoredDate(response.createdAt),
                ])
        }
    }

    /// What the cache holds.
    public func cacheStatistics() throws -> CacheStatistics {
        try writer.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(payload)), 0) AS bytes, COALESCE(SUM(cost_usd), 0) AS cost,
                    MIN(created_at) AS oldest, MAX(created_at) AS newest FROM llm_cache
                    """)!
            return CacheStatistics(
                entries: row["n"], bytes: row["bytes"], originalCostUSD: row["cost"], oldest: row["oldest"],
                newest: row["newest"])
        }
    }

    /// Deletes entries, all or those older than `olderThan`; returns how many.
    @discardableResult
    public func clearCache(olderThan: Date? = nil) throws -> Int {
        try writer.write { db in
            if let olderThan {
                try db.execute(sql: "DELETE FROM llm_cache WHERE created_at < ?", arguments: [olderThan])
            } else {
                try db.execute(sql: "DELETE FROM llm_cache")
            }
            return db.changesCount
        }
    }
}
