import Foundation
import PromptctlCore
import PromptctlLLM
import PromptctlMonitor
import PromptctlReports
import PromptctlStore

/// Production message import, cost reports, the 24-hour check and metrics.
public struct CostService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    func open() throws -> (Project, AppDatabase) {
        let project = try workspace.loadProject()
        return (project, try workspace.openDatabase(config: project.config))
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
        var problems: [Diagnostic] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            let location = SourceLocation(file: path, line: index + 1, column: 1)
            do {
                messages.append(try Self.message(from: text, prices: prices))
            } catch let error as PromptctlError {
                problems.append(.error(error.message, at: location, hint: error.remedy))
            }
        }
        if !problems.isEmpty {
            throw PromptctlError(
                .usage, "\(path) has \(problems.count) invalid line(s); nothing was imported", diagnostics: problems)
        }
        return (messages.count, try database.importMessages(messages))
    }

    static func message(from line: String, prices: PriceTable) throws -> ProductionMessage {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw PromptctlError(.usage, "not a JSON object", remedy: "write one JSON object per line")
        }
        func string(_ keys: String...) -> String? {
            for key in keys { if let value = object[key] { return value is NSNull ? nil : "\(value)" } }
            return nil
        }
        func int(_ keys: String...) -> Int {
            for key in keys { if let value = object[key] as? NSNumber { return value.intValue } }
            return 0
        }
        guard let timestamp = string("timestamp", "at"), let at = Timestamp.parse(timestamp) else {
            throw PromptctlError(
                .usage, "missing or unreadable \"timestamp\"", remedy: "use ISO 8601, e.g. 2026-11-25T14:03:00Z")
        }
        guard let model = string("model") else { throw PromptctlError(.usage, "missing \"model\"") }
        let provider = string("provider") ?? "production"
        let promptTokens = int("tokens_in", "prompt_tokens")
        let cachedTokens = int("tokens_cached", "cached_tokens")
        let completionTokens = int("tokens_out", "completion_tokens")
        let cost =
            prices.price(provider: provider, model: model)?.cost(
                promptTokens: promptTokens, cachedPromptTokens: cachedTokens, completionTokens: completionTokens) ?? 0
        var guardAction: String?
        var guardCategories: [String] = []
        if let decision = object["guard_decision"] ?? object["guard"] {
            if let text = decision as? String {
                guardAction = text
            } else if let map = decision as? [String: Any] {
                guardAction = (map["action"] ?? map["decision"]) as? String
                guardCategories = map["categories"] as? [String] ?? []
            }
        }
        let userMessage = string("user_message", "user") ?? ""
        let response = string("response", "answer") ?? ""
        let key =
            string("id", "message_id")
            ?? ContentHash.sha256(
                [timestamp, string("conversation_id") ?? "", userMessage, response].joined(separator: "\u{1F}"))
        return ProductionMessage(
            key: key, at: at, conversationID: string("conversation_id"), userID: string("user_id"),
            promptID: string("prompt_id"), promptVersion: string("prompt_version"), label: string("label"),
            language: string("language"), persona: string("persona"), userMessage: userMessage, response: response,
            provider: provider, model: model, promptTokens: promptTokens, cachedTokens: cachedTokens,
            completionTokens: completionTokens, latencyMs: (object["latency_ms"] as? NSNumber)?.doubleValue ?? 0,
            status: string("status") ?? "ok", guardAction: guardAction, guardCategories: guardCategories, costUSD: cost)
    }

    /// The cost report rows.
    public func report(by bucket: String, group: CostGrouping, from: Date?, to: Date?) throws -> [CostRow] {
        let (_, database) = try open()
        return try database.costReport(
            bucket: bucket, grouping: group, from: from ?? Date(timeIntervalSince1970: 0), to: to ?? Date.distantFuture)
    }

    /// Rows as table, JSON, CSV or HTML (with an SVG chart of cost per message).
    public static func format(_ rows: [CostRow], as format: OutputFormat, bucket: String, group: CostGrouping) throws
        -> String
    {
        switch format {
        case .json:
            struct Line: Encodable {
                var bucket, group: String
                var messages, errors, promptTokens, cachedTokens, completionTokens: Int
                var tokensPerMessage, costPerMessage, costUSD: Double
            }
            return try JSONOutput.string(
                rows.map {
                    Line(
                        bucket: $0.bucket, group: $0.group, messages: $0.messages, errors: $0.errors,
                        promptTokens: $0.promptTokens, cachedTokens: $0.cachedTokens,
                        completionTokens: $0.completionTokens,
                        tokensPerMessage: $0.tokensPerMessage, costPerMessage: $0.costPerMessage, costUSD: $0.costUSD)
                })
        case .csv:
            var lines = ["\(bucket),\(group.rawValue),messages,errors,tokens_per_message,cost_per_message_usd,cost_usd"]
            for row in rows {
                lines.append(
                    [
                        row.bucket, row.group, String(row.messages), String(row.errors),
                        String(format: "%.1f", row.tokensPerMessage),
                        String(format: "%.8f", row.costPerMessage), String(format: "%.6f", row.costUSD),
                    ]
                    .map { CSV.field($0) }.joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        case .html:
            return html(rows, bucket: bucket, group: group)
        default:
            var table = TextTable(
                headers: [
                    bucket.uppercased(), group.rawValue.uppercased(), "MESSAGES", "ERRORS", "TOKENS/MSG", "COST/MSG",
                    "COST",
                ])
            for row in rows {
                table.rows.append([
                    row.bucket, row.group, String(row.messages), String(row.errors),
                    String(format: "%.0f", row.tokensPerMessage),
                    String(format: "$%.6f", row.costPerMessage), String(format: "$%.4f", row.costUSD),
                ])
            }
            let messages = rows.reduce(0) { $0 + $1.messages }
            let cost = rows.reduce(0) { $0 + $1.costUSD }
            return table.render()
                + "total: \(messages) messages, $\(String(format: "%.4f", cost)), $\(String(format: "%.6f", messages == 0 ? 0 : cost / Double(messages))) per message\n"
        }
    }

    static func html(_ rows: [CostRow], bucket: String, group: CostGrouping) -> String {
        let e = HTMLReport.escape
        var byBucket: [String: (messages: Int, cost: Double)] = [:]
        for row in rows {
            byBucket[row.bucket, default: (0, 0)].messages += row.messages
            byBucket[row.bucket, default: (0, 0)].cost += row.costUSD
        }
        let buckets = byBucket.keys.sorted()
        let values = buckets.map {
            byBucket[$0]!.messages == 0 ? 0 : byBucket[$0]!.cost / Double(byBucket[$0]!.messages)
        }
        let maximum = max(values.max() ?? 0, 1e-12)
        let width = 720.0
        let height = 160.0
        let step = buckets.count > 1 ? width / Double(buckets.count - 1) : 0
        let points = values.enumerated().map { index, value in
            String(format: "%.1f,%.1f", 40 + Double(index) * step, 10 + height - value / maximum * height)
        }.joined(separator: " ")
        var body = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>promptctl cost report</title>
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}</style>
            </head><body><h1>Cost per message by \(e(bucket))</h1>
            <svg xmlns="http://www.w3.org/2000/svg" width="800" height="190" role="img" aria-label="cost per message">
            <polyline fill="none" stroke="#1f6feb" stroke-width="2" points="\(points)"/>
            <text x="4" y="16" font-size="11">$\(String(format: "%.6f", maximum))</text><text x="4" y="\(Int(height) + 10)" font-size="11">$0</text>
            </svg><table><tr><th>\(e(bucket))</th><th>\(e(group.rawValue))</th><th>messages</th><th>errors</th><th>tokens/msg</th><th>cost/msg</th><th>cost</th></tr>
            """
        for row in rows {
            body +=
                "<tr><td>\(e(row.bucket))</td><td>\(e(row.group))</td><td class=\"n\">\(row.messages)</td><td class=\"n\">\(row.errors)</td><td class=\"n\">\(String(format: "%.0f", row.tokensPerMessage))</td><td class=\"n\">$\(String(format: "%.6f", row.costPerMessage))</td><td class=\"n\">$\(String(format: "%.4f", row.costUSD))</td></tr>"
        }
        return body + "</table></body></html>\n"
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
        let (_, database) = try open()
        return try PrometheusExposition.render(database)
    }
}
