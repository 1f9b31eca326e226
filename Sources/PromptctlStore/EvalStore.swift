import Foundation
import GRDB
import PromptctlCore

/// Where a run stands.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Items are being evaluated (or the process died without marking it).
    case running
    /// Every item has a result and the summary is stored.
    case finished
    /// Stopped by a signal or a store failure; `eval --resume` continues it.
    case interrupted
}

/// A candidate of a run and the baseline it was compared with, as recorded when the run was created.
public struct RunCandidate: Sendable, Hashable, Codable {
    /// `id@version` of the candidate.
    public var candidate: String
    /// `id@version` of its baseline, if any.
    public var baseline: String?

    /// Creates a pairing record.
    public init(candidate: String, baseline: String?) {
        self.candidate = candidate
        self.baseline = baseline
    }
}

/// A stored evaluation run.
public struct StoredRun: Sendable, Hashable, Codable {
    /// The run id.
    public var id: String
    /// The suite's name.
    public var suite: String
    /// The suite's file.
    public var suiteFile: String
    /// When it started.
    public var startedAt: Date
    /// When it finished, if it did.
    public var finishedAt: Date?
    /// Running, finished or interrupted.
    public var status: RunStatus
    /// The git commit it ran at, when known.
    public var gitRef: String?
    /// The plan as JSON.
    public var plan: Data
    /// The summary as JSON, once finished.
    public var summary: Data?
}

/// The indexed columns of one stored result; `detail` holds the whole result as JSON.
/// One guard finding of a stored result: what the store counts for the metrics, written by the runner as columns so
/// the store never reads the result's JSON.
public struct StoredGuardFinding: Sendable, Hashable, Codable {
    /// The finding's category.
    public var category: String
    /// What the guard decided for it (allow, redact, escalate, block).
    public var action: String

    /// Creates a finding.
    public init(category: String, action: String) {
        self.category = category
        self.action = action
    }
}

public struct StoredResult: Sendable, Hashable, Codable {
    public var runID: String
    public var itemKey: String
    public var side: String
    public var promptID: String
    public var promptVersion: String
    public var language: String
    public var persona: String
    public var provider: String
    public var model: String
    public var caseID: String
    public var repeatIndex: Int
    public var output: String?
    public var error: String?
    public var promptTokens: Int
    public var cachedTokens: Int
    public var completionTokens: Int
    public var costUSD: Double
    public var latencyMs: Double
    public var cacheHit: Bool
    public var guardAction: String?
    public var score: Double?
    public var passed: Bool
    public var needsReview: Bool
    public var detail: Data
    public var createdAt: Date
    /// Her message, as the case gave it (the review sample shows it).
    public var userMessage: String
    /// The guards' categories, sorted and once each.
    public var guardCategories: [String]
    /// Each rubric's score by rubric name (a rubric that could not score is absent).
    public var rubricScores: [String: Double]
    /// Every guard finding's category and action, in the order the guards reported them.
    public var guardFindings: [StoredGuardFinding]

    /// Creates a result row.
    public init(
        runID: String, itemKey: String, side: String, promptID: String, promptVersion: String, language: String,
        persona: String, provider: String, model: String, caseID: String, repeatIndex: Int,
        output: String?, error: String?, promptTokens: Int, cachedTokens: Int, completionTokens: Int, costUSD: Double,
        latencyMs: Double, cacheHit: Bool, guardAction: String?, score: Double?,
        passed: Bool, needsReview: Bool, detail: Data, createdAt: Date, userMessage: String = "",
        guardCategories: [String] = [], rubricScores: [String: Double] = [:], guardFindings: [StoredGuardFinding] = []
    ) {
        self.userMessage = userMessage
        self.guardCategories = guardCategories
        self.rubricScores = rubricScores
        self.guardFindings = guardFindings
        self.runID = runID
        self.itemKey = itemKey
        self.side = side
        self.promptID = promptID
        self.promptVersion = promptVersion
        self.language = language
        self.persona = persona
        self.provider = provider
        self.model = model
        self.caseID = caseID
        self.repeatIndex = repeatIndex
        self.output = output
        self.error = error
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.latencyMs = latencyMs
        self.cacheHit = cacheHit
        self.guardAction = guardAction
        self.score = score
        self.passed = passed
        self.needsReview = needsReview
        self.detail = detail
        self.createdAt = createdAt
    }
}

extension AppDatabase {
    /// Records a new run with its plan and the candidates it evaluates (so `promote` finds it by candidate).
    public func createRun(
        id: String, suite: String, suiteFile: String, plan: Data, gitRef: String?, candidates: [RunCandidate]
    ) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO eval_run (id, suite, suite_file, started_at, status, git_ref, plan)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, suite, suiteFile, StoredDate(Date()), RunStatus.running.rawValue, gitRef, plan])
            for pairing in candidates {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO eval_run_candidate (run_id, candidate, baseline) VALUES (?, ?, ?)",
                    arguments: [id, pairing.candidate, pairing.baseline])
            }
        }
    }

    /// The newest finished run that evaluated `candidate`, with the baseline it was compared with.
    public func latestFinishedRun(candidate: String) throws -> (run: StoredRun, baseline: String?)? {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT eval_run.*, eval_run_candidate.baseline AS candidate_baseline FROM eval_run
                        JOIN eval_run_candidate ON eval_run_candidate.run_id = eval_run.id
                        WHERE eval_run_candidate.candidate = ? AND eval_run.status = ?
                        ORDER BY eval_run.finished_at DESC, eval_run.started_at DESC LIMIT 1
                        """,
                    arguments: [candidate, RunStatus.finished.rawValue])
            else { return nil }
            return (Self.storedRun(row), row["candidate_baseline"])
        }
    }

    /// Stores one result; a second result for the same item is an error (the unique key guards it).
    public func insertResult(_ result: StoredResult) throws { try insertResults([result]) }

    /// Stores results in one transaction (one commit for many results keeps long runs fast).
    public func insertResults(_ results: [StoredResult]) throws {
        guard !results.isEmpty else { return }
        try writer.write { db in
            for result in results { try Self.insert(result, db) }
        }
    }

    static func insert(_ result: StoredResult, _ db: Database) throws {
        do {
            // A cached statement: compiled once per connection, not once per row.
            try db.cachedStatement(
                sql: """
                    INSERT INTO eval_result (run_id, item_key, side, prompt_id, prompt_version, language, persona, provider,
                    model, case_id, repeat_index, output, error, prompt_tokens, cached_tokens, completion_tokens,
                    cost_usd, latency_ms, cache_hit, guard_action, score, passed, needs_review, detail, created_at,
                    user_message, guard_categories)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: StatementArguments(
                    [
                        result.runID, result.itemKey, result.side, result.promptID, result.promptVersion,
                        result.language,
                        result.persona, result.provider, result.model, result.caseID, result.repeatIndex,
                        result.output, result.error, result.promptTokens, result.cachedTokens, result.completionTokens,
                        result.costUSD, result.latencyMs, result.cacheHit, result.guardAction, result.score,
                        result.passed, result.needsReview, result.detail, StoredDate(result.createdAt),
                        result.userMessage,
                        result.guardCategories.joined(separator: ","),
                    ] as [(any DatabaseValueConvertible)?]))
            let id = db.lastInsertedRowID
            for (rubric, score) in result.rubricScores.sorted(by: { $0.key < $1.key }) {
                try db.cachedStatement(
                    sql: "INSERT INTO eval_result_rubric (result_id, rubric, score) VALUES (?, ?, ?)"
                ).execute(arguments: [id, rubric, score])
            }
            for (position, finding) in result.guardFindings.enumerated() {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO eval_result_finding (result_id, position, category, action) VALUES (?, ?, ?, ?)
                        """
                ).execute(arguments: [id, position, finding.category, finding.action])
            }
        }
    }

    /// Keys of the items a run already has results for.
    public func completedItemKeys(runID: String) throws -> Set<String> {
        try writer.read { db in
            Set(try String.fetchAll(db, sql: "SELECT item_key FROM eval_result WHERE run_id = ?", arguments: [runID]))
        }
    }

    /// Every result's JSON detail, in insertion order.
    public func resultDetails(runID: String) throws -> [Data] {
        try writer.read { db in
            try Data.fetchAll(
                db, sql: "SELECT detail FROM eval_result WHERE run_id = ? ORDER BY id", arguments: [runID])
        }
    }

    /// Marks a run finished (or interrupted) with its summary.
    public func finishRun(id: String, status: RunStatus, summary: Data?) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE eval_run SET status = ?, finished_at = ?, summary = ? WHERE id = ?",
                arguments: [status.rawValue, StoredDate(Date()), summary, id])
        }
    }

    /// A run by id, or by unique prefix.
    public func run(id: String) throws -> StoredRun? {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM eval_run WHERE id = ? OR id LIKE ? ORDER BY id = ? DESC, started_at DESC LIMIT 2
                    """,
                arguments: [id, id + "%", id])
            guard rows.count == 1 || rows.first?["id"] == id, let row = rows.first else { return nil }
            return Self.storedRun(row)
        }
    }

    /// Recent runs, newest first.
    public func recentRuns(limit: Int = 50) throws -> [StoredRun] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM eval_run ORDER BY started_at DESC LIMIT ?", arguments: [limit])
                .map(Self.storedRun)
        }
    }

    static func storedRun(_ row: Row) -> StoredRun {
        StoredRun(
            id: row["id"], suite: row["suite"], suiteFile: row["suite_file"], startedAt: row.storedDate("started_at"),
            finishedAt: row.storedDateIfPresent("finished_at"),
            // An unknown status (a newer promptctl wrote it) reads as running: never as a finished, gated run.
            status: RunStatus(rawValue: row["status"]) ?? .running, gitRef: row["git_ref"], plan: row["plan"],
            summary: row["summary"])
    }
}
