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
    public var status: CallStatus
    public var guardAction: String?
    public var guardCategories: [String]
    public var costUSD: Double

    /// Creates a message.
    public init(
        key: String, at: Date, conversationID: String?, userID: String?, promptID: String?, promptVersion: String?,
        label: String?, language: String?, persona: String?, userMessage: String, response: String, provider: String,
        model: String, promptTokens: Int, cachedTokens: Int, completionTokens: Int, latencyMs: Double,
        status: CallStatus,
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

    /// Creates a row.
    public init(
        bucket: String, group: String, messages: Int, errors: Int, promptTokens: Int, cachedTokens: Int,
        completionTokens: Int, costUSD: Double
    ) {
        self.bucket = bucket
        self.group = group
        self.messages = messages
        self.errors = errors
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
    }

    /// Tokens per message (in floating point: a sum of stored counts must never trap).
    public var tokensPerMessage: Double {
        messages == 0 ? 0 : (Double(promptTokens) + Double(completionTokens)) / Double(messages)
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

/// The time bucket of a cost report.
public enum CostBucket: String, Sendable, CaseIterable, Codable {
    case day, hour
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

extension ProductionMessage {
    /// Whether two messages say the same thing (the cost aside, which follows the price table of the day).
    public func sameContent(as other: ProductionMessage) -> Bool {
        var mine = self
        var theirs = other
        mine.costUSD = 0
        theirs.costUSD = 0
        return mine == theirs
    }
}

extension AppDatabase {
    /// Keys of `messages` already stored with other content; an import must not keep either silently.
    public func conflictingMessageKeys(_ messages: [ProductionMessage]) throws -> [String] {
        try writer.read { db in
            var conflicts: [String] = []
            for message in messages {
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT m.at, m.conversation_id, m.user_id, m.prompt_id, m.prompt_version, m.label, m.language,
                            m.persona, m.user_message, m.response, m.model, m.guard_action, m.guard_categories, m.status,
                            c.provider, c.prompt_tokens, c.cached_tokens, c.completion_tokens, c.latency_ms
                            FROM production_message m LEFT JOIN llm_call c ON c.message_id = m.id
                            WHERE m.message_key = ?
                            """, arguments: [message.key])
                else { continue }
                let storedAt: Date = row["at"]
                let stored = ProductionMessage(
                    key: message.key,
                    // Dates are stored to the millisecond.
                    at: abs(storedAt.timeIntervalSince(message.at)) < 0.002 ? message.at : storedAt,
                    conversationID: row["conversation_id"], userID: row["user_id"], promptID: row["prompt_id"],
                    promptVersion: row["prompt_version"], label: row["label"], language: row["language"],
                    persona: row["persona"], userMessage: row["user_message"], response: row["response"],
                    provider: row["provider"] ?? message.provider, model: row["model"],
                    promptTokens: row["prompt_tokens"] ?? message.promptTokens,
                    cachedTokens: row["cached_tokens"] ?? message.cachedTokens,
                    completionTokens: row["completion_tokens"] ?? message.completionTokens,
                    latencyMs: row["latency_ms"] ?? message.latencyMs, status: CallStatus(stored: row["status"]),
                    guardAction: row["guard_action"],
                    guardCategories: (row["guard_categories"] as String? ?? "").split(separator: ",").map(String.init),
                    costUSD: message.costUSD)
                let same = stored.sameContent(as: message)
                if !same { conflicts.append(message.key) }
            }
            return conflicts
        }
    }

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
                        message.guardCategories.joined(separator: ","), message.status.rawValue,
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
                        message.label, message.status.rawValue, message.promptTokens, message.cachedTokens,
                        message.completionTokens, message.costUSD, message.latencyMs, db.lastInsertedRowID,
                    ])
            }
            return inserted
        }
    }

    /// Messages, tokens and cost per time bucket and group, from every recorded call in [from, to).
    public func costReport(bucket: CostBucket, grouping: CostGrouping, from: Date, to: Date) throws -> [CostRow] {
        // The hourly rollup holds "YYYY-MM-DD HH" (UTC); a day is its first ten characters. Windows are whole hours.
        let bucketSQL = bucket == .hour ? "hour || ':00'" : "substr(hour, 1, 10)"
        let groupColumns = grouping.columns
        let select = ([bucketSQL + " AS bucket"] + groupColumns).joined(separator: ", ")
        let groupBy = (["bucket"] + groupColumns).joined(separator: ", ")
        // TOTAL, unlike SUM, never fails on overflow; each total is then checked, so a stored value out of range is
        // an error naming its report row and calls rather than a crash or a wrong figure.
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(select), TOTAL(messages) AS messages, TOTAL(errors) AS errors, TOTAL(prompt_tokens) AS p,
                    TOTAL(cached_tokens) AS c, TOTAL(completion_tokens) AS o, TOTAL(cost_usd) AS cost
                    FROM cost_hourly WHERE hour >= ? AND hour < ? GROUP BY \(groupBy)
                    """,
                arguments: [Timestamp.hourKey(from, roundUp: false), Timestamp.hourKey(to, roundUp: true)]
            ).map { row in
                let bucket: String = row["bucket"]
                let group = grouping.name(row)
                func count(_ column: String, _ name: String) throws -> Int {
                    let total: Double = row[column]
                    // Every count is whole and below 2^53, where a Double is exact; anything else came from a
                    // stored value no import accepts today.
                    guard total >= 0, total < 9_007_199_254_740_992, let value = Int(exactly: total) else {
                        throw Self.outOfRange(db, bucket: bucket, group: group, what: name, total: total)
                    }
                    return value
                }
                let cost: Double = row["cost"]
                guard cost.isFinite, cost >= 0 else {
                    throw Self.outOfRange(db, bucket: bucket, group: group, what: "cost", total: cost)
                }
                return CostRow(
                    bucket: bucket, group: group, messages: try count("messages", "message count"),
                    errors: try count("errors", "error count"), promptTokens: try count("p", "prompt tokens"),
                    cachedTokens: try count("c", "cached tokens"),
                    completionTokens: try count("o", "completion tokens"),
                    costUSD: cost)
            }.sorted { ($0.bucket, $0.group) < ($1.bucket, $1.group) }
        }
    }

    /// The error for a report row whose total is out of range, with the stored calls that put it there.
    static func outOfRange(_ db: Database, bucket: String, group: String, what: String, total: Double) -> PromptctlError
    {
        let prefix = String(bucket.prefix(bucket.count > 10 ? 13 : 10))
        let ids =
            (try? Int64.fetchAll(
                db,
                sql: """
                    SELECT id FROM llm_call WHERE substr(at, 1, ?) = ? AND (prompt_tokens NOT BETWEEN 0 AND 1000000000
                    OR cached_tokens NOT BETWEEN 0 AND 1000000000 OR completion_tokens NOT BETWEEN 0 AND 1000000000
                    OR NOT cost_usd >= 0 OR cost_usd > 1e9) ORDER BY id LIMIT 10
                    """, arguments: [prefix.count, prefix])) ?? []
        return PromptctlError(
            .infrastructure,
            "cost report row \(bucket) · \(group): the \(what) total (\(total)) is out of range"
                + (ids.isEmpty
                    ? "" : "; llm_call row(s) \(ids.map(String.init).joined(separator: ", ")) hold impossible values"),
            remedy:
                "those rows were stored by an import that did not check its values; delete them from llm_call "
                + "(and their production_message) and import the corrected lines again")
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
                    FROM llm_call WHERE at >= ? AND at < ? AND status != 'interrupted' GROUP BY grp
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

    /// Calls grouped by prompt, version, model and status, with latency bucket counts, for the metrics exposition.
    public func callMetricGroups() throws -> [CallMetricGroup] {
        let bounds = CallMetricGroup.latencyBucketBoundsMs
        let bucketColumns = bounds.map { "SUM(latency_ms <= \($0)) AS b\($0)" }.joined(separator: ", ")
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT COALESCE(prompt_id, '') AS prompt, COALESCE(prompt_version, '') AS version, model, status,
                    COUNT(*) AS n, TOTAL(prompt_tokens) AS p, TOTAL(cached_tokens) AS c, TOTAL(completion_tokens) AS o,
                    TOTAL(cost_usd) AS cost, TOTAL(latency_ms) AS latency, \(bucketColumns)
                    FROM llm_call GROUP BY prompt, version, model, status ORDER BY prompt, version, model, status
                    """
            ).map { row in
                CallMetricGroup(
                    prompt: row["prompt"], version: row["version"], model: row["model"],
                    status: CallStatus(stored: row["status"]), calls: row["n"], promptTokens: row["p"],
                    cachedTokens: row["c"], completionTokens: row["o"], costUSD: row["cost"],
                    latencyMsSum: row["latency"], latencyBucketCounts: bounds.map { row["b\($0)"] })
            }
        }
    }

    /// Guard decisions by category and action, from evaluation results and production messages.
    public func guardDecisionCounts() throws -> [(category: String, action: String, count: Int)] {
        try writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT category, action, COUNT(*) AS n FROM eval_result_finding GROUP BY 1, 2")
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

/// Calls of one prompt version, model and status, with latency bucket counts: what the metrics expose.
public struct CallMetricGroup: Sendable, Hashable, Codable {
    /// Upper bounds of the latency buckets, in milliseconds (the store counts calls at or under each).
    public static let latencyBucketBoundsMs = [100, 250, 500, 1000, 2500, 5000, 10000, 30000]

    /// The prompt id ("" when unknown).
    public var prompt: String
    /// The prompt version ("" when unknown).
    public var version: String
    /// The model.
    public var model: String
    /// How the calls ended.
    public var status: CallStatus
    /// Number of calls.
    public var calls: Int
    /// Input tokens.
    public var promptTokens: Double
    /// Cached input tokens.
    public var cachedTokens: Double
    /// Output tokens.
    public var completionTokens: Double
    /// Dollars charged.
    public var costUSD: Double
    /// Sum of latencies, ms.
    public var latencyMsSum: Double
    /// Calls at or under each of `latencyBucketBoundsMs`.
    public var latencyBucketCounts: [Int]
}
