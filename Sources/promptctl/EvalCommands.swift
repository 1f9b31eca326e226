import ArgumentParser
import Foundation
import PromptctlKit

/// Writes progress lines to stderr only when it is a terminal.
func terminalProgress() -> (@Sendable (String) -> Void) {
    let isTerminal = isatty(STDERR_FILENO) == 1
    return { line in
        if line.hasPrefix("\u{1B}[2K\r") {
            if isTerminal { FileHandle.standardError.write(Data(line.utf8)) }
        } else {
            Console.error((isTerminal ? "\u{1B}[2K\r" : "") + line)
        }
    }
}

/// Runs an async operation, cancelling it on Ctrl-C (SIGINT) or SIGTERM so the run stops cleanly, is marked
/// interrupted and can be resumed; a CI runner or `timeout` sends SIGTERM, which used to kill the run outright.
func runCancellableOnInterrupt<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task { try await operation() }
    var sources: [any DispatchSourceSignal] = []
    for (number, name) in [(SIGINT, "Ctrl-C"), (SIGTERM, "SIGTERM")] {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            Console.error("\ninterrupted (\(name)): stopping the calls in flight and saving what is done…")
            task.cancel()
        }
        source.resume()
        sources.append(source)
    }
    defer {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
    return try await task.value
}

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract:
            "Evaluate prompts: run suites, score with rubrics, compare with the baseline, write reports, gate CI.",
        discussion: """
            Exit 0 when every gate passes; 1 when a threshold is missed or the candidate regressed; 2 on a usage or
            configuration error (including a suite with no case); 3 when provider errors exceed the suite's allowed ratio.
            Errors count as failures in the pass rate. Reports go to reports/RUN_ID/ (HTML, Markdown, JSON, JUnit).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Suite files or names in eval-suites/ (default: all).") var suites: [String] = []
    @Option(name: .customLong("provider"), help: "Override the suites' providers (repeatable).") var providers:
        [String] = []
    @Option(help: "Provider for llm-judge criteria (without it they are skipped).") var judge: String?
    @Flag(name: .customLong("no-cache"), help: "Do not answer from the response cache.") var noCache = false
    @Option(name: .customLong("cache-ttl"), help: "Ignore cached answers older than this many seconds.") var cacheTTL:
        Double?
    @Option(help: ArgumentHelp("Continue an interrupted run.", valueName: "RUN_ID")) var resume: String?
    @Option(
        help: ArgumentHelp("Append every exchange to a recordings file (for the replay provider).", valueName: "FILE"))
    var record: String?
    @Flag(help: "CI mode: evaluate only prompts changed since --base.") var ci = false
    @Option(help: ArgumentHelp("The git ref CI compares with.", valueName: "REF")) var base: String = "origin/main"
    @Option(name: .customLong("reports"), help: ArgumentHelp("Reports folder (default: reports).", valueName: "DIR"))
    var reportsDirectory: String?
    @Flag(name: .customLong("no-guards"), help: "Do not run the release guards.") var noGuards = false
    @Option(
        help: ArgumentHelp(
            "Evaluate only shard I of N (cases split by a stable hash of their id) and write a bundle to "
                + "reports/RUN_ID/shard-I-of-N/ for 'report merge'.", valueName: "I/N"))
    var shard: String?
    @Option(
        name: .customLong("run-id"), help: ArgumentHelp("The run's id (shards of one run share it).", valueName: "ID"))
    var runID: String?
    @Option(help: "The summary on stdout.") var format: TableOrJSON = .table

    func run() async throws {
        var options = EvalOptions()
        if let shard { try options.shard(parsing: shard) }
        options.runID = runID
        options.suites = suites
        options.providers = providers
        options.judge = judge
        options.noCache = noCache
        options.cacheTTL = cacheTTL
        options.resume = resume
        options.record = record
        options.changedSince = ci ? base : nil
        options.reportsDirectory = reportsDirectory
        options.guards = !noGuards
        let service = EvalService(workspace: global.workspace, progress: terminalProgress())
        let frozen = options
        let outcomes = try await runCancellableOnInterrupt { try await service.run(frozen) }
        if isatty(STDERR_FILENO) == 1 { Console.error("") }
        if format == .json {
            Console.out(try outcomes.summariesJSON())
        } else {
            for outcome in outcomes { Console.out(outcome.terminalSummary) }
        }
        for outcome in outcomes { Console.error("reports: " + outcome.reportFiles.joined(separator: "\n         ")) }
        try outcomes.appendToStepSummary()
        if outcomes.exitStatus != .success { throw ExitCode(outcomes.exitStatus.rawValue) }
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Regenerate a run's reports from the store, list runs, or merge shard bundles into one run.",
        discussion: """
            promptctl report RUN_ID                 rewrite reports/RUN_ID/ from the store
            promptctl report RUN_ID --print results stream every result from the store, one JSON object per line
            promptctl report merge DIR...           join the bundles of 'eval --shard I/N' into one run and verdict
            merge exits like eval: 0 pass, 1 gate failed, 2 a shard missing, duplicated, unfinished or foreign.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("RUN_ID (a unique prefix is enough), or: merge DIR...", valueName: "RUN_ID"))
    var words: [String] = []
    @Flag(help: "List recent runs.") var list = false
    @Option(name: .customLong("reports"), help: ArgumentHelp("Reports folder (default: reports).", valueName: "DIR"))
    var reportsDirectory: String?
    @Option(help: "Print one format (or every result) to stdout instead of writing files.") var print:
        ReportService.PrintFormat?
    @Option(help: "Output format of the run list, and of merge's summary.") var format: TableOrJSON = .table

    func run() async throws {
        let service = ReportService(workspace: global.workspace)
        if words.first == "merge" {
            let outcome = try service.merge(Array(words.dropFirst()), reportsDirectory: reportsDirectory)
            Console.out(format == .json ? try [outcome].summariesJSON() : outcome.terminalSummary)
            Console.error("reports: " + outcome.reportFiles.joined(separator: "\n         "))
            try [outcome].appendToStepSummary()
            if outcome.report.summary.exitStatus != .success {
                throw ExitCode(outcome.report.summary.exitStatus.rawValue)
            }
            return
        }
        guard let runID = words.first, !list else {
            Console.out(try ReportService.render(try service.recentRuns(), as: format.output))
            return
        }
        guard words.count == 1 else {
            throw ValidationError("give one RUN_ID (or 'merge DIR...')")
        }
        if let print {
            try service.print(runID: runID, as: print) { FileHandle.standardOutput.write($0) }
            return
        }
        for file in try service.regenerate(runID: runID, directory: reportsDirectory) { Console.out(file + "\n") }
    }
}

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score one answer with a rubric (offline unless --judge names a provider); exit 1 when it fails.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Rubric name (rubrics/NAME.yaml) or path.") var rubric: String
    @Option(help: "Her message.") var user: String = ""
    @Option(help: "The answer to score.") var response: String
    @Option(help: "The conversation's language.") var language: String = "pt-BR"
    @Option(help: "Provider for llm-judge criteria.") var judge: String?
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() async throws {
        let result = try await ScoreService(workspace: global.workspace).score(
            rubric: rubric, user: user, response: response, language: language, judge: judge)
        Console.out(format == .json ? try CommandValues.json(result) : ScoreService.format(result))
        if !result.passed { throw ExitCode(ExitStatus.gateFailed.rawValue) }
    }
}

struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Render a prompt, send it to a provider, print the answer, usage, cost and latency.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID[@VERSION|@LABEL]") var reference: String
    @Option(name: .customLong("var"), help: ArgumentHelp("A variable value (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []
    @Option(name: .customLong("vars-file"), help: ArgumentHelp("A YAML mapping of variable values.", valueName: "FILE"))
    var varsFile: String?
    @Option(help: "The provider (default: the prompt's, then default_provider).") var provider: String?
    @Flag(help: "Print the answer as it streams.") var stream = false
    @Flag(name: .customLong("no-cache"), help: "Do not answer from the response cache.") var noCache = false
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() async throws {
        let workspace = global.workspace
        let values = try PromptService(workspace: workspace).variableValues(pairs: variables, file: varsFile)
        let streaming = stream && format != .json
        let printDelta: (@Sendable (String) -> Void)? = streaming ? { @Sendable piece in Console.out(piece) } : nil
        let result = try await CallService(workspace: workspace).call(
            reference: reference, values: values, provider: provider, noCache: noCache, onDelta: printDelta)
        if format == .json {
            Console.out(try CommandValues.json(result))
        } else {
            if !streaming, let text = result.text { Console.out(text) }
            Console.out("\n")
            let usage =
                result.usage.map {
                    "\($0.promptTokens) in (\($0.cachedPromptTokens) cached), \($0.completionTokens) out"
                } ?? "-"
            Console.error(
                "\(result.prompt) → \(result.provider)/\(result.model) · tokens \(usage) · cost $\(String(format: "%.6f", result.costUSD))"
                    + " · \(String(format: "%.0f", result.latencyMs)) ms · attempts \(result.attempts)\(result.cacheHit ? " · cache hit" : "")"
            )
        }
        if let error = result.error {
            throw PromptctlError(.provider, "the call failed after \(result.attempts) attempt(s): \(error)")
        }
    }
}

struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "The response cache.", subcommands: [Stats.self, Clear.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats", abstract: "Entries, size and what they cost when made.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func run() async throws {
            let stats = try CacheService(workspace: global.workspace).statistics()
            Console.out(try CacheService.render(stats, as: format.output))
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear",
            abstract: "Delete cached responses (all, or older than --older-than seconds).")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("older-than"), help: "Only entries older than this many seconds.") var olderThan:
            Double?

        func run() async throws {
            let removed = try CacheService(workspace: global.workspace).clear(olderThan: olderThan)
            Console.out("removed \(removed) cached responses\n")
        }
    }
}
