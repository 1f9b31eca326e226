import Foundation
import GRDB
import PromptctlCore

/// One exchange that went through `promptctl serve`, as it is written before the answer is acknowledged.
public struct GatewayExchange: Sendable, Hashable {
    /// The message, with identifiers already pseudonymised and the cost computed.
    public var message: ProductionMessage
    /// The canary arm that served it; nil when the prompt had no rollout.
    public var arm: CanaryArm?
    /// Whether a nurse must look at it.
    public var needsReview: Bool
    /// Provider attempts made (0 when the input guard blocked before any call).
    public var attempts: Int
    /// The provider's error, when the call failed.
    public var error: String?

    /// Creates an exchange.
    public init(message: ProductionMessage, arm: CanaryArm?, needsReview: Bool, attempts: Int, error: String?) {
        self.message = message
        self.arm = arm
        self.needsReview = needsReview
        self.attempts = attempts
        self.error = error
    }
}

/// What one canary arm did since the rollout started, for the automatic rollback.
public struct ArmStats: Sendable, Hashable, Codable {
    /// Exchanges served.
    public var messages: Int
    /// Exchanges whose provider call failed.
    public var errors: Int
    /// Exchanges whose answer the guards blocked.
    public var blocked: Int
    /// Dollars spent.
    public var costUSD: Double
    /// 95th percentile of the latency of answered exchanges, in milliseconds.
    public var p95LatencyMs: Double?

    /// Creates statistics.
    public init(messages: Int, errors: Int, blocked: Int, costUSD: Double, p95LatencyMs: Double?) {
        self.messages = messages
        self.errors = errors
        self.blocked = blocked
        self.costUSD = costUSD
        self.p95LatencyMs = p95LatencyMs
    }

    /// Errors per exchange.
    public var errorRate: Double { messages == 0 ? 0 : Double(errors) / Double(messages) }
    /// Blocks per exchange.
    public var blockRate: Double { messages == 0 ? 0 : Double(blocked) / Double(messages) }
    /// Dollars per exchange.
    public var costPerMessage: Double { messages == 0 ? 0 : costUSD / Double(messages) }
}

extension AppDatabase {
    /// Writes exchanges (message and call) in one transaction; when it returns they are on disk for any later reader.
    public func recordExchanges(_ exchanges: [GatewayExchange]) async throws {
        // Group commit on the caller's thread: an idle store is written at once without a hop to GRDB's writer
        // queue; exchanges that arrive meanwhile go into the next transaction together.
        let writer = writer
        try await exchangeCommits.submit(exchanges) { batch in
            try writer.write { db in try Self.insertExchanges(batch, db) }
        }
    }

    /// Inserts exchanges (message and call) in the transaction of `db`.
    static func insertExchanges(_ exchanges: [GatewayExchange], _ db: Database) throws {
        for exchange in exchanges {
            let message = exchange.message
            try db.cachedStatement(
                sql: """
                    INSERT INTO production_message (message_key, at, conversation_id, user_id, prompt_id,
                    prompt_version, label, language, persona, user_message, response, model, guard_action,
                    guard_categories, status, canary_arm, needs_review)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                message.key, message.at, message.conversationID, message.userID, message.promptID,
                message.promptVersion, message.label, message.language, message.persona, message.userMessage,
                message.response, message.model, message.guardAction,
                message.guardCategories.joined(separator: ","), message.status.rawValue, exchange.arm?.rawValue,
                exchange.needsReview,
            ])
            let messageID = db.lastInsertedRowID
            try db.cachedStatement(
                sql: """
                    INSERT INTO llm_call (at, source, provider, model, prompt_id, prompt_version, label, status, error,
                    prompt_tokens, cached_tokens, completion_tokens, cost_usd, latency_ms, cache_hit, attempts, message_id)
                    VALUES (?, 'gateway', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                    """
            ).execute(arguments: [
                message.at, message.provider, message.model, message.promptID, message.promptVersion,
                message.label, message.status.rawValue, exchange.error, message.promptTokens, message.cachedTokens,
                message.completionTokens, message.costUSD, message.latencyMs, exchange.attempts, messageID,
            ])
        }
    }

    /// Exchanges of one prompt since a moment, by canary arm (exchanges served outside a rollout are left out).
    public func canaryArmStats(promptID: String, since: Date) throws -> [CanaryArm: ArmStats] {
        try writer.read { db in
            var result: [CanaryArm: ArmStats] = [:]
            for arm in CanaryArm.allCases {
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) AS n, TOTAL(m.status = 'error') AS errors, TOTAL(m.guard_action = 'block') AS blocked,
                        TOTAL(c.cost_usd) AS cost FROM production_message m JOIN llm_call c ON c.message_id = m.id
                        WHERE m.prompt_id = ? AND m.canary_arm = ? AND m.at >= ?
                        """, arguments: [promptID, arm.rawValue, since])
                let messages: Int = row?["n"] ?? 0
                guard messages > 0 else { continue }
                let answered =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM production_message WHERE prompt_id = ? AND canary_arm = ? AND at >= ?
                            AND status = 'ok'
                            """, arguments: [promptID, arm.rawValue, since]) ?? 0
                var p95: Double?
                if answered > 0 {
                    p95 = try Double.fetchOne(
                        db,
                        sql: """
                            SELECT c.latency_ms FROM production_message m JOIN llm_call c ON c.message_id = m.id
                            WHERE m.prompt_id = ? AND m.canary_arm = ? AND m.at >= ? AND m.status = 'ok'
                            ORDER BY c.latency_ms LIMIT 1 OFFSET ?
                            """,
                        arguments: [promptID, arm.rawValue, since, Int((Double(answered - 1) * 0.95).rounded(.up))])
                }
                result[arm] = ArmStats(
                    messages: messages, errors: Int(row?["errors"] as Double? ?? 0),
                    blocked: Int(row?["blocked"] as Double? ?? 0), costUSD: row?["cost"] ?? 0, p95LatencyMs: p95)
            }
            return result
        }
    }

    /// Exchanges the gateway wrote, newest last (for tests and `serve` diagnostics).
    public func gatewayExchanges(limit: Int) throws -> [GatewayExchange] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.*, c.provider, c.prompt_tokens, c.cached_tokens, c.completion_tokens, c.latency_ms,
                    c.cost_usd, c.attempts, c.error FROM production_message m JOIN llm_call c ON c.message_id = m.id
                    WHERE c.source = 'gateway' ORDER BY m.id LIMIT ?
                    """, arguments: [limit]
            ).map { row in
                GatewayExchange(
                    message: ProductionMessage(
                        key: row["message_key"], at: row["at"], conversationID: row["conversation_id"],
                        userID: row["user_id"], promptID: row["prompt_id"], promptVersion: row["prompt_version"],
                        label: row["label"], language: row["language"], persona: row["persona"],
                        userMessage: row["user_message"], response: row["response"], provider: row["provider"],
                        model: row["model"], promptTokens: row["prompt_tokens"], cachedTokens: row["cached_tokens"],
                        completionTokens: row["completion_tokens"], latencyMs: row["latency_ms"],
                        status: CallStatus(stored: row["status"]),
                        guardAction: row["guard_action"],
                        guardCategories: (row["guard_categories"] as String? ?? "").split(separator: ",").map(
                            String.init),
                        costUSD: row["cost_usd"]),
                    arm: (row["canary_arm"] as String?).flatMap(CanaryArm.init(rawValue:)),
                    needsReview: row["needs_review"], attempts: row["attempts"], error: row["error"])
            }
        }
    }

    /// Stores a client key's hash under a name; a name already used is refused.
    public func addClientKey(name: String, sha256: String) throws {
        do {
            try writer.write { db in
                try db.execute(
                    sql: "INSERT INTO client_key (name, sha256, created_at) VALUES (?, ?, ?)",
                    arguments: [name, sha256, Date()])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw PromptctlError(
                .usage, "a client key named '\(name)' already exists",
                remedy: "choose another name, or remove it with 'promptctl serve keys remove \(name)'")
        }
    }

    /// Removes a client key by name; returns whether there was one.
    @discardableResult
    public func removeClientKey(name: String) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM client_key WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    /// The name of the client whose key hashes to `sha256`, if any.
    public func clientKeyName(sha256: String) throws -> String? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT name FROM client_key WHERE sha256 = ?", arguments: [sha256])
        }
    }

    /// Every client key's name and hash (the gateway keeps them in memory).
    public func clientKeys() throws -> [(name: String, sha256: String, createdAt: Date)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sha256, created_at FROM client_key ORDER BY name").map {
                ($0["name"], $0["sha256"], $0["created_at"])
            }
        }
    }
}

extension GatewayExchangeStore {
    /// Exchanges the gateway wrote, oldest first, up to 100,000.
    public func gatewayExchanges() throws -> [GatewayExchange] { try gatewayExchanges(limit: 100_000) }

    /// Starts the upkeep a long-running server needs, with checkpoints every quarter of a second.
    public func startServingUpkeep() throws -> ServingUpkeep { try startServingUpkeep(interval: 0.25) }
}
