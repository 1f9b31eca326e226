import ArgumentParser
import Foundation
import PromptctlKit

struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "The weekly nurse review: sample, export, import, agreement, web form.",
        subcommands: [
            Sample.self, Export.self, Import.self, Agreement.self, Invite.self, Serve.self, Push.self, Pull.self,
            Notion.self, PrivacyCheck.self,
        ])

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample",
            abstract: "Draw the week's sample (stratified, escalations oversampled, seeded; a week is drawn once).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "ISO week, e.g. 2026-W48.") var week: String
        @Option(help: "How many items.") var size: Int = 20
        @Option(help: "Seed (default: the week).") var seed: String?
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func run() async throws {
            let items = try ReviewService(workspace: global.workspace).sample(week: week, size: size, seed: seed)
            Console.out(try ReviewService.render(items, as: format.output))
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export the week's items with identifiers pseudonymised and personal data masked.",
            discussion: "Needs PROMPTCTL_PSEUDONYM_KEY. CSV opens in Excel (pt-BR): UTF-8 with BOM, ';' separator.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "ISO week.") var week: String
        @Option(help: "Output format.") var format: ExportFormat = .csv
        @Option(help: "Write to a file instead of stdout.") var output: String?

        func run() async throws {
            let text = try ReviewService(workspace: global.workspace).export(week: week, format: format.output)
            if let output {
                try Data(text.utf8).write(to: URL(fileURLWithPath: global.workspace.absolute(output)))
                Console.error("wrote \(output)")
            } else {
                Console.out(text)
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import a filled review CSV (idempotent; one invalid row and nothing is written).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            let (rows, saved) = try ReviewService(workspace: global.workspace).importFeedback(file)
            Console.out(
                "read \(rows) rows: \(saved.new) new, \(saved.updated) updated (the earlier answers stay in the history), "
                    + "\(saved.unchanged) already present\n")
        }
    }

    struct Agreement: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agreement",
            abstract: "Agreement of nurse ratings with the rubric: Spearman's rho and quadratic-weighted kappa.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this ISO week.") var week: String?
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func run() async throws {
            let results = try ReviewService(workspace: global.workspace).agreement(week: week)
            Console.out(try ReviewService.render(results, as: format.output))
        }
    }

    struct PrivacyCheck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "privacy-check",
            abstract: "Measures the LGPD masking on labelled messages; exit 1 below the thresholds.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: #"JSONL: {"id","lang","text","names","identifiers","keep"} per line."#) var file: String
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func run() async throws {
            let result = try PrivacyCheckService(workspace: global.workspace).check(file)
            if format == .json {
                Console.out(try CommandValues.json(result))
            } else {
                for miss in result.misses { Console.out("\(miss.what) \(miss.id): \(miss.text)  →  \(miss.masked)\n") }
                Console.out(
                    String(
                        format:
                            "names masked %d/%d (%.1f%%), identifiers %d/%d (%.1f%%), look-alike words masked %d/%d (%.1f%%): %@",
                        result.namesMasked, result.names, result.nameRecall * 100, result.identifiersMasked,
                        result.identifiers, result.identifierRecall * 100, result.keepMasked, result.keep,
                        result.falseMaskRate * 100, result.passed ? "pass" : "FAIL") + "\n")
            }
            if !result.passed { throw ExitCode(1) }
        }
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "invite", abstract: "Create a reviewer's personal link for a week.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The nurse's name.") var reviewer: String
        @Option(help: "ISO week.") var week: String
        @Option(help: "The port review serve will use.") var port: Int = 8480

        func run() async throws {
            let token = try ReviewService(workspace: global.workspace).invite(reviewer: reviewer, week: week)
            Console.out("http://127.0.0.1:\(port)/r/\(token)\n")
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the review form on 127.0.0.1 (each nurse opens her own link from 'review invite').")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Port.") var port: Int = 8480

        func run() async throws {
            try await ReviewWebService(workspace: global.workspace).serve(port: port) { url in
                Console.error("review form on \(url) (Ctrl-C to stop); /metrics serves Prometheus metrics")
            }
        }
    }
}
