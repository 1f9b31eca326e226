import ArgumentParser
import Foundation
import PromptctlKit

struct MessagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages", abstract: "Production messages.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import production messages from JSONL (idempotent; a file with an invalid line writes nothing).",
            discussion: """
                One JSON object per line: timestamp, conversation_id, user_id, prompt_id, prompt_version, label, language,
                user_message, response, provider, model, tokens_in, tokens_cached, tokens_out, latency_ms, status,
                guard_decision ("allow" or {"action": ..., "categories": [...]}), and optionally id.
                Cost is computed from the price table at import and never rewritten by a later price change.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The JSONL file.") var file: String

        func run() async throws {
            let (read, imported) = try CostService(workspace: global.workspace).importMessages(file)
            Console.out("read \(read) messages, imported \(imported) new (\(read - imported) already present)\n")
        }
    }
}

struct CostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost", abstract: "Cost per message: reports and the 24-hour alert.",
        subcommands: [Report.self, Check.self])

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Messages, tokens and cost per message by day or hour.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The time bucket.") var by: CostBucket = .day
        @Option(help: "What to group by.") var group: CostGrouping = .prompt
        @Option(help: "From (ISO 8601 or YYYY-MM-DD).") var from: String?
        @Option(help: "To, exclusive.") var to: String?
        @Option(help: "Output format.") var format: CostReportFormat = .table

        func run() async throws {
            let fromDate = try from.map { try CommandValues.date($0, flag: "--from") }
            let toDate = try to.map { try CommandValues.date($0, flag: "--to") }
            let rows = try CostService(workspace: global.workspace).report(
                by: by, group: group, from: fromDate, to: toDate)
            Console.out(try CostService.format(rows, as: format.output, bucket: by, group: group))
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Compare the last 24 hours with the 24 before; exit 1 when a threshold is crossed.",
            discussion: """
                Cost per message (default +20%), p95 latency (default +30%) and error rate (default +2 points).
                Too little data in either window is reported as such and is not an alert (exit 0).
                --webhook (or PROMPTCTL_ALERT_WEBHOOK) receives a Slack-compatible {"text": ...} POST when it fires.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "The end of the window (default: now).") var at: String?
        @Option(help: "Cost-per-message rise that fires, e.g. 20%.") var threshold: String = "20%"
        @Option(name: .customLong("latency-threshold"), help: "p95 latency rise that fires.") var latencyThreshold:
            String = "30%"
        @Option(name: .customLong("error-threshold"), help: "Error-rate rise in points that fires, e.g. 2.")
        var errorThreshold: String = "2"
        @Option(name: .customLong("min-messages"), help: "Messages needed in each window.") var minMessages: Int = 20
        @Option(help: "Slack-compatible webhook URL.") var webhook: String?
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func run() async throws {
            let time = try at.map { try CommandValues.date($0, flag: "--at") } ?? Date()
            let thresholds = CheckThresholds(
                costRise: try CommandValues.fraction(threshold, flag: "--threshold"),
                latencyRise: try CommandValues.fraction(latencyThreshold, flag: "--latency-threshold"),
                errorRateRise: try CommandValues.fraction(errorThreshold, flag: "--error-threshold"),
                minimumMessages: minMessages)
            let hook = webhook ?? ProcessInfo.processInfo.environment["PROMPTCTL_ALERT_WEBHOOK"]
            let result = try await CostService(workspace: global.workspace).check(
                at: time, thresholds: thresholds, webhook: hook)
            Console.out(format == .json ? try CommandValues.json(result) : result.message + "\n")
            if result.fired { throw ExitCode(ExitStatus.gateFailed.rawValue) }
        }
    }
}

struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Prometheus text exposition of requests, errors, latency, tokens, cost and guard decisions.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        Console.out(try CostService(workspace: global.workspace).metrics())
    }
}
