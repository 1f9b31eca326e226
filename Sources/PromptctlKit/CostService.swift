import Foundation
import PromptctlCore
import PromptctlGuards
import PromptctlLLM
import PromptctlMonitor
import PromptctlPrivacy
import PromptctlReports
import PromptctlStore

/// Production message import, cost reports, the 24-hour check and metrics.
public struct CostService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    func open() throws -> (Project, any PromptctlStoreEngine) {
        let project = try workspace.loadProject()
        return (project, try workspace.openStore(config: project.config))
    }

    /// Imports production messages (JSONL); importing the same file twice adds nothing. Every line is checked
    /// first: a file with a bad line writes nothing.
    public func importMessages(_ path: String) throws -> (read: Int, imported: Int) {
        let (project, database) = try open()
        let factory = ProviderFactory(
            project: project, workspace: workspace, transport: CurlTransport(), database: database)
        let prices = try factory.prices()
        guard let data = FileManager.default.contents(atPath: workspace.absolute(path)) else {
            throw PromptctlError(.usage, "cannot read \(path)")
        }
        var messages: [ProductionMessage] = []
        var messageLines: [Int] = []
        var indexOfKey: [String: Int] = [:]
        var problems: [Diagnostic] = []
        for (index, line) in TextLines.lines(data).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            let location = SourceLocation(file: path, line: index + 1, column: 1)
            do {
                let message = try Self.message(from: text, prices: prices)
                if let first = indexOfKey[message.key] {
                    // The same line twice is harmless (imports are idempotent); the same id with other content
                    // means two messages were given one id, and keeping either would be a guess.
                    if messages[first].sameContent(as: message) { continue }
                    problems.append(
                        .error(
                            "id \"\(message.key)\" was already used on line \(messageLines[first]) with different content",
                            at: location, hint: "give every message its own id"))
                    continue
                }
                indexOfKey[message.key] = messages.count
                messages.append(message)
                messageLines.append(index + 1)
            } catch let error as PromptctlError {
                problems.append(.error(error.message, at: location, hint: error.remedy))
            }
        }
        if project.config.maskMessagesAtRest {
            // Masked before the comparison with the store, so that importing the same file twice stays idempotent. The
            // same masking path as the exports; the conversation's names found in either text mask both.
            let masker = PersonalDataMasker()
            for index in messages.indices {
                let language = messages[index].language
                let names =
                    masker.names(in: messages[index].userMessage, language: language)
                    + masker.names(in: messages[index].response, language: language)
                messages[index].userMessage = masker.mask(
                    messages[index].userMessage, language: language, knownNames: names)
                messages[index].response = masker.mask(messages[index].response, language: language, knownNames: names)
            }
        }
        // An id already in the store with other content is refused too, naming the line.
        for key in try database.conflictingMessageKeys(messages) {
            let line = indexOfKey[key].map { messageLines[$0] } ?? 1
            problems.append(
                .error(
                    "id \"\(key)\" is already stored with different content",
                    at: SourceLocation(file: path, line: line, column: 1),
                    hint:
                        "give every message its own id; a message already imported cannot be changed by importing it again"
                ))
        }
        if !problems.isEmpty {
            throw PromptctlError(
                .usage, "\(path) has \(problems.count) invalid line(s); nothing was imported",
                diagnostics: problems.sorted { ($0.location?.line ?? 0) < ($1.location?.line ?? 0) })
        }
        return (messages.count, try database.importMessages(messages))
    }

    /// The largest token count a message may declare: far above any context window, far below an overflow.
    public static let maxTokens = 1_000_000_000
    /// The oldest timestamp a message may carry.
    static let earliestMessage = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01

    static func message(from line: String, prices: PriceTable) throws -> ProductionMessage {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw PromptctlError(.usage, "not a JSON object", remedy: "write one JSON object per line")
        }
        func isBool(_ value: Any) -> Bool {
            if value is Bool, !(value is Int) { return true }
            guard let number = value as? NSNumber else { return false }
            // JSON true and false arrive as NSNumbers of type char ("c"); JSON numbers never do.
            return String(cString: number.objCType) == "c"
        }
        /// A text field: a JSON string (or null / absent), with no NUL character that would cut it short.
        func string(_ keys: String...) throws -> String? {
            for key in keys {
                guard let value = object[key] else { continue }
                if value is NSNull { return nil }
                guard let text = value as? String else {
                    throw PromptctlError(
                        .usage, "\"\(key)\" must be a string, got \(describe(value))",
                        remedy: "write the field as a JSON string")
                }
                if text.unicodeScalars.contains("\u{0}") {
                    throw PromptctlError(
                        .usage, "\"\(key)\" contains a NUL character (\\u0000)",
                        remedy: "remove the NUL character; it is never part of a message")
                }
                return text
            }
            return nil
        }
        /// An identifier: a string or a whole number.
        func identifier(_ keys: String...) throws -> String? {
            for key in keys {
                guard let value = object[key] else { continue }
                if let number = value as? NSNumber, !isBool(number), let whole = Int64(exactly: number.doubleValue) {
                    return String(whole)
                }
                return try string(key)
            }
            return nil
        }
        func tokens(_ keys: String...) throws -> Int {
            for key in keys {
                guard let value = object[key], !(value is NSNull) else { continue }
                guard let number = value as? NSNumber, !isBool(number), let whole = Int(exactly: number.doubleValue),
                    (0...maxTokens).contains(whole)
                else {
                    throw PromptctlError(
                        .usage, "\"\(key)\" must be a whole number from 0 to \(maxTokens), got \(describe(value))")
                }
                return whole
            }
            return 0
        }
        guard let timestamp = try string("timestamp", "at"), let at = Timestamp.parse(timestamp) else {
            throw PromptctlError(
                .usage, "missing or unreadable \"timestamp\"", remedy: "use ISO 8601, e.g. 2026-11-25T14:03:00Z")
        }
        let latest = Date().addingTimeInterval(86_400)
        guard at >= earliestMessage, at <= latest else {
            throw PromptctlError(
                .usage,
                "\"timestamp\" \(timestamp) is outside 2000-01-01 … \(Timestamp.string(latest)) (a day past now)",
                remedy: "check the clock of the system that wrote the log")
        }
        guard let model = try string("model"), !model.isEmpty else {
            throw PromptctlError(.usage, "missing \"model\"")
        }
        let provider = try string("provider") ?? "production"
        let promptTokens = try tokens("tokens_in", "prompt_tokens")
        let cachedTokens = try tokens("tokens_cached", "cached_tokens")
        let completionTokens = try tokens("tokens_out", "completion_tokens")
        guard cachedTokens <= promptTokens else {
            throw PromptctlError(
                .usage, "\"tokens_cached\" (\(cachedTokens)) is more than the prompt's tokens (\(promptTokens))")
        }
        var latencyMs = 0.0
        if let value = object["latency_ms"], !(value is NSNull) {
            guard let number = value as? NSNumber, !isBool(number), number.doubleValue.isFinite,
                (0...86_400_000).contains(number.doubleValue)
            else {
                throw PromptctlError(
                    .usage, "\"latency_ms\" must be a number from 0 to 86400000 (a day), got \(describe(value))")
            }
            latencyMs = number.doubleValue
        }
        let cost =
            prices.price(provider: provider, model: model)?.cost(
                promptTokens: promptTokens, cachedPromptTokens: cachedTokens, completionTokens: completionTokens) ?? 0
        var guardAction: String?
        var guardCategories: [String] = []
        let decisionKey = object["guard_decision"] != nil ? "guard_decision" : "guard"
        if let decision = object[decisionKey], !(decision is NSNull) {
            var action: Any?
            if decision is String {
                action = decision
            } else if let map = decision as? [String: Any] {
                action = map["action"] ?? map["decision"]
                if let categories = map["categories"], !(categories is NSNull) {
                    guard let list = categories as? [String] else {
                        throw PromptctlError(
                            .usage,
                            "\"\(decisionKey).categories\" must be a list of strings, got \(describe(categories))")
                    }
                    guardCategories = list
                }
            } else {
                throw PromptctlError(
                    .usage, "\"\(decisionKey)\" must be a decision name or an object, got \(describe(decision))")
            }
            let known = GuardAction.allCases.map(\.rawValue)
            if let action, !(action is NSNull) {
                guard let name = action as? String, known.contains(name) else {
                    throw PromptctlError(
                        .usage,
                        "\"\(decisionKey)\" action must be one of \(known.joined(separator: ", ")), got \(describe(action))"
                    )
                }
                guardAction = name
            }
        }
        let statusText = try string("status") ?? CallStatus.ok.rawValue
        guard let status = CallStatus(rawValue: statusText), status != .interrupted else {
            throw PromptctlError(.usage, "\"status\" must be ok or error, got \"\(statusText)\"")
        }
        let userMessage = try string("user_message", "user") ?? ""
        let response = try string("response", "answer") ?? ""
        let conversationID = try identifier("conversation_id")
        let key =
            try identifier("id", "message_id")
            ?? ContentHash.sha256(
                [timestamp, conversationID ?? "", userMessage, response].joined(separator: "\u{1F}"))
        return ProductionMessage(
            key: key, at: at, conversationID: conversationID, userID: try identifier("user_id"),
            promptID: try string("prompt_id"), promptVersion: try string("prompt_version"), label: try string("label"),
            language: try string("language"), persona: try string("persona"), userMessage: userMessage,
            response: response, provider: provider, model: model, promptTokens: promptTokens,
            cachedTokens: cachedTokens, completionTokens: completionTokens, latencyMs: latencyMs, status: status,
            guardAction: guardAction, guardCategories: guardCategories, costUSD: cost)
    }

    /// A value as a person would read it in an error: JSON text, cut short.
    static func describe(_ value: Any) -> String {
        if let text = value as? String { return "\"\(text.prefix(40))\"" }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
            let text = String(decoding: data, as: UTF8.self)
            return text.count > 40 ? text.prefix(40) + "…" : text
        }
        return String(describing: type(of: value))
    }

    /// The cost report rows.
    public func report(by bucket: CostBucket, group: CostGrouping, from: Date?, to: Date?) throws -> [CostRow] {
        let (_, database) = try open()
        return try database.costReport(
            bucket: bucket, grouping: group, from: from ?? Date(timeIntervalSince1970: 0), to: to ?? Date.distantFuture)
    }

    /// Rows as table, JSON, CSV or HTML (with an SVG chart of cost per message).
    public static func format(_ rows: [CostRow], as format: OutputFormat, bucket: CostBucket, group: CostGrouping)
        throws -> String
    {
        try CostReportRendering.render(rows, as: format, bucket: bucket, group: group)
    }

    /// Runs the check and posts the alert to the webhook when it fires.
    public func check(at: Date, thresholds: CheckThresholds, webhook: String?) async throws -> CheckResult {
        let (_, database) = try open()
        let result = try CostCheck(database: database, thresholds: thresholds).run(at: at)
        if result.status == .alert, let webhook, !webhook.isEmpty {
            try await WebhookNotifier(url: webhook, transport: CurlTransport()).send(
                "promptctl cost check — \(result.message)")
        }
        return result
    }

    /// Prometheus text.
    public func metrics() throws -> String {
        let project = try workspace.loadProject()
        return try PrometheusExposition.render(try workspace.openStore(config: project.config))
    }
}
