import ArgumentParser
import Foundation
import PromptctlKit

/// The root command: only configuration and error-to-exit-code mapping; the work is in PromptctlKit.
///
/// Every command names itself (`commandName:`): without it ArgumentParser derives the name with
/// `String(describing:)`, whose protocol-conformance lookups scan the whole binary once per command, about 8 ms
/// of every invocation's start before any work.
@main
struct Promptctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promptctl",
        abstract: "Write, test, release and watch LLM prompts: versioned templates, evaluation, guards, review, cost.",
        discussion: """
            Exit codes (stable API):
              0  success
              1  a gate failed: threshold missed, regression, guard blocked, alert fired
              2  usage or configuration error (bad flag, malformed YAML, unknown prompt)
              3  provider or infrastructure error (LLM API down, database unwritable)
            """,
        version: PromptctlVersion.string,
        subcommands: [
            PromptsCommand.self, EvalCommand.self, ScoreCommand.self, ReportCommand.self, CallCommand.self,
            CacheCommand.self, GuardCommand.self, MessagesCommand.self, CostCommand.self, MetricsCommand.self,
            ReviewCommand.self, SignsCommand.self, ServeCommand.self, StoreCommand.self,
        ]
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitWithError(error)
        }
    }

    static func exitWithError(_ error: any Error) -> Never {
        if let (message, status) = FailureReport.describe(error) {
            Console.error(message)
            Foundation.exit(status)
        }
        if let code = error as? ExitCode {
            Foundation.exit(code.rawValue)
        }
        // ArgumentParser's own errors: help and --version exit 0; anything else is usage (2, not 64).
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            print(message)
            Foundation.exit(0)
        }
        Console.error(message)
        Foundation.exit(ExitStatus.usageOrConfig.rawValue)
    }
}

/// Where diagnostics go (stderr) versus data (stdout).
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The project folder (default: current directory).", valueName: "DIR"))
    var project: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: a SQLite file or a postgres:// URL (default: PROMPTCTL_DB, then promptctl.yaml's store).",
            valueName: "PATH_OR_URL"))
    var db: String?

    var workspace: Workspace { Workspace(project: project, database: db) }
}

/// A command's own set of `--format` values, so its help lists only what it can print.
protocol FormatChoice: RawRepresentable<String>, CaseIterable, ExpressibleByArgument {}

extension FormatChoice {
    /// The same format in Kit's vocabulary.
    var output: OutputFormat { OutputFormat(rawValue: rawValue)! }
}

/// `--format` of commands that print a table or JSON.
enum TableOrJSON: String, FormatChoice {
    case table, json
}

/// `--format` of `guard check`.
enum TableJSONOrJSONL: String, FormatChoice {
    case table, json, jsonl
}

/// `--format` of `guard moderate`.
enum JSONLOrTable: String, FormatChoice {
    case jsonl, table
}

/// `--format` of `cost report`.
enum CostReportFormat: String, FormatChoice {
    case table, json, csv, html
}

/// `--format` of `review export`.
enum ExportFormat: String, FormatChoice {
    case csv, html, jsonl
}

extension GuardStage: ExpressibleByArgument {}
extension ModerationProviderName: ExpressibleByArgument {}
extension CostBucket: ExpressibleByArgument {}
extension CostGrouping: ExpressibleByArgument {}
extension ReportService.PrintFormat: ExpressibleByArgument {}
