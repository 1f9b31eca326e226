import ArgumentParser
import Foundation
import PromptctlKit

struct SignsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signs",
        abstract: "The clinical-signs engine: explain what it reads in a message or an answer, and measure it.",
        subcommands: [Explain.self, Evaluate.self])

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show why a message does or does not describe a warning sign now (and judge an answer to it).",
            discussion: """
                Every mention is listed with its sign, the matched words with their character spans, and its context
                (current, negated, hypothetical, historical, other-person, informational). Only current mentions count.
                With --answer, the answer's acts (referral, urgency, normalising, waiting, diagnosis, dose) and the
                clinical rules' verdict are shown too. Exit 0 either way: this explains, it does not gate.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Her message.") var text: String
        @Option(help: "An answer to judge against the clinical rules.") var answer: String?
        @Option(help: "The conversation's language (pt-BR, en, es).") var language: String = "pt-BR"
        @Option(help: "Gestational weeks, when the conversation knows them.") var weeks: Int?
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func run() async throws {
            let service = try SignsService(workspace: global.workspace)
            let explanation = service.explain(message: text, answer: answer, language: language, weeks: weeks)
            if format == .json {
                Console.out(try CommandValues.json(explanation))
                return
            }
            let current = explanation.currentSigns.map(\.rawValue)
            Console.out(
                current.isEmpty
                    ? "no warning sign described now\n" : "warning sign now: \(current.joined(separator: ", "))\n")
            if !explanation.message.mentions.isEmpty {
                Console.out("\n" + SignsService.table("SIGN", explanation.message.mentions, spans: true))
            }
            if let judgement = explanation.judgement {
                Console.out(
                    "\nanswer: " + (judgement.passed ? "passes the clinical rules" : "fails the clinical rules") + "\n")
                for failure in judgement.failures { Console.out("  - \(failure.description)\n") }
                if !judgement.answer.mentions.isEmpty {
                    Console.out("\n" + SignsService.table("ACT", judgement.answer.mentions, spans: false))
                }
            }
        }
    }

    struct Evaluate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the engine on a labelled set: recall and false alarms per sign and language.",
            discussion: """
                A message set has JSONL lines {"id", "language", "text", "sign": SIGN or null, "context"}. An answer set
                (--answers) has lines {"id", "language", "message", "answer", "kind", "expected": "pass" or "fail"}.
                Exit 1 when recall is below --min-recall or false alarms above --max-false-alarms (message sets), or
                agreement below --min-agreement (answer sets).
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The labelled JSONL file.") var file: String
        @Flag(help: "The file is a set of labelled answers, judged by the clinical rules.") var answers = false
        @Option(help: "The file is a set of answers rated warm or cold; agreement with this rubric is measured.")
        var tone: String?
        @Option(help: "Lowest acceptable recall (0-1).") var minRecall: Double = 0.95
        @Option(help: "Highest acceptable false-alarm rate (0-1).") var maxFalseAlarms: Double = 0.05
        @Option(help: "Lowest acceptable agreement for answer sets (0-1).") var minAgreement: Double = 0.9
        @Flag(help: "List every message the engine got wrong.") var showErrors = false
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func validate() throws {
            for (name, value) in [("--min-recall", minRecall), ("--max-false-alarms", maxFalseAlarms)]
            where !(0...1).contains(value) {
                throw ValidationError("\(name) must be between 0 and 1")
            }
        }

        func run() async throws {
            let workspace = global.workspace
            let service = try SignsService(workspace: workspace)
            let path = workspace.absolute(file)
            if let tone {
                let result = try await service.evaluateTone(
                    path: path, rubric: try service.rubric(tone, workspace: workspace))
                if format == .json {
                    Console.out(try CommandValues.json(result))
                } else {
                    Console.out(
                        Self.agreementTable(["LANGUAGE", "ANSWERS", "RUBRIC AGREES"], result.byLanguage)
                            + String(format: "kappa %.2f\n", result.kappa))
                    if showErrors { for error in result.errors { Console.out(error + "\n") } }
                }
                if (result.byLanguage["all"]?.rate ?? 0) < minAgreement { throw ExitCode(1) }
                return
            }
            if answers {
                let result = try service.evaluateAnswers(path: path)
                if format == .json {
                    Console.out(try CommandValues.json(result))
                } else {
                    Console.out(Self.agreementTable(["KIND", "ANSWERS", "JUDGED AS LABELLED"], result.byKind))
                    if showErrors {
                        for miss in result.errors {
                            Console.out(
                                "\n\(miss.id) [\(miss.kind ?? "")] expected \(miss.expected); signs: "
                                    + "\(miss.signs.map(\.rawValue).joined(separator: ","))\n  her: \(miss.message)\n"
                                    + "  answer: \(miss.answer)\n  failures: \(miss.failures.joined(separator: "; "))\n"
                            )
                        }
                    }
                }
                if (result.byKind["all"]?.rate ?? 0) < minAgreement { throw ExitCode(1) }
                return
            }
            let result = try service.evaluateMessages(path: path)
            if format == .json {
                Console.out(try CommandValues.json(result))
            } else {
                var rows: [[String]] = [Self.row("all", result.overall, others: result.overall.otherMessages)]
                for language in result.byLanguage.keys.sorted() {
                    rows.append(
                        Self.row(
                            language, result.byLanguage[language]!, others: result.byLanguage[language]!.otherMessages))
                }
                for sign in result.bySign.keys.sorted() {
                    rows.append(Self.row(sign, result.bySign[sign]!, others: result.overall.otherMessages))
                }
                Console.out(
                    TextTable(
                        headers: ["GROUP", "SIGN MSGS", "RECALL", "RIGHT SIGN", "OTHER MSGS", "FALSE ALARMS"],
                        rows: rows
                    ).render())
                Console.out(
                    "\nfalse alarms by context: "
                        + result.byContext.keys.sorted().map {
                            "\($0) \(result.byContext[$0]!.falseAlarms)/\(result.byContext[$0]!.otherMessages)"
                        }.joined(separator: ", ") + "\n")
                Console.out(
                    String(
                        format: "speed: %.0f messages/s (one thread, debug or release as built)\n",
                        result.messagesPerSecond))
                if showErrors {
                    for miss in result.errors {
                        Console.out(
                            "\(miss.id) expected \(miss.expected ?? "none") found "
                                + "\(miss.found.map(\.rawValue).joined(separator: ",")): \(miss.text)\n")
                    }
                }
            }
            if result.overall.recall < minRecall || result.overall.falseAlarmRate > maxFalseAlarms {
                throw ExitCode(1)
            }
        }

        static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

        /// Agreement counts by group, one row each in key order.
        static func agreementTable(
            _ headers: [String], _ groups: [String: SignsService.AnswerEvaluation.Agreement]
        ) -> String {
            TextTable(
                headers: headers,
                rows: groups.keys.sorted().map { key in
                    [key, "\(groups[key]!.total)", percent(groups[key]!.rate)]
                }
            ).render()
        }

        static func row(_ name: String, _ counts: SignsService.Counts, others: Int) -> [String] {
            [
                name, "\(counts.signMessages)", counts.signMessages == 0 ? "" : percent(counts.recall),
                counts.signMessages == 0 ? "" : percent(counts.signRecall), "\(others)",
                others == 0 ? "" : "\(counts.falseAlarms) (\(percent(Double(counts.falseAlarms) / Double(others))))",
            ]
        }
    }
}
