import Foundation
import GRDB
import PromptctlCore

/// A production message as imported (one JSONL line), with its cost already computed.
public struct ProductionMessage: Sendable, Hashable, Codable {
    public var key: String
    public var at: Date
    public var conversationID: String?
    public var userID: String?
    public var promptID: String?
    public var promptVersion: String?
    public var label: String?
    public var language: String?
    public var persona: String?
    public var userMessage: String
    public var response: String
    public var provider: String
    public var model: String
    public var promptTokens: Int
    public var cachedTokens: Int
    public var completionTokens: Int
    public var latencyMs: Double
    public var status: String
    public var guardAction: String?
    public var guardCategories: [String]
    public var costUSD: Double

    /// Creates a message.
    public init(
        key: String, at: Date, conversationID: String?, userID: String?, promptID: String?, promptVersion: String?,
        label: String?, language: String?, persona: String?, userMessage: String, response: String, provider: String,
        model: String, promptTokens: Int, cachedTokens: Int, completionTokens: Int, latencyMs: Double, status: String,
        guardAction: String?, guardCategories: [String], costUSD: Double
    ) {
        self.key = key
        self.at = at
        self.conversationID = conversationID
        self.userID = userID
        self.promptID = promptID
        self.promptVersion = promptVersion
        self.label = label
        self.language = language
        self.persona = persona
        self.userMessage = userMessage
        self.response = response
        self.provider = provider
        self.model = model
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.completionTokens = completionTokens
        self.latencyMs = latencyMs
        self.status = status
        self.guardAction = guardAction
        self.guardCategories = guardCategories
        self.costUSD = costUSD
    }
}

/// One row of a cost report: a time bucket and a group.
public struct CostRow: Sendable, Hashable, Codable {
    public var bucket: String
    public var group: String
    public var messages: Int
    public var errors: Int
    public var promptTokens: Int
    public var cachedTokens: Int
    public var completionTokens: Int
    public var costUSD: Double

    /// Tokens per message.
    public var tokensPerMessage: Double {
        messages == 0 ? 0 : Double(promptTokens + completionTokens) / Double(messages)
    }
    /// Cost per message.
    public var costPerMessage: Double { messages == 0 ? 0 : costUSD / Double(messages) }
}

/// Aggregates of one time window for the alert check.
public struct WindowStats: Sendable, Hashable, Codable {
    public var messages: Int
    public var errors: Int
    public var costUSD: Double
    public var p95LatencyMs: Double?
    /// Cost and messages per `prompt@version · model`, to name what drove a rise.
    public var byGroup: [String: GroupStats]

    public struct GroupStats: Sendable, Hashable, Codable {
        public var messages: Int
        public var costUSD: Double
    }

    public var costPerMessage: Double? { messages == 0 ? nil : costUSD / Double(messages) }
    public var errorRate: Double? { messages == 0 ? nil : Double(errors) / Double(messages) }
}

/// How to group a cost report.
public enum CostGrouping: String, Sendable, CaseIterable, Codable {
    case prompt, model, label, none

    /// Columns grouped on (plain columns: no per-row string building).
    var columns: [String] {
        switch self {
        case .prompt: ["prompt_id", "prompt_version"]
        case .model: ["model"]
        case .label: ["label"]
        case .none: []
        }
    }

    func name(_ row: Row) -> String {
        switch self {
        case .prompt:
            let id: String = row["prompt_id"]
            let version: String = row["prompt_version"]
            return id.isEmpty ? "(none)" : (version.isEmpty ? id : "\(id)@\(version)")
        case .model: return row["model"]
        case .label:
            let label: String = row["label"]
            return label.isEmpty ? "(none)" : label
        case .none: return "all"
        }
    }
}

extension AppDatabase {
    /// Imports messages in one transaction; a message already imported (same key) is skipped.
    /// Returns how many were new.
    @discardableResult
    public func importMessages(_ messages: [ProductionMessage]) throws -> Int {
        try writer.write { db in
            var inserted = 0
            for message in messages {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO production_message (message_key, at, conversation_id, user_id, prompt_id,
                        prompt_version, label, language, persona, user_message, response, model, guard_action,
                        guard_categories, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        message.key, message.at, message.conversationID, message.userID, message.promptID,
                        message.promptVersion, message.label, message.language, message.persona, message.userMessage,
                        message.response, message.model, message.guardAction,
                        message.guardCategories.joined(separator: ","), message.status,
                    ])
                guard db.changesCount == 1 else { continue }
                inserted += 1
                try db.execute(
                    sql: """
                        INSERT INTO llm_call (at, source, provider, model, prompt_id, prompt_version, label, status, error,
                        prompt_tokens, cached_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, attempts, message_id)
                        VALUES (?, 'import', ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, 0, 1, ?)
                        """,
                    arguments: [
                        message.at, message.provider, message.model, message.promptID, message.promptVersion,
                        message.label, message.status, message.promptTokens, message.cachedTokens,
                        message.completionTokens, message.costUSD, message.latencyMs, db.lastInsertedRowID,
                    ])
            }
            return inserted
        }
    }

    /// Messages, tokens and cost per time bucket and group, from every recorded call in [from, to).
    public func costReport(bucket: String, grouping: CostGrouping, from: Date, to: Date) throws -> [CostRow] {
        // The hourly rollup holds "YYYY-MM-DD HH" (UTC); a day is its first ten characters. Windows are whole hours.
        let bucketSQL = bucket == "hour" ? "hour || ':00'" : "substr(hour, 1, 10)"
        let groupColumns = grouping.columns
        let select = ([bucketSQL + " AS bucket"] + groupColumns).joined(separator: ", ")
        let groupBy = (["bucket"] + groupColumns).joined(separator: ", ")
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(select), SUM(messages) AS messages, SUM(errors) AS errors, SUM(prompt_tokens) AS p,
                    SUM(cached_tokens) AS c, SUM(completion_tokens) AS o, SUM(cost_usd) AS cost
                    FROM cost_hourly WHERE hour >= ? AND hour < ? GROUP BY \(groupBy)
                    """,
                arguments: [Self.hourKey(from, roundUp: false), Self.hourKey(to, roundUp: true)]
            ).map { row in
                CostRow(
                    bucket: row["bucket"], group: grouping.name(row), messages: row["messages"], errors: row["errors"],
                    promptTokens: row["p"], cachedTokens: row["c"], completionTokens: row["o"], costUSD: row["cost"])
            }.sorted { ($0.bucket, $0.group) < ($1.bucket, $1.group) }
        }
    }

    /// "YYYY-MM-DD HH" in UTC for a date; rounded up to the next hour for an exclusive end that is not whole.
    static func hourKey(_ date: Date, roundUp: Bool) -> String {
        if date == .distantFuture { return "9999" }
        if date.timeIntervalSince1970 <= 0 { return "0000" }
        var seconds = date.timeIntervalSince1970
        if roundUp { seconds = (seconds / 3600).rounded(.up) * 3600 }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// Aggregates of [from, to) for the alert check.
    public func windowStats(from: Date, to: Date) throws -> WindowStats {
        try writer.read { db in
            var stats = WindowStats(messages: 0, errors: 0, costUSD: 0, p95LatencyMs: nil, byGroup: [:])
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT COALESCE(prompt_id || '@' || prompt_version, prompt_id, '(none)') || ' · ' || model AS grp,
                    COUNT(*) AS n, SUM(status != 'ok') AS errors, SUM(cost_usd) AS cost
                    FROM llm_call WHERE at >= ? AND at < ? GROUP BY grp
                    """, arguments: [from, to])
            {
                let n: Int = row["n"]
                let cost: Double = row["cost"]
                stats.messages += n
                stats.errors += row["errors"] as Int
                stats.costUSD += cost
                stats.byGroup[row["grp"]] = .init(messages: n, costUSD: cost)
            }
            let answered =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM llm_call WHERE at >= ? AND at < ? AND status = 'ok'",
                    arguments: [from, to]) ?? 0
            if answered > 0 {
                stats.p95LatencyMs = try Double.fetchOne(
                    db,
                    sql: """
                        SELECT latency_ms FROM llm_call WHERE at >= ? AND at < ? AND status = 'ok'
                        ORDER BY latency_ms LIMIT 1 OFFSET ?
                        """, arguments: [from, to, Int((Double(answered - 1) * 0.95).rounded(.up))])
            }
            return stats
        }
    }

    /// Counters for the Prometheus exposition, by prompt, version, model and status.
    public func metricRows() throws -> [Row] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT COALESCE(prompt_id, '') AS prompt, COALESCE(prompt_version, '') AS version, model, status,
                    COUNT(*) AS n, SUM(prompt_tokens) AS p, SUM(cached_tokens) AS c, SUM(completion_tokens) AS o,
                    SUM(cost_usd) AS cost, SUM(latency_ms) AS latency,
                    SUM(latency_ms <= 100) AS b100, SUM(latency_ms <= 250) AS b250, SUM(latency_ms <= 500) AS b500,
                    SUM(latency_ms <= 1000) AS b1000, SUM(latency_ms <= 2500) AS b2500, SUM(latency_ms <= 5000) AS b5000,
                    SUM(latency_ms <= 10000) AS b10000, SUM(latency_ms <= 30000) AS b30000
                    FROM llm_call GROUP BY prompt, version, model, status ORDER BY prompt, version, model, status
                    """)
        }
    }

    /// Guard decisions by category and action, from evaluation results and production messages.
    public func guardDecisionCounts() throws -> [(category: String, action: String, count: Int)] {
        try writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT json_extract(f.value, '$.category') AS category, json_extract(f.value, '$.action') AS action,
                    COUNT(*) AS n FROM eval_result, json_each(eval_result.detail, '$.guardDecision.findings') AS f
                    GROUP BY 1, 2
                    """)
            {
                counts["\(row["category"] as String? ?? "?")\u{1F}\(row["action"] as String? ?? "?")", default: 0] +=
                    row["n"] as Int
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT guard_categories, guard_action, COUNT(*) AS n FROM production_message
                    WHERE guard_action IS NOT NULL GROUP BY 1, 2
                    """)
            {
                let categories = (row["guard_categories"] as String? ?? "").split(separator: ",").map(String.init)
                for category in categories.isEmpty ? ["none"] : categories {
                    counts["\(category)\u{1F}\(row["guard_action"] as String)", default: 0] += row["n"] as Int
                }
            }
            return counts.map { key, count in
                let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                return (parts[0], parts[1], count)
            }.sorted { ($0.category, $0.action) < ($1.category, $1.action) }
        }
    }
}
