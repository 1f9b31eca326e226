import Foundation
import PostgresNIO
import PromptctlCore
import PromptctlStore

/// The store on a PostgreSQL server: the same protocols, records and semantics as `AppDatabase` on SQLite, so a
/// team's CI runners, review form and gateway replicas share one database.
public final class PostgresStore: Sendable {
    let session: PostgresSession

    /// The server and database, without the password.
    public var displayLocation: String { session.location.displayLocation }

    /// Connects and checks the schema: a database without it, or from a newer promptctl, is an error (exit 3)
    /// naming the remedy. `migrate: true` applies the missing migrations first (`promptctl store migrate`).
    public init(location: PostgresLocation, migrate: Bool = false) throws {
        session = try PostgresSession(location: location)
        if migrate { _ = try PostgresMigrations.migrate(session) }
        try PostgresMigrations.check(session)
    }

    /// Applies the missing migrations; returns the names applied now (empty when the schema was current).
    public static func migrate(_ location: PostgresLocation) throws -> [String] {
        let session = try PostgresSession(location: location)
        defer { session.close() }
        return try PostgresMigrations.migrate(session)
    }

    /// Closes the pooled connections.
    public func close() { session.close() }
}

extension PostgresStore: SchemaVersionedStore {
    /// The applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] { try PostgresMigrations.applied(session) ?? [] }
}

extension PostgresStore: EvalRunStore {
    /// Records a new run with its plan and the candidates it evaluates.
    public func createRun(
        id: String, suite: String, suiteFile: String, plan: Data, gitRef: String?, candidates: [RunCandidate]
    ) throws {
        try session.transaction { connection in
            try PostgresSession.run(
                connection,
                """
                INSERT INTO eval_run (id, suite, suite_file, started_at, status, git_ref, plan)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """,
                [
                    Bind.text(id), Bind.text(suite), Bind.text(suiteFile), Bind.date(Date()),
                    Bind.text(RunStatus.running.rawValue), Bind.text(gitRef), Bind.bytes(plan),
                ])
            for pairing in candidates {
                try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO eval_run_candidate (run_id, candidate, baseline) VALUES ($1, $2, $3)
                    ON CONFLICT DO NOTHING
                    """, [Bind.text(id), Bind.text(pairing.candidate), Bind.text(pairing.baseline)])
            }
        }
    }

    /// The newest finished run that evaluated `candidate`, with the baseline it was compared with.
    public func latestFinishedRun(candidate: String) throws -> (run: StoredRun, baseline: String?)? {
        guard
            let row = try session.query(
                """
                SELECT eval_run.*, eval_run_candidate.baseline AS candidate_baseline FROM eval_run
                JOIN eval_run_candidate ON eval_run_candidate.run_id = eval_run.id
                WHERE eval_run_candidate.candidate = $1 AND eval_run.status = $2
                ORDER BY eval_run.finished_at DESC NULLS LAST, eval_run.started_at DESC LIMIT 1
                """, [Bind.text(candidate), Bind.text(RunStatus.finished.rawValue)]
            ).first
        else { return nil }
        return (Self.storedRun(row), row.string("candidate_baseline"))
    }

    /// Stores results in one transaction; a second result for the same (run, item) is an error.
    public func insertResults(_ results: [StoredResult]) throws {
        guard !results.isEmpty else { return }
        try session.transaction { connection in
            for result in results { _ = try Self.insert(result, connection, skippingConflict: false) }
        }
    }

    /// Inserts one result with its rubric scores and guard findings in one statement (one round trip); with
    /// `skippingConflict`, a result the run already has inserts nothing and returns false.
    static func insert(_ result: StoredResult, _ connection: PostgresConnection, skippingConflict: Bool) throws -> Bool
    {
        let rubrics = result.rubricScores.sorted { $0.key < $1.key }
        let sql = """
            WITH r AS (INSERT INTO eval_result (run_id, item_key, side, prompt_id, prompt_version, language, persona,
              provider, model, case_id, repeat_index, output, error, prompt_tokens, cached_tokens, completion_tokens,
              cost_usd, latency_ms, cache_hit, guard_action, score, passed, needs_review, detail, created_at,
              user_message, guard_categories) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
              $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)
              \(skippingConflict ? "ON CONFLICT (run_id, item_key) DO NOTHING" : "") RETURNING id),
            s AS (INSERT INTO eval_result_rubric (result_id, rubric, score)
              SELECT r.id, x.rubric, x.score FROM r, unnest($28::text[], $29::float8[]) AS x(rubric, score)),
            f AS (INSERT INTO eval_result_finding (result_id, position, category, action)
              SELECT r.id, x.position - 1, x.category, x.action
              FROM r, unnest($30::text[], $31::text[]) WITH ORDINALITY AS x(category, action, position))
            SELECT id FROM r
            """
        let binds: [PostgresData] = [
            Bind.text(result.runID), Bind.text(result.itemKey), Bind.text(result.side),
            Bind.text(result.promptID), Bind.text(result.promptVersion), Bind.text(result.language),
            Bind.text(result.persona), Bind.text(result.provider), Bind.text(result.model),
            Bind.text(result.caseID), Bind.int(result.repeatIndex), Bind.text(result.output),
            Bind.text(result.error), Bind.int(result.promptTokens), Bind.int(result.cachedTokens),
            Bind.int(result.completionTokens), Bind.double(result.costUSD), Bind.double(result.latencyMs),
            Bind.bool(result.cacheHit), Bind.text(result.guardAction), Bind.double(result.score),
            Bind.bool(result.passed), Bind.bool(result.needsReview), Bind.bytes(result.detail),
            Bind.date(result.createdAt), Bind.text(result.userMessage),
            Bind.text(result.guardCategories.joined(separator: ",")),
            PostgresData(array: rubrics.map { PostgresData(string: $0.key) }, elementType: .text),
            PostgresData(array: rubrics.map { PostgresData(double: $0.value) }, elementType: .float8),
            PostgresData(array: result.guardFindings.map { PostgresData(string: $0.category) }, elementType: .text),
            PostgresData(array: result.guardFindings.map { PostgresData(string: $0.action) }, elementType: .text),
        ]
        return !(try PostgresSession.run(connection, sql, binds)).isEmpty
    }

    /// Keys of the items a run already has results for.
    public func completedItemKeys(runID: String) throws -> Set<String> {
        Set(
            try session.query("SELECT item_key FROM eval_result WHERE run_id = $1", [Bind.text(runID)]).compactMap {
                $0.string("item_key")
            })
    }

    /// Every result's JSON detail, in insertion order.
    public func resultDetails(runID: String) throws -> [Data] {
        try session.query("SELECT detail FROM eval_result WHERE run_id = $1 ORDER BY id", [Bind.text(runID)])
            .compactMap { $0.data("detail") }
    }

    /// Marks a run finished (or interrupted) with its summary.
    public func finishRun(id: String, status: RunStatus, summary: Data?) throws {
        try session.query(
            "UPDATE eval_run SET status = $1, finished_at = $2, summary = $3 WHERE id = $4",
            [Bind.text(status.rawValue), Bind.date(Date()), Bind.bytes(summary), Bind.text(id)])
    }

    /// A run by id, or by unique prefix.
    public func run(id: String) throws -> StoredRun? {
        let rows = try session.query(
            "SELECT * FROM eval_run WHERE id = $1 OR id LIKE $2 ORDER BY started_at DESC LIMIT 2",
            [Bind.text(id), Bind.text(Self.likePrefix(id))])
        guard rows.count == 1 || rows.first?.string("id") == id, let row = rows.first else { return nil }
        return Self.storedRun(row)
    }

    /// Recent runs, newest first.
    public func recentRuns(limit: Int) throws -> [StoredRun] {
        try session.query("SELECT * FROM eval_run ORDER BY started_at DESC LIMIT $1", [Bind.int(limit)])
            .map(Self.storedRun)
    }

    /// A LIKE pattern matching text that starts with `prefix` (its wildcards escaped).
    static func likePrefix(_ prefix: String) -> String {
        prefix.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_") + "%"
    }

    static func storedRun(_ row: PostgresRandomAccessRow) -> StoredRun {
        StoredRun.make(
            id: row.string("id") ?? "", suite: row.string("suite") ?? "", suiteFile: row.string("suite_file") ?? "",
            startedAt: row.date("started_at") ?? Date(timeIntervalSince1970: 0), finishedAt: row.date("finished_at"),
            // An unknown status (a newer promptctl wrote it) reads as running: never as a finished, gated run.
            status: RunStatus(rawValue: row.string("status") ?? "") ?? .running, gitRef: row.string("git_ref"),
            plan: row.data("plan") ?? Data(), summary: row.data("summary"))
    }
}

extension PostgresStore: CallAndCacheStore {
    /// The entry for a key, if present and younger than `maxAge`.
    public func cachedResponse(forKey key: String, maxAge: TimeInterval?) throws -> CachedResponse? {
        guard let row = try session.query("SELECT * FROM llm_cache WHERE key = $1", [Bind.text(key)]).first else {
            return nil
        }
        let entry = CachedResponse(
            key: key, provider: row.string("provider") ?? "", model: row.string("model") ?? "",
            payload: row.data("payload") ?? Data(), costUSD: row.double("cost_usd") ?? 0,
            createdAt: row.date("created_at") ?? Date(timeIntervalSince1970: 0))
        if let maxAge, Date().timeIntervalSince(entry.createdAt) > maxAge { return nil }
        return entry
    }

    /// Keeps an entry (replacing one with the same key).
    public func storeResponse(_ response: CachedResponse) throws {
        try session.query(
            """
            INSERT INTO llm_cache (key, provider, model, payload, cost_usd, created_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (key) DO UPDATE SET provider = excluded.provider, model = excluded.model,
            payload = excluded.payload, cost_usd = excluded.cost_usd, created_at = excluded.created_at
            """,
            [
                Bind.text(response.key), Bind.text(response.provider), Bind.text(response.model),
                Bind.bytes(response.payload), Bind.double(response.costUSD), Bind.date(response.createdAt),
            ])
    }

    /// What the cache holds.
    public func cacheStatistics() throws -> CacheStatistics {
        let row = try session.query(
            """
            SELECT COUNT(*)::bigint AS n, COALESCE(SUM(LENGTH(payload)), 0)::bigint AS bytes,
            COALESCE(SUM(cost_usd), 0)::float8 AS cost, MIN(created_at) AS oldest, MAX(created_at) AS newest
            FROM llm_cache
            """)[0]
        return CacheStatistics(
            entries: row.int("n") ?? 0, bytes: row.int("bytes") ?? 0, originalCostUSD: row.double("cost") ?? 0,
            oldest: row.date("oldest"), newest: row.date("newest"))
    }

    /// Deletes entries, all or those older than `olderThan`; returns how many.
    @discardableResult
    public func clearCache(olderThan: Date?) throws -> Int {
        try session.reading { connection in
            if let olderThan {
                return try PostgresSession.changes(
                    connection, "DELETE FROM llm_cache WHERE created_at < $1", [Bind.date(olderThan)])
            }
            return try PostgresSession.changes(connection, "DELETE FROM llm_cache")
        }
    }

    /// Appends call records in one transaction.
    public func record(_ calls: [CallRecord]) throws {
        guard !calls.isEmpty else { return }
        try session.transaction { connection in
            for call in calls {
                try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO llm_call (at, source, run_id, provider, model, prompt_id, prompt_version, label, status,
                    error, prompt_tokens, cached_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, attempts)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
                    """,
                    [
                        Bind.date(call.at), Bind.text(call.source), Bind.text(call.runID), Bind.text(call.provider),
                        Bind.text(call.model), Bind.text(call.promptID), Bind.text(call.promptVersion),
                        Bind.text(call.label), Bind.text(call.status.rawValue), Bind.text(call.error),
                        Bind.int(call.promptTokens), Bind.int(call.cachedTokens), Bind.int(call.completionTokens),
                        Bind.double(call.costUSD), Bind.double(call.latencyMs), Bind.bool(call.cacheHit),
                        Bind.int(call.attempts),
                    ])
            }
        }
    }

    /// Call records, oldest first.
    public func callRecords(limit: Int) throws -> [CallRecord] {
        try session.query("SELECT * FROM llm_call ORDER BY id LIMIT $1", [Bind.int(limit)]).map { row in
            CallRecord(
                at: row.date("at") ?? Date(timeIntervalSince1970: 0), source: row.string("source") ?? "",
                runID: row.string("run_id"), provider: row.string("provider") ?? "", model: row.string("model") ?? "",
                promptID: row.string("prompt_id"), promptVersion: row.string("prompt_version"),
                label: row.string("label"), status: CallStatus(stored: row.string("status") ?? ""),
                error: row.string("error"), promptTokens: row.int("prompt_tokens") ?? 0,
                cachedTokens: row.int("cached_tokens") ?? 0, completionTokens: row.int("completion_tokens") ?? 0,
                costUSD: row.double("cost_usd") ?? 0, latencyMs: row.double("latency_ms") ?? 0,
                cacheHit: row.bool("cache_hit") ?? false, attempts: row.int("attempts") ?? 0)
        }
    }
}
