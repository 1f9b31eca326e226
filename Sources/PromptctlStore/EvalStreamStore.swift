import Foundation
import GRDB
import PromptctlCore

/// Per-case outcome of one version of a run, grouped in the store (pass^k needs every repeat of a case).
public struct StoredCaseTally: Sendable, Hashable {
    /// The side of the comparison.
    public var side: EvalSide
    /// The prompt id.
    public var promptID: String
    /// Its version.
    public var promptVersion: String
    /// Cases with at least one result.
    public var cases: Int
    /// Cases whose every result passed.
    public var casesAllPassed: Int
    /// The first failing case ids, sorted.
    public var failingCases: [String]
}

/// Cases that always passed on a baseline and fail on a candidate.
public struct StoredCaseRegressions: Sendable, Hashable {
    /// How many.
    public var count: Int
    /// The first of them, sorted.
    public var caseIDs: [String]
}

/// A version of a prompt on one side of a run.
public struct StoredVersionKey: Sendable, Hashable {
    /// The side of the comparison.
    public var side: EvalSide
    /// The prompt id.
    public var promptID: String
    /// Its version.
    public var promptVersion: String

    /// Creates a key.
    public init(side: EvalSide, promptID: String, promptVersion: String) {
        self.side = side
        self.promptID = promptID
        self.promptVersion = promptVersion
    }
}

extension AppDatabase {
    /// Per version of a run: how many cases it has results for, how many passed in every repeat, and the first
    /// `listed` failing case ids.
    public func caseTallies(runID: String, listed: Int) throws -> [StoredCaseTally] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT side, prompt_id, prompt_version, COUNT(*) AS cases, SUM(ok) AS passed FROM (
                        SELECT side, prompt_id, prompt_version, case_id, MIN(passed) AS ok FROM eval_result
                        WHERE run_id = ? GROUP BY side, prompt_id, prompt_version, case_id)
                    GROUP BY side, prompt_id, prompt_version
                    """, arguments: [runID])
            return try rows.map { row in
                let stored: String = row["side"]
                guard let side = EvalSide(rawValue: stored) else {
                    throw PromptctlError(
                        .infrastructure, "run \(runID) has a result on an unknown side '\(stored)'",
                        remedy: "the store was written by another program; evaluate the run again")
                }
                let promptID: String = row["prompt_id"]
                let promptVersion: String = row["prompt_version"]
                let failing = try String.fetchAll(
                    db,
                    sql: """
                        SELECT case_id FROM eval_result WHERE run_id = ? AND side = ? AND prompt_id = ?
                        AND prompt_version = ? GROUP BY case_id HAVING MIN(passed) = 0 ORDER BY case_id LIMIT ?
                        """, arguments: [runID, side.rawValue, promptID, promptVersion, listed])
                return StoredCaseTally(
                    side: side, promptID: promptID, promptVersion: promptVersion, cases: row["cases"],
                    casesAllPassed: row["passed"] ?? 0, failingCases: failing)
            }
        }
    }

    /// Cases the baseline passed in every repeat and the candidate failed in at least one, joined by case id.
    public func caseRegressions(
        runID: String, candidate: StoredVersionKey, baseline: StoredVersionKey, listed: Int
    ) throws -> StoredCaseRegressions {
        try writer.read { db in
            let join = """
                FROM (SELECT case_id FROM eval_result WHERE run_id = ? AND side = ? AND prompt_id = ?
                      AND prompt_version = ? GROUP BY case_id HAVING MIN(passed) = 0) AS failing
                JOIN (SELECT case_id FROM eval_result WHERE run_id = ? AND side = ? AND prompt_id = ?
                      AND prompt_version = ? GROUP BY case_id HAVING MIN(passed) = 1) AS passing
                USING (case_id)
                """
            let arguments: StatementArguments = [
                runID, candidate.side.rawValue, candidate.promptID, candidate.promptVersion,
                runID, baseline.side.rawValue, baseline.promptID, baseline.promptVersion,
            ]
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) " + join, arguments: arguments) ?? 0
            let ids = try String.fetchAll(
                db, sql: "SELECT case_id " + join + " ORDER BY case_id LIMIT ?", arguments: arguments + [listed])
            return StoredCaseRegressions(count: count, caseIDs: ids)
        }
    }

    /// Hands every result's JSON detail of a run to `body`, in insertion order, one at a time (a cursor: the run
    /// is never in memory).
    public func forEachResultDetail(runID: String, _ body: (Data) throws -> Void) throws {
        try writer.read { db in
            let cursor = try Data.fetchCursor(
                db, sql: "SELECT detail FROM eval_result WHERE run_id = ? ORDER BY id", arguments: [runID])
            while let detail = try cursor.next() { try body(detail) }
        }
    }

    /// The JSON details of some items of a run, by item key (missing keys are absent).
    public func resultDetails(runID: String, itemKeys: [String]) throws -> [String: Data] {
        guard !itemKeys.isEmpty else { return [:] }
        return try writer.read { db in
            var details: [String: Data] = [:]
            for key in itemKeys {
                if let detail = try Data.fetchOne(
                    db, sql: "SELECT detail FROM eval_result WHERE run_id = ? AND item_key = ?",
                    arguments: [runID, key])
                {
                    details[key] = detail
                }
            }
            return details
        }
    }

    /// How many results a run has.
    public func resultCount(runID: String) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM eval_result WHERE run_id = ?", arguments: [runID]) ?? 0
        }
    }

    /// Stores results imported from shard bundles; a result for an item the run already has is a usage error
    /// naming the item (a shard given twice, or two shards overlapping), never silently kept or dropped.
    public func importResults(_ results: [StoredResult]) throws {
        guard !results.isEmpty else { return }
        do {
            try writer.write { db in
                for result in results { try Self.insert(result, db) }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw PromptctlError(
                .usage, "a result is in two shard bundles (run \(results[0].runID))",
                remedy: "give each shard's bundle once; two bundles must not hold the same case")
        }
    }

    /// Deletes a run and its results (a merge that failed half way leaves nothing behind).
    public func deleteRun(id: String) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM eval_result WHERE run_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM eval_run_candidate WHERE run_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM eval_run WHERE id = ?", arguments: [id])
        }
    }
}
