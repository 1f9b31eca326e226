import Foundation
import PostgresNIO
import PromptctlCore
import PromptctlStore

extension PostgresStore: EvalResultStreamStore {
    /// Per version of a run: how many cases it has results for, how many passed in every repeat, and the first
    /// `listed` failing case ids (by code point, as SQLite sorts them).
    public func caseTallies(runID: String, listed: Int) throws -> [StoredCaseTally] {
        try session.reading { connection in
            let rows = try PostgresSession.run(
                connection,
                """
                SELECT side, prompt_id, prompt_version, COUNT(*)::bigint AS cases,
                SUM(CASE WHEN ok THEN 1 ELSE 0 END)::bigint AS passed FROM (
                    SELECT side, prompt_id, prompt_version, case_id, bool_and(passed) AS ok FROM eval_result
                    WHERE run_id = $1 GROUP BY side, prompt_id, prompt_version, case_id) AS per_case
                GROUP BY side, prompt_id, prompt_version
                ORDER BY side COLLATE "C", prompt_id COLLATE "C", prompt_version COLLATE "C"
                """, [Bind.text(runID)])
            return try rows.map { row in
                let stored = row.string("side") ?? ""
                guard let side = EvalSide(rawValue: stored) else {
                    throw PromptctlError(
                        .infrastructure, "run \(runID) has a result on an unknown side '\(stored)'",
                        remedy: "the store was written by another program; evaluate the run again")
                }
                let promptID = row.string("prompt_id") ?? ""
                let promptVersion = row.string("prompt_version") ?? ""
                let failing = try PostgresSession.run(
                    connection,
                    """
                    SELECT case_id FROM eval_result WHERE run_id = $1 AND side = $2 AND prompt_id = $3
                    AND prompt_version = $4 GROUP BY case_id HAVING NOT bool_and(passed)
                    ORDER BY case_id COLLATE "C" LIMIT $5
                    """,
                    [
                        Bind.text(runID), Bind.text(side.rawValue), Bind.text(promptID), Bind.text(promptVersion),
                        Bind.int(listed),
                    ]
                ).compactMap { $0.string("case_id") }
                return StoredCaseTally.make(
                    side: side, promptID: promptID, promptVersion: promptVersion, cases: row.int("cases") ?? 0,
                    casesAllPassed: row.int("passed") ?? 0, failingCases: failing)
            }
        }
    }

    /// Cases the baseline passed in every repeat and the candidate failed in at least one, joined by case id.
    public func caseRegressions(
        runID: String, candidate: StoredVersionKey, baseline: StoredVersionKey, listed: Int
    ) throws -> StoredCaseRegressions {
        let join = """
            FROM (SELECT case_id FROM eval_result WHERE run_id = $1 AND side = $2 AND prompt_id = $3
                  AND prompt_version = $4 GROUP BY case_id HAVING NOT bool_and(passed)) AS failing
            JOIN (SELECT case_id FROM eval_result WHERE run_id = $1 AND side = $5 AND prompt_id = $6
                  AND prompt_version = $7 GROUP BY case_id HAVING bool_and(passed)) AS passing
            USING (case_id)
            """
        let binds = [
            Bind.text(runID), Bind.text(candidate.side.rawValue), Bind.text(candidate.promptID),
            Bind.text(candidate.promptVersion), Bind.text(baseline.side.rawValue), Bind.text(baseline.promptID),
            Bind.text(baseline.promptVersion),
        ]
        return try session.reading { connection in
            let count =
                try PostgresSession.run(connection, "SELECT COUNT(*)::bigint AS n " + join, binds).first?.int("n")
                ?? 0
            let ids = try PostgresSession.run(
                connection, "SELECT case_id " + join + " ORDER BY case_id COLLATE \"C\" LIMIT $8",
                binds + [Bind.int(listed)]
            ).compactMap { $0.string("case_id") }
            return StoredCaseRegressions.make(count: count, caseIDs: ids)
        }
    }

    /// Hands every result's JSON detail of a run to `body`, in insertion order, a page at a time (keyed by id, so
    /// the run is never in memory and a page costs the same at the end of the run as at its start).
    public func forEachResultDetail(runID: String, _ body: (Data) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let rows = try session.query(
                "SELECT id, detail FROM eval_result WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT 500",
                [Bind.text(runID), Bind.int64(after)])
            for row in rows { try body(row.data("detail") ?? Data()) }
            guard rows.count == 500, let last = rows.last?[data: "id"].int64 else { return }
            after = last
        }
    }

    /// The JSON details of some items of a run, by item key (missing keys are absent).
    public func resultDetails(runID: String, itemKeys: [String]) throws -> [String: Data] {
        guard !itemKeys.isEmpty else { return [:] }
        var details: [String: Data] = [:]
        for row in try session.query(
            "SELECT item_key, detail FROM eval_result WHERE run_id = $1 AND item_key = ANY($2)",
            [Bind.text(runID), PostgresData(array: itemKeys.map { PostgresData(string: $0) }, elementType: .text)])
        {
            if let key = row.string("item_key"), let detail = row.data("detail") { details[key] = detail }
        }
        return details
    }

    /// How many results a run has.
    public func resultCount(runID: String) throws -> Int {
        try session.query("SELECT COUNT(*)::bigint AS n FROM eval_result WHERE run_id = $1", [Bind.text(runID)])
            .first?.int("n") ?? 0
    }

    /// Stores results imported from shard bundles in one transaction; a result for an item the run already has
    /// rolls everything back and is a usage error naming the run.
    public func importResults(_ results: [StoredResult]) throws {
        guard !results.isEmpty else { return }
        try session.transaction { connection in
            for result in results {
                guard try !Self.insert(result, connection, skippingConflict: true) else { continue }
                throw PromptctlError(
                    .usage, "a result is in two shard bundles (run \(results[0].runID))",
                    remedy: "give each shard's bundle once; two bundles must not hold the same case")
            }
        }
    }

    /// Deletes a run and its results in one transaction.
    public func deleteRun(id: String) throws {
        try session.transaction { connection in
            try PostgresSession.run(connection, "DELETE FROM eval_result WHERE run_id = $1", [Bind.text(id)])
            try PostgresSession.run(connection, "DELETE FROM eval_run_candidate WHERE run_id = $1", [Bind.text(id)])
            try PostgresSession.run(connection, "DELETE FROM eval_run WHERE id = $1", [Bind.text(id)])
        }
    }
}

extension PostgresStore: StoreWriteHealth {
    /// Whether waiting and trying again cures an error: a serialization failure or deadlock, or a server that is
    /// unreachable, shutting down or restarting (a run's writer waits for it to come back).
    public func isTransient(_ error: any Error) -> Bool {
        if let error = error as? PromptctlError { return PostgresSession.isUnavailable(error) }
        return PostgresSession.isTransient(error)
    }

    /// Nothing to do: the server manages its own write-ahead log.
    public func checkpoint() throws {}
}
