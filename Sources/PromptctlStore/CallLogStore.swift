import Foundation
import GRDB
import PromptctlCore

extension AppDatabase: CallLog {
    /// Appends call records in one transaction.
    public func record(_ calls: [CallRecord]) throws {
        try writer.write { db in
            for call in calls {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO llm_call (at, source, run_id, provider, model, prompt_id, prompt_version, label, status,
                        error, prompt_tokens, cached_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, attempts)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(
                    arguments: [
                        call.at, call.source, call.runID, call.provider, call.model, call.promptID, call.promptVersion,
                        call.label, call.status.rawValue, call.error, call.promptTokens, call.cachedTokens,
                        call.completionTokens, call.costUSD, call.latencyMs, call.cacheHit, call.attempts,
                    ])
            }
        }
    }

    /// Every call record, oldest first (for tests and exports).
    public func callRecords(limit: Int = 10_000) throws -> [CallRecord] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM llm_call ORDER BY id LIMIT ?", arguments: [limit]).map { row in
                CallRecord(
                    at: row["at"], source: row["source"], runID: row["run_id"], provider: row["provider"],
                    model: row["model"], promptID: row["prompt_id"], promptVersion: row["prompt_version"],
                    label: row["label"], status: CallStatus(stored: row["status"]), error: row["error"],
                    promptTokens: row["prompt_tokens"],
                    cachedTokens: row["cached_tokens"], completionTokens: row["completion_tokens"],
                    costUSD: row["cost_usd"], latencyMs: row["latency_ms"], cacheHit: row["cache_hit"],
                    attempts: row["attempts"])
            }
        }
    }
}
