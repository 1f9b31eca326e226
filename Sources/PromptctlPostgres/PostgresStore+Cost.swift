import Foundation
import PostgresNIO
import PromptctlCore
import PromptctlStore

extension PostgresStore: ProductionCostStore {
    /// Keys of `messages` already stored with other content.
    public func conflictingMessageKeys(_ messages: [ProductionMessage]) throws -> [String] {
        guard !messages.isEmpty else { return [] }
        var stored: [String: PostgresRandomAccessRow] = [:]
        // One query for the whole batch rather than one per message.
        for row in try session.query(
            """
            SELECT m.message_key, m.at, m.conversation_id, m.user_id, m.prompt_id, m.prompt_version, m.label,
            m.language, m.persona, m.user_message, m.response, m.model, m.guard_action, m.guard_categories, m.status,
            c.provider, c.prompt_tokens, c.cached_tokens, c.completion_tokens, c.latency_ms
            FROM production_message m LEFT JOIN llm_call c ON c.message_id = m.id
            WHERE m.message_key = ANY($1)
            """, [PostgresData(array: messages.map { PostgresData(string: $0.key) }, elementType: .text)])
        {
            if let key = row.string("message_key") { stored[key] = row }
        }
        return messages.compactMap { message in
            guard let row = stored[message.key] else { return nil }
            let storedAt = row.date("at") ?? Date(timeIntervalSince1970: 0)
            let other = ProductionMessage(
                key: message.key,
                // Dates are stored to the millisecond.
                at: abs(storedAt.timeIntervalSince(message.at)) < 0.002 ? message.at : storedAt,
                conversationID: row.string("conversation_id"), userID: row.string("user_id"),
                promptID: row.string("prompt_id"), promptVersion: row.string("prompt_version"),
                label: row.string("label"), language: row.string("language"), persona: row.string("persona"),
                userMessage: row.string("user_message") ?? "", response: row.string("response") ?? "",
                provider: row.string("provider") ?? message.provider, model: row.string("model") ?? "",
                promptTokens: row.int("prompt_tokens") ?? message.promptTokens,
                cachedTokens: row.int("cached_tokens") ?? message.cachedTokens,
                completionTokens: row.int("completion_tokens") ?? message.completionTokens,
                latencyMs: row.double("latency_ms") ?? message.latencyMs,
                status: CallStatus(stored: row.string("status") ?? ""), guardAction: row.string("guard_action"),
                guardCategories: (row.string("guard_categories") ?? "").split(separator: ",").map(String.init),
                costUSD: message.costUSD)
            return other.sameContent(as: message) ? nil : message.key
        }
    }

    /// Imports messages in one transaction; a message already imported (same key) is skipped, so an import run
    /// twice, or by two processes at once, stores each message once. Returns how many were new.
    @discardableResult
    public func importMessages(_ messages: [ProductionMessage]) throws -> Int {
        guard !messages.isEmpty else { return 0 }
        return try session.transaction { connection in
            var inserted = 0
            for message in messages {
                let rows = try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO production_message (message_key, at, conversation_id, user_id, prompt_id,
                    prompt_version, label, language, persona, user_message, response, model, guard_action,
                    guard_categories, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                    ON CONFLICT (message_key) DO NOTHING RETURNING id
                    """,
                    [
                        Bind.text(message.key), Bind.date(message.at), Bind.text(message.conversationID),
                        Bind.text(message.userID), Bind.text(message.promptID), Bind.text(message.promptVersion),
                        Bind.text(message.label), Bind.text(message.language), Bind.text(message.persona),
                        Bind.text(message.userMessage), Bind.text(message.response), Bind.text(message.model),
                        Bind.text(message.guardAction), Bind.text(message.guardCategories.joined(separator: ",")),
                        Bind.text(message.status.rawValue),
                    ])
                guard let id = rows.first?[data: "id"].int64 else { continue }
                inserted += 1
                try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO llm_call (at, source, provider, model, prompt_id, prompt_version, label, status, error,
                    prompt_tokens, cached_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, attempts,
                    message_id) VALUES ($1, 'import', $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, $12, FALSE, 1, $13)
                    """,
                    [
                        Bind.date(message.at), Bind.text(message.provider), Bind.text(message.model),
                        Bind.text(message.promptID), Bind.text(message.promptVersion), Bind.text(message.label),
                        Bind.text(message.status.rawValue), Bind.int(message.promptTokens),
                        Bind.int(message.cachedTokens), Bind.int(message.completionTokens),
                        Bind.double(message.costUSD), Bind.double(message.latencyMs), Bind.int64(id),
                    ])
            }
            return inserted
        }
    }

    /// Messages, tokens and cost per time bucket and group, from the hourly rollup in [from, to).
    public func costReport(bucket: CostBucket, grouping: CostGrouping, from: Date, to: Date) throws -> [CostRow] {
        let bucketSQL = bucket == .hour ? "hour || ':00'" : "substr(hour, 1, 10)"
        let groupColumns: [String] =
            switch grouping {
            case .prompt: ["prompt_id", "prompt_version"]
            case .model: ["model"]
            case .label: ["label"]
            case .none: []
            }
        let select = ([bucketSQL + " AS bucket"] + groupColumns).joined(separator: ", ")
        let groupBy = (["bucket"] + groupColumns).joined(separator: ", ")
        return try session.query(
            """
            SELECT \(select), SUM(messages)::float8 AS messages, SUM(errors)::float8 AS errors,
            SUM(prompt_tokens)::float8 AS p, SUM(cached_tokens)::float8 AS c, SUM(completion_tokens)::float8 AS o,
            SUM(cost_usd)::float8 AS cost FROM cost_hourly WHERE hour >= $1 AND hour < $2 GROUP BY \(groupBy)
            """, [Bind.text(Timestamp.hourKey(from, roundUp: false)), Bind.text(Timestamp.hourKey(to, roundUp: true))]
        ).map { row in
            let bucket = row.string("bucket") ?? ""
            let group: String
            switch grouping {
            case .prompt:
                let id = row.string("prompt_id") ?? ""
                let version = row.string("prompt_version") ?? ""
                group = id.isEmpty ? "(none)" : (version.isEmpty ? id : "\(id)@\(version)")
            case .model: group = row.string("model") ?? ""
            case .label:
                let label = row.string("label") ?? ""
                group = label.isEmpty ? "(none)" : label
            case .none: group = "all"
            }
            func count(_ column: String, _ name: String) throws -> Int {
                let total = row.double(column) ?? 0
                guard total >= 0, total < 9_007_199_254_740_992, let value = Int(exactly: total) else {
                    throw PromptctlError(
                        .infrastructure,
                        "cost report row \(bucket) · \(group): the \(name) total (\(total)) is out of range",
                        remedy: "rows of llm_call hold impossible values; delete them and import the corrected lines")
                }
                return value
            }
            let cost = row.double("cost") ?? 0
            guard cost.isFinite, cost >= 0 else {
                throw PromptctlError(
                    .infrastructure, "cost report row \(bucket) · \(group): the cost total (\(cost)) is out of range",
                    remedy: "rows of llm_call hold impossible values; delete them and import the corrected lines")
            }
            return CostRow(
                bucket: bucket, group: group, messages: try count("messages", "message count"),
                errors: try count("errors", "error count"), promptTokens: try count("p", "prompt tokens"),
                cachedTokens: try count("c", "cached tokens"), completionTokens: try count("o", "completion tokens"),
                costUSD: cost)
        }.sorted { ($0.bucket, $0.group) < ($1.bucket, $1.group) }
    }

    /// Aggregates of [from, to) for the alert check.
    public func windowStats(from: Date, to: Date) throws -> WindowStats {
        var stats = WindowStats.empty
        for row in try session.query(
            """
            SELECT COALESCE(prompt_id || '@' || prompt_version, prompt_id, '(none)') || ' · ' || model AS grp,
            COUNT(*)::bigint AS n, SUM(CASE WHEN status <> 'ok' THEN 1 ELSE 0 END)::bigint AS errors,
            SUM(cost_usd)::float8 AS cost
            FROM llm_call WHERE at >= $1 AND at < $2 AND status <> 'interrupted' GROUP BY grp
            """, [Bind.date(from), Bind.date(to)])
        {
            let n = row.int("n") ?? 0
            let cost = row.double("cost") ?? 0
            stats.messages += n
            stats.errors += row.int("errors") ?? 0
            stats.costUSD += cost
            stats.byGroup[row.string("grp") ?? ""] = .make(messages: n, costUSD: cost)
        }
        // The same nearest-rank p95 as the SQLite store: the value at offset ceil((n - 1) * 0.95).
        let answered =
            try session.query(
                "SELECT COUNT(*)::bigint AS n FROM llm_call WHERE at >= $1 AND at < $2 AND status = 'ok'",
                [Bind.date(from), Bind.date(to)]
            ).first?.int("n") ?? 0
        if answered > 0 {
            stats.p95LatencyMs = try session.query(
                """
                SELECT latency_ms FROM llm_call WHERE at >= $1 AND at < $2 AND status = 'ok'
                ORDER BY latency_ms LIMIT 1 OFFSET $3
                """,
                [Bind.date(from), Bind.date(to), Bind.int(Int((Double(answered - 1) * 0.95).rounded(.up)))]
            ).first?.double("latency_ms")
        }
        return stats
    }
}
