import Foundation
import NIOPosix
import PostgresNIO
import PromptctlCore
import PromptctlStore

extension PostgresStore: GatewayExchangeStore {
    /// None: the server checkpoints and vacuums by itself.
    public func startServingUpkeep(interval: Double) throws -> ServingUpkeep { .none() }

    /// Writes exchanges (message and call) in one transaction; when it returns they are committed for any later
    /// reader. The blocking wait runs on SwiftNIO's thread pool, never on a thread of Swift's cooperative pool (two
    /// threads on a two-core machine, which the gateway's requests need).
    public func recordExchanges(_ exchanges: [GatewayExchange]) async throws {
        guard !exchanges.isEmpty else { return }
        try await NIOThreadPool.singleton.runIfActive { try self.recordExchangesNow(exchanges) }
    }

    func recordExchangesNow(_ exchanges: [GatewayExchange]) throws {
        try session.transaction { connection in
            for exchange in exchanges {
                let message = exchange.message
                let rows = try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO production_message (message_key, at, conversation_id, user_id, prompt_id,
                    prompt_version, label, language, persona, user_message, response, model, guard_action,
                    guard_categories, status, canary_arm, needs_review)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id
                    """,
                    [
                        Bind.text(message.key), Bind.date(message.at), Bind.text(message.conversationID),
                        Bind.text(message.userID), Bind.text(message.promptID), Bind.text(message.promptVersion),
                        Bind.text(message.label), Bind.text(message.language), Bind.text(message.persona),
                        Bind.text(message.userMessage), Bind.text(message.response), Bind.text(message.model),
                        Bind.text(message.guardAction), Bind.text(message.guardCategories.joined(separator: ",")),
                        Bind.text(message.status.rawValue), Bind.text(exchange.arm?.rawValue),
                        Bind.bool(exchange.needsReview),
                    ])
                try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO llm_call (at, source, provider, model, prompt_id, prompt_version, label, status, error,
                    prompt_tokens, cached_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, attempts,
                    message_id) VALUES ($1, 'gateway', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, FALSE, $14,
                    $15)
                    """,
                    [
                        Bind.date(message.at), Bind.text(message.provider), Bind.text(message.model),
                        Bind.text(message.promptID), Bind.text(message.promptVersion), Bind.text(message.label),
                        Bind.text(message.status.rawValue), Bind.text(exchange.error), Bind.int(message.promptTokens),
                        Bind.int(message.cachedTokens), Bind.int(message.completionTokens),
                        Bind.double(message.costUSD), Bind.double(message.latencyMs), Bind.int(exchange.attempts),
                        rows.first?[data: "id"] ?? PostgresData(type: .int8),
                    ])
            }
        }
    }

    /// Exchanges of one prompt since a moment, by canary arm (exchanges served outside a rollout are left out).
    public func canaryArmStats(promptID: String, since: Date) throws -> [CanaryArm: ArmStats] {
        try session.reading { connection in
            var result: [CanaryArm: ArmStats] = [:]
            for arm in CanaryArm.allCases {
                let binds = [Bind.text(promptID), Bind.text(arm.rawValue), Bind.date(since)]
                let row = try PostgresSession.run(
                    connection,
                    """
                    SELECT COUNT(*)::bigint AS n, SUM(CASE WHEN m.status = 'error' THEN 1 ELSE 0 END)::bigint AS errors,
                    SUM(CASE WHEN m.guard_action = 'block' THEN 1 ELSE 0 END)::bigint AS blocked,
                    COALESCE(SUM(c.cost_usd), 0)::float8 AS cost
                    FROM production_message m JOIN llm_call c ON c.message_id = m.id
                    WHERE m.prompt_id = $1 AND m.canary_arm = $2 AND m.at >= $3
                    """, binds
                ).first
                let messages = row?.int("n") ?? 0
                guard messages > 0 else { continue }
                let answered =
                    try PostgresSession.run(
                        connection,
                        """
                        SELECT COUNT(*)::bigint AS n FROM production_message WHERE prompt_id = $1 AND canary_arm = $2
                        AND at >= $3 AND status = 'ok'
                        """, binds
                    ).first?.int("n") ?? 0
                var p95: Double?
                if answered > 0 {
                    // The same nearest rank as the SQLite store: the value at offset ceil((n - 1) * 0.95).
                    p95 = try PostgresSession.run(
                        connection,
                        """
                        SELECT c.latency_ms FROM production_message m JOIN llm_call c ON c.message_id = m.id
                        WHERE m.prompt_id = $1 AND m.canary_arm = $2 AND m.at >= $3 AND m.status = 'ok'
                        ORDER BY c.latency_ms LIMIT 1 OFFSET $4
                        """, binds + [Bind.int(Int((Double(answered - 1) * 0.95).rounded(.up)))]
                    ).first?.double("latency_ms")
                }
                result[arm] = ArmStats(
                    messages: messages, errors: row?.int("errors") ?? 0, blocked: row?.int("blocked") ?? 0,
                    costUSD: row?.double("cost") ?? 0, p95LatencyMs: p95)
            }
            return result
        }
    }

    /// Exchanges the gateway wrote, oldest first.
    public func gatewayExchanges(limit: Int) throws -> [GatewayExchange] {
        try session.query(
            """
            SELECT m.*, c.provider, c.prompt_tokens, c.cached_tokens, c.completion_tokens, c.latency_ms,
            c.cost_usd, c.attempts, c.error FROM production_message m JOIN llm_call c ON c.message_id = m.id
            WHERE c.source = 'gateway' ORDER BY m.id LIMIT $1
            """, [Bind.int(limit)]
        ).map { row in
            GatewayExchange(
                message: ProductionMessage(
                    key: row.string("message_key") ?? "", at: row.date("at") ?? Date(timeIntervalSince1970: 0),
                    conversationID: row.string("conversation_id"), userID: row.string("user_id"),
                    promptID: row.string("prompt_id"), promptVersion: row.string("prompt_version"),
                    label: row.string("label"), language: row.string("language"), persona: row.string("persona"),
                    userMessage: row.string("user_message") ?? "", response: row.string("response") ?? "",
                    provider: row.string("provider") ?? "", model: row.string("model") ?? "",
                    promptTokens: row.int("prompt_tokens") ?? 0, cachedTokens: row.int("cached_tokens") ?? 0,
                    completionTokens: row.int("completion_tokens") ?? 0, latencyMs: row.double("latency_ms") ?? 0,
                    status: CallStatus(stored: row.string("status") ?? ""), guardAction: row.string("guard_action"),
                    guardCategories: (row.string("guard_categories") ?? "").split(separator: ",").map(String.init),
                    costUSD: row.double("cost_usd") ?? 0),
                arm: row.string("canary_arm").flatMap(CanaryArm.init(rawValue:)),
                needsReview: row.bool("needs_review") ?? false, attempts: row.int("attempts") ?? 0,
                error: row.string("error"))
        }
    }

    /// Stores a client key's hash under a name; a name (or key) already used is refused with a usage error.
    public func addClientKey(name: String, sha256: String) throws {
        let inserted = try session.query(
            """
            INSERT INTO client_key (name, sha256, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id
            """, [Bind.text(name), Bind.text(sha256), Bind.date(Date())])
        guard inserted.isEmpty else { return }
        throw PromptctlError(
            .usage, "a client key named '\(name)' already exists",
            remedy: "choose another name, or remove it with 'promptctl serve keys remove \(name)'")
    }

    /// Removes a client key by name; returns whether there was one.
    @discardableResult
    public func removeClientKey(name: String) throws -> Bool {
        try session.reading { connection in
            try PostgresSession.changes(connection, "DELETE FROM client_key WHERE name = $1", [Bind.text(name)]) > 0
        }
    }

    /// The name of the client whose key hashes to `sha256`, if any.
    public func clientKeyName(sha256: String) throws -> String? {
        try session.query("SELECT name FROM client_key WHERE sha256 = $1", [Bind.text(sha256)]).first?.string("name")
    }

    /// Every client key's name, hash and creation time, by name (code point order, as SQLite sorts).
    public func clientKeys() throws -> [(name: String, sha256: String, createdAt: Date)] {
        try session.query("SELECT name, sha256, created_at FROM client_key ORDER BY name COLLATE \"C\"").map {
            (
                $0.string("name") ?? "", $0.string("sha256") ?? "",
                $0.date("created_at") ?? Date(timeIntervalSince1970: 0)
            )
        }
    }
}

extension PostgresStore: MetricsStore {
    /// Calls grouped by prompt, version, model and status, with latency bucket counts.
    public func callMetricGroups() throws -> [CallMetricGroup] {
        let bounds = CallMetricGroup.latencyBucketBoundsMs
        let bucketColumns = bounds.map { "SUM(CASE WHEN latency_ms <= \($0) THEN 1 ELSE 0 END)::bigint AS b\($0)" }
            .joined(separator: ", ")
        return try session.query(
            """
            SELECT COALESCE(prompt_id, '') AS prompt, COALESCE(prompt_version, '') AS version, model, status,
            COUNT(*)::bigint AS n, COALESCE(SUM(prompt_tokens), 0)::float8 AS p,
            COALESCE(SUM(cached_tokens), 0)::float8 AS c, COALESCE(SUM(completion_tokens), 0)::float8 AS o,
            COALESCE(SUM(cost_usd), 0)::float8 AS cost, COALESCE(SUM(latency_ms), 0)::float8 AS latency,
            \(bucketColumns)
            FROM llm_call GROUP BY 1, 2, 3, 4
            ORDER BY COALESCE(prompt_id, '') COLLATE "C", COALESCE(prompt_version, '') COLLATE "C",
            model COLLATE "C", status COLLATE "C"
            """
        ).map { row in
            CallMetricGroup.make(
                prompt: row.string("prompt") ?? "", version: row.string("version") ?? "",
                model: row.string("model") ?? "", status: CallStatus(stored: row.string("status") ?? ""),
                calls: row.int("n") ?? 0, promptTokens: row.double("p") ?? 0, cachedTokens: row.double("c") ?? 0,
                completionTokens: row.double("o") ?? 0, costUSD: row.double("cost") ?? 0,
                latencyMsSum: row.double("latency") ?? 0, latencyBucketCounts: bounds.map { row.int("b\($0)") ?? 0 })
        }
    }

    /// Guard decisions by category and action, from evaluation results' findings and production messages.
    public func guardDecisionCounts() throws -> [(category: String, action: String, count: Int)] {
        var counts: [String: Int] = [:]
        for row in try session.query(
            "SELECT category, action, COUNT(*)::bigint AS n FROM eval_result_finding GROUP BY 1, 2")
        {
            counts["\(row.string("category") ?? "?")\u{1F}\(row.string("action") ?? "?")", default: 0] +=
                row.int("n") ?? 0
        }
        for row in try session.query(
            """
            SELECT guard_categories, guard_action, COUNT(*)::bigint AS n FROM production_message
            WHERE guard_action IS NOT NULL GROUP BY 1, 2
            """)
        {
            let categories = (row.string("guard_categories") ?? "").split(separator: ",").map(String.init)
            for category in categories.isEmpty ? ["none"] : categories {
                counts["\(category)\u{1F}\(row.string("guard_action") ?? "")", default: 0] += row.int("n") ?? 0
            }
        }
        return counts.map { key, count in
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            return (parts[0], parts[1], count)
        }.sorted { ($0.category, $0.action) < ($1.category, $1.action) }
    }
}
