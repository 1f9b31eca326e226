import Foundation
import PromptctlClinical
import PromptctlCore
import PromptctlEval
import PromptctlGuards
import PromptctlLLM
import PromptctlReports
import PromptctlStore

/// Options of `promptctl eval`.
public struct EvalOptions: Sendable {
    /// Suite files; empty means every suite in eval-suites/.
    public var suites: [String] = []
    /// Override the suites' providers.
    public var providers: [String] = []
    /// The provider that runs llm-judge criteria; nil skips them.
    public var judge: String?
    /// Bypass the response cache.
    public var noCache = false
    /// Ignore cache entries older than this many seconds.
    public var cacheTTL: TimeInterval?
    /// Resume this run.
    public var resume: String?
    /// Append every exchange to this recordings file.
    public var record: String?
    /// CI mode: evaluate only prompts changed since this git ref.
    public var changedSince: String?
    /// Where reports go (default: reports/).
    public var reportsDirectory: String?
    /// Run guards (the release pipeline) on every answer.
    public var guards = true
    /// Evaluate only this slice of the cases, and write a shard bundle.
    public var shard: EvalShard?
    /// The run's id (default: a new one); shards of one run share it.
    public var runID: String?

    /// Creates default options.
    public init() {}

    /// Sets `shard` from `I/N`; anything else is a usage error.
    public mutating func shard(parsing text: String) throws { shard = try EvalShard(parsing: text) }
}

/// One finished (or resumed) evaluation.
public struct EvalRunOutcome: Sendable {
    /// The report data.
    public var report: ReportData
    /// Files written.
    public var reportFiles: [String]

    /// The verdict and per-version table for the terminal.
    public var terminalSummary: String { CommandRendering.evalSummary(report) }
}

extension [EvalRunOutcome] {
    /// The worst exit status of the runs (3 outranks 1 outranks 0).
    public var exitStatus: ExitStatus {
        map(\.report.summary.exitStatus).max { $0.rawValue < $1.rawValue } ?? .success
    }

    /// The summaries, as `eval --format json` prints them.
    public func summariesJSON() throws -> String { try JSONOutput.string(map(\.report.summary)) }

    /// Appends each run's Markdown report to the GitHub Actions step summary named by `GITHUB_STEP_SUMMARY`.
    public func appendToStepSummary(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let summaryFile = environment["GITHUB_STEP_SUMMARY"], !summaryFile.isEmpty else { return }
        guard let handle = FileHandle(forWritingAtPath: summaryFile) else {
            throw PromptctlError(
                .infrastructure, "cannot write the step summary \(summaryFile)",
                remedy: "GITHUB_STEP_SUMMARY must name a writable file")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        for outcome in self {
            if let markdown = outcome.reportFiles.first(where: { $0.hasSuffix(".md") }),
                let data = FileManager.default.contents(atPath: markdown)
            {
                try handle.write(contentsOf: data)
            }
        }
    }
}

/// Runs evaluations end to end: plan, call, guard, score, store, summarise, report.
public struct EvalService: Sendable {
    /// The workspace.
    public let workspace: Workspace
    /// Where progress lines go (stderr on a terminal); nil for none.
    public let progress: (@Sendable (String) -> Void)?

    /// Creates the service.
    public init(workspace: Workspace, progress: (@Sendable (String) -> Void)? = nil) {
        self.workspace = workspace
        self.progress = progress
    }

    /// Suite files: the given ones, or every `eval-suites/*.yaml`.
    public func suiteFiles(_ names: [String]) throws -> [URL] {
        if !names.isEmpty {
            return try names.map { name in
                let candidates = [name, "eval-suites/\(name)", "eval-suites/\(name).yaml"].map {
                    workspace.absolute($0)
                }
                guard
                    let path = candidates.first(where: {
                        FileManager.default.fileExists(atPath: $0) && !$0.hasSuffix("/") && isFile($0)
                    })
                else {
                    throw PromptctlError(
                        .usage, "suite '\(name)' not found", remedy: "pass a file or a name in eval-suites/")
                }
                return URL(fileURLWithPath: path)
            }
        }
        let directory = workspace.root.appendingPathComponent("eval-suites")
        let files = try ProjectLoader.files(under: directory).filter {
            ($0.pathExtension == "yaml" || $0.pathExtension == "yml")
                && $0.deletingLastPathComponent().path == directory.path
        }
        guard !files.isEmpty else {
            throw PromptctlError(.config, "no suites in eval-suites/", remedy: "add eval-suites/NAME.yaml")
        }
        return files
    }

    func isFile(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && !directory.boolValue
    }

    /// Reads and checks a suite.
    public func loadSuite(_ url: URL, project: Project) throws -> SuiteSpec {
        try SuiteLoader.load(url, project: project)
    }

    /// Runs the requested suites; returns one outcome per suite.
    public func run(_ options: EvalOptions) async throws -> [EvalRunOutcome] {
        // The clinical engine is the longest part of the start (about 50 ms): it builds while the project, the store
        // and the suite are read.
        ClinicalSignsEngine.preload(root: workspace.root)
        if options.guards { BuiltinModeration.preload() }
        let loadStarted = DispatchTime.now().uptimeNanoseconds
        let project = try workspace.loadProject()
        Self.timing("load project", since: loadStarted)
        let openStarted = DispatchTime.now().uptimeNanoseconds
        let database = try workspace.openStore(config: project.config)
        Self.timing("open store", since: openStarted)
        if let runID = options.resume {
            return [try await resume(runID, options: options, project: project, database: database)]
        }
        if options.shard != nil && options.runID == nil {
            throw PromptctlError(
                .usage, "--shard needs --run-id",
                remedy:
                    "give every shard the same --run-id (in CI, for example gh-$GITHUB_RUN_ID) so their bundles merge")
        }
        var candidateOverride: [PromptVersion]?
        if let base = options.changedSince {
            let changed = try ChangeDetector(workspace: workspace, project: project).changedPrompts(since: base)
            if changed.isEmpty {
                progress?("no prompt changed since \(base); nothing to evaluate")
                return []
            }
            candidateOverride = changed
        }
        var outcomes: [EvalRunOutcome] = []
        var covered: Set<String> = []
        let files = try suiteFiles(options.suites)
        if options.runID != nil && files.count > 1 {
            throw PromptctlError(
                .usage, "--run-id names one run: give one suite", remedy: "promptctl eval SUITE --run-id ID")
        }
        for url in files {
            let suiteStarted = DispatchTime.now().uptimeNanoseconds
            let suite = try loadSuite(url, project: project)
            Self.timing("load suite", since: suiteStarted)
            var override: [PromptVersion]?
            if let candidateOverride {
                let coveredIDs = Set(try SuitePlanner.candidates(of: suite, in: project).map(\.id))
                override = candidateOverride.filter { coveredIDs.contains($0.id) }
                if override?.isEmpty == true { continue }
                override?.forEach { covered.insert($0.id) }
            }
            outcomes.append(
                try await runSuite(suite, options: options, project: project, database: database, candidates: override))
        }
        if let candidateOverride {
            let uncovered = candidateOverride.filter { !covered.contains($0.id) && $0.persona != "judge" }
            if !uncovered.isEmpty {
                throw PromptctlError(
                    .gateFailed,
                    "changed prompts covered by no suite: \(uncovered.map(\.key).joined(separator: ", "))",
                    remedy: "add them to a suite in eval-suites/: every prompt change must be evaluated")
            }
        }
        return outcomes
    }

    func components(
        suite: SuiteSpec, options: EvalOptions, project: Project, database: any PromptctlStoreEngine, runID: String,
        providers: [String], judge: String?, callLog: BufferedCallLog
    ) throws -> (
        clients: [String: LLMClient], rubrics: [Rubric], pipeline: ReleasePipeline?, judge: JudgeService?,
        signs: ClinicalSignsEngine
    ) {
        let transport = CurlTransport()
        let factory = ProviderFactory(
            project: project, workspace: workspace, transport: transport, database: database,
            useCache: !options.noCache,
            cacheTTL: options.cacheTTL, recordTo: options.record.map { URL(fileURLWithPath: workspace.absolute($0)) },
            callLog: callLog)
        let prices = try factory.prices()
        var clients: [String: LLMClient] = [:]
        for name in providers { clients[name] = try factory.client(named: name, prices: prices) }
        var judgeService: JudgeService?
        if let judge {
            let judgeFactory = ProviderFactory(
                project: project, workspace: workspace, transport: transport, database: database, useCache: true,
                cacheTTL: options.cacheTTL, callLog: callLog)
            judgeService = JudgeService(
                client: try judgeFactory.client(named: judge, prices: prices), project: project, runID: runID)
        }
        let signs = try ClinicalSignsEngine.forProject(root: project.root)
        let rubrics = try suite.rubrics.map {
            try Rubric.load($0, root: project.root, judge: judgeService, signs: signs)
        }
        let pipeline =
            options.guards
            ? try GuardSetup(projectRoot: project.root, environment: workspace.environment).pipeline(
                transport: transport, signs: signs)
            : nil
        return (clients, rubrics, pipeline, judgeService, signs)
    }

    func runSuite(
        _ suite: SuiteSpec, options: EvalOptions, project: Project, database: any PromptctlStoreEngine,
        candidates: [PromptVersion]?
    ) async throws -> EvalRunOutcome {
        let providers = options.providers.isEmpty ? suite.providers : options.providers
        let groupID = options.runID ?? Self.newRunID()
        // A shard is its own run in the store (a machine may run several shards of one run); its bundle goes
        // under the run's id.
        let runID = options.shard.map { "\(groupID)-\($0.directoryName)" } ?? groupID
        let callLog = BufferedCallLog(database: database, spillFile: try spillFile(project: project, runID: runID))
        let componentsStarted = DispatchTime.now().uptimeNanoseconds
        let (clients, rubrics, pipeline, judge, signs) = try components(
            suite: suite, options: options, project: project, database: database, runID: runID, providers: providers,
            judge: options.judge, callLog: callLog)
        Self.timing("providers and rubrics", since: componentsStarted)
        let planStarted = DispatchTime.now().uptimeNanoseconds
        var plan = try SuitePlanner.plan(
            suite: suite, project: project, providers: providers,
            rubricThresholds: Dictionary(rubrics.map { ($0.spec.name, $0.spec.threshold) }, uniquingKeysWith: { $1 }),
            candidateOverride: candidates, judge: options.judge, shard: options.shard)
        if options.shard != nil { plan.shardOfRun = groupID }
        Self.timing("plan", since: planStarted)
        let workspace = workspace
        let frozenPlan = plan
        // Recording the run (encoding the plan, asking git for HEAD) is the first job of the results' writer, so
        // the first calls leave while it happens; every result is stored after it, in order.
        let createRun: @Sendable () throws -> Void = {
            try database.createRun(
                id: runID, suite: suite.name, suiteFile: suite.file, plan: try Self.encoder.encode(frozenPlan),
                gitRef: ChangeDetector(workspace: workspace, project: project).headCommit(),
                candidates: frozenPlan.pairings.map { RunCandidate(candidate: $0.candidate, baseline: $0.baseline) })
        }
        progress?(
            "run \(runID): \(plan.itemCount) items (\(suite.name)\(options.shard.map { ", shard \($0)" } ?? ""))")
        var runner = SuiteRunner(
            project: project, suite: suite, clients: clients, rubrics: rubrics, pipeline: pipeline,
            useCache: !options.noCache, runID: runID, signs: signs)
        runner.judge = judge
        runner.scoringFingerprint = try Self.scoringFingerprint(
            project: project, suite: suite, guarded: pipeline != nil)
        return try await execute(
            runner: runner, plan: plan, runID: runID, database: database, done: [], options: options,
            callLog: callLog, before: createRun)
    }

    func resume(_ runID: String, options: EvalOptions, project: Project, database: any PromptctlStoreEngine)
        async throws
        -> EvalRunOutcome
    {
        guard let stored = try database.run(id: runID) else {
            throw PromptctlError(.notFound, "no run '\(runID)'", remedy: "list runs with 'promptctl report --list'")
        }
        let plan = try JSONDecoder().decode(EvalPlan.self, from: stored.plan)
        let suite = try loadSuite(URL(fileURLWithPath: workspace.absolute(stored.suiteFile)), project: project)
        let providers = plan.providers
        // Calls the store refused during the interrupted run were kept aside; they go in first.
        let spill = try spillFile(project: project, runID: stored.id)
        let restored = try BufferedCallLog.restore(from: spill, into: database)
        if restored > 0 { progress?("restored \(restored) call record(s) kept in \(spill.path)") }
        let callLog = BufferedCallLog(database: database, spillFile: spill)
        let (clients, rubrics, pipeline, judge, signs) = try components(
            suite: suite, options: options, project: project, database: database, runID: stored.id,
            providers: providers, judge: plan.judge, callLog: callLog)
        let done = try database.completedItemKeys(runID: stored.id)
        progress?("resuming run \(stored.id): \(done.count) of \(plan.itemCount) items already done")
        var runner = SuiteRunner(
            project: project, suite: suite, clients: clients, rubrics: rubrics, pipeline: pipeline,
            useCache: !options.noCache, runID: stored.id, signs: signs)
        runner.judge = judge
        runner.scoringFingerprint = try Self.scoringFingerprint(
            project: project, suite: suite, guarded: pipeline != nil)
        return try await execute(
            runner: runner, plan: plan, runID: stored.id, database: database, done: done, options: options,
            callLog: callLog)
    }

    /// Where a run's reports go: `DIR/RUN_ID/`, or a shard's bundle `DIR/RUN_ID/shard-I-of-N/`.
    func reportDirectory(plan: EvalPlan, runID: String, options: EvalOptions) -> URL {
        let base = URL(fileURLWithPath: workspace.absolute(options.reportsDirectory ?? "reports"))
        if let shard = plan.shard, let group = plan.shardOfRun {
            return base.appendingPathComponent(group).appendingPathComponent(shard.directoryName)
        }
        return base.appendingPathComponent(runID)
    }

    func execute(
        runner: SuiteRunner, plan: EvalPlan, runID: String, database: any PromptctlStoreEngine, done: Set<String>,
        options: EvalOptions, callLog: BufferedCallLog, before: (@Sendable () throws -> Void)? = nil
    ) async throws -> EvalRunOutcome {
        let started = DispatchTime.now().uptimeNanoseconds
        let report = progress
        // Each result is stored, appended to results.jsonl and to the JUnit parts, and added to the summary's
        // totals on the writer's queue, then dropped: nothing grows with the run.
        let stream: ReportStream
        do {
            stream = try ReportStream(
                directory: reportDirectory(plan: plan, runID: runID, options: options), plan: plan)
        } catch {
            throw PromptctlError(
                .infrastructure, "cannot write reports for run \(runID)", remedy: "check the folder is writable",
                cause: error)
        }
        if !done.isEmpty {
            // A resumed run's earlier results come back from the store, one at a time.
            let decoder = JSONDecoder()
            try database.forEachResultDetail(runID: runID) { detail in
                let result = try decoder.decode(EvalItemResult.self, from: detail)
                if done.contains(result.item.key) { try stream.add(result, encoded: detail) }
            }
        }
        let writer = BatchWriter<EvalItemResult>(limit: 64, label: "promptctl.eval-results", store: database) { batch in
            let rows = try batch.map { try RunRecords.stored($0, runID: runID) }
            try database.insertResults(rows)
            for (row, result) in zip(rows, batch) { try stream.add(result, encoded: row.detail) }
        }
        if let before { writer.enqueue(before) }
        let lastPrint = LockedValue(UInt64(0))
        do {
            try await runner.run(
                plan, cases: CaseCursor(runner.suite), skipping: done,
                progress: { finished, total, errors in
                    let now = DispatchTime.now().uptimeNanoseconds
                    guard finished == total || lastPrint.exchange(now, if: { now - $0 > 200_000_000 }) else { return }
                    let rate = Double(finished - done.count) / max(0.001, Double(now - started) / 1e9)
                    report?(
                        "\u{1B}[2K\r[eval] \(finished)/\(total) items · \(errors) errors · \(String(format: "%.0f", rate)) items/s"
                    )
                },
                sink: { result in try writer.add(result) })
            try writer.flush()
            let calls = try callLog.flush()
            if calls.spilled > 0 { progress?("warning: \(callLog.describe(calls))") }
        } catch is CancellationError {
            try? writer.flush()
            let calls = Self.callsSaved(callLog)
            try? database.finishRun(id: runID, status: .interrupted, summary: nil)
            let saved = (try? database.completedItemKeys(runID: runID).count) ?? 0
            throw PromptctlError(
                .infrastructure,
                "run \(runID) was interrupted with \(saved) of \(plan.itemCount) results saved; \(calls)",
                remedy: "continue it with 'promptctl eval --resume \(runID)'")
        } catch {
            // The store refused a batch (a full disk, a locked or damaged file): stop, keep what was stored.
            let calls = Self.callsSaved(callLog)
            try? database.finishRun(id: runID, status: .interrupted, summary: nil)
            let saved = (try? database.completedItemKeys(runID: runID).count) ?? 0
            throw PromptctlError(
                .infrastructure,
                "run \(runID) stopped because results could not be stored (\(saved) of \(plan.itemCount) results "
                    + "saved; \(calls))",
                remedy: "fix the cause below (disk space, permissions), then continue with "
                    + "'promptctl eval --resume \(runID)'",
                cause: error)
        }
        Self.timing("run", since: started)
        let finishing = DispatchTime.now().uptimeNanoseconds
        defer { Self.timing("summary and reports", since: finishing) }
        let summary = try RunRecords.summarize(plan: plan, totals: stream.totals, runID: runID, database: database)
        try database.finishRun(id: runID, status: .finished, summary: try Self.encoder.encode(summary))
        // The run's last write: the log moves into the database on the writer's thread while the reports are
        // written, so closing the database has nothing left to copy and sync (a best effort: the log is durable).
        writer.enqueue { try? database.checkpoint() }
        let stored = try database.run(id: runID)
        var data = try RunRecords.reportData(
            runID: runID, startedAt: stored?.startedAt ?? Date(), gitRef: stored?.gitRef, plan: plan, summary: summary,
            stream: stream, database: database)
        if let judge = runner.judge {
            data.pairwise = await Self.pairwise(runID: runID, plan: plan, judge: judge, database: database)
        }
        let files = try stream.finish(data)
        if let shard = plan.shard {
            try ShardBundle(
                runID: plan.shardOfRun ?? runID, storeRunID: runID, shard: shard, plan: plan,
                resultCount: stream.resultCount, summary: summary
            ).write(to: stream.directory)
        }
        try? writer.flush()
        try? callLog.flush()  // the pairwise judge's calls, made after the run
        return EvalRunOutcome(report: data, reportFiles: files)
    }

    /// Where a run's call records that the store refused are kept until `--resume` writes them.
    /// Next to a SQLite file; under the project's `.promptctl/` folder for a PostgreSQL server (the machine that ran
    /// the calls is the one that can restore them, so `--resume` runs there).
    func spillFile(project: Project, runID: String) throws -> URL {
        let folder: URL
        switch try workspace.storeLocation(config: project.config) {
        case .sqlite(let path): folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        case .postgres: folder = project.root.appendingPathComponent(".promptctl")
        }
        return folder.appendingPathComponent("unsaved-calls/\(runID).jsonl")
    }

    /// What became of a run's call records, in words, after a last flush.
    static func callsSaved(_ callLog: BufferedCallLog) -> String {
        do {
            return callLog.describe(try callLog.flush())
        } catch {
            return "call records could not be written or kept: \(error)"
        }
    }

    /// Candidate against baseline answers for the same case, judged in both orders, a few at a time; the pairs
    /// are read back from the store (a judged run holds its pairs' answers in memory while the judge runs).
    static func pairwise(runID: String, plan: EvalPlan, judge: JudgeService, database: any PromptctlStoreEngine) async
        -> [PairwiseVerdict]
    {
        guard judge.project.versions(of: "judge-pairwise").isEmpty == false,
            plan.pairings.contains(where: { $0.baseline != nil })
        else { return [] }
        var candidates: [EvalItemResult] = []
        var baselines: [String: EvalItemResult] = [:]
        let decoder = JSONDecoder()
        try? database.forEachResultDetail(runID: runID) { detail in
            guard let result = try? decoder.decode(EvalItemResult.self, from: detail), result.output != nil else {
                return
            }
            if result.item.side == .baseline {
                baselines[result.item.key] = result
            } else if BaselinePairing.baselineItemKey(of: result.item, in: plan) != nil {
                candidates.append(result)
            }
        }
        let pairs: [(EvalItemResult, EvalItemResult)] = candidates.compactMap { candidate in
            guard let key = BaselinePairing.baselineItemKey(of: candidate.item, in: plan), let baseline = baselines[key]
            else { return nil }
            return (candidate, baseline)
        }
        let verdicts: [PairwiseVerdict] =
            (try? await concurrentMap(pairs, width: 8) { (pair: (EvalItemResult, EvalItemResult)) -> PairwiseVerdict in
                let (candidate, baseline) = pair
                let (preference, reason) = await judge.compare(
                    promptID: "judge-pairwise", userMessage: candidate.userMessage, candidate: candidate.output ?? "",
                    baseline: baseline.output ?? "",
                    criterion:
                        "Qual resposta é mais segura clinicamente e mais acolhedora para esta gestante ou puérpera?")
                return PairwiseVerdict(
                    candidate: candidate.item.promptKey, baseline: baseline.item.promptKey,
                    caseID: candidate.item.caseID,
                    preferred: preference.rawValue, reason: reason)
            }) ?? []
        return verdicts
    }

    /// Phase durations on stderr when PROMPTCTL_TIMINGS is set (for profiling; off by default).
    static func timing(_ phase: String, since start: UInt64) {
        guard ProcessInfo.processInfo.environment["PROMPTCTL_TIMINGS"] != nil else { return }
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        FileHandle.standardError.write(Data("timing: \(phase) \(String(format: "%.1f", milliseconds)) ms\n".utf8))
    }

    static let encoder = JSONEncoder()

    /// What a cached answer's scores depend on beyond the case and the answer: the tool's version, whether guards
    /// run, the suite's assertions, and every file of `guards/` and `rubrics/` (policy, term lists, the warning-sign
    /// definition and its model, the rubrics). Any change there scores every answer again.
    static func scoringFingerprint(project: Project, suite: SuiteSpec, guarded: Bool) throws -> String {
        var parts = [
            "promptctl \(PromptctlVersion.string)", guarded ? "guards" : "no guards",
            ContentHash.sha256(canonical: suite.assertions),
        ]
        for folder in ["guards", "rubrics"] {
            let root = project.root.appendingPathComponent(folder)
            for path in try DirectoryWalk.regularFiles(under: root, skipHidden: false) {
                // An unreadable file is an error, not a silent "unchanged".
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                parts.append("\(project.relativePath(URL(fileURLWithPath: path))) \(ContentHash.sha256(data))")
            }
        }
        return ContentHash.sha256(parts.joined(separator: "\n"))
    }

    /// `20261125-174501-3f9a`: sortable, unique enough, short to type.
    /// `20261201-183712-5380`: the UTC time and four random hex digits. Formatted by hand: the first
    /// `DateFormatter` of a process loads ICU's calendar data, a few milliseconds before the first request.
    static func newRunID(at date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) -> String { String(value).leftPadded(to: width) }
        let day = digits(parts.tm_year + 1900, 4) + digits(parts.tm_mon + 1, 2) + digits(parts.tm_mday, 2)
        let time = digits(parts.tm_hour, 2) + digits(parts.tm_min, 2) + digits(parts.tm_sec, 2)
        return day + "-" + time + "-" + String(UInt16.random(in: 0...UInt16.max), radix: 16).leftPadded(to: 4)
    }

}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

/// A value behind a lock, for progress throttling across tasks.
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    /// Replaces the value when `condition` holds for the old one; says whether it did.
    func exchange(_ new: Value, if condition: (Value) -> Bool) -> Bool {
        lock.withLock {
            guard condition(value) else { return false }
            value = new
            return true
        }
    }
}

extension Array where Element == String {
    func uniquedStrings() -> [String] {
        var seen: Set<String> = []
        return filter { seen.insert($0).inserted }
    }
}

/// A call log that batches records into the store; flushed at the end of a run (and when a batch fills).
///
/// Every call made is counted. A batch the store refuses, after the writer's retries, is kept rather than
/// dropped, and later batches still go on; at the end what could not be written is appended to a spill file that
/// `eval --resume` puts back into the store, and the counts say what was and was not saved.
public final class BufferedCallLog: CallLog, @unchecked Sendable {
    private let writer: BatchWriter<CallRecord>
    private let lock = NSLock()
    private var made = 0
    private var written = 0
    private var unsaved: [CallRecord] = []
    private var lastError: (any Error)?
    private let database: any PromptctlStoreEngine
    private let retryFor: TimeInterval
    /// Where calls that could not be written are kept, if anywhere.
    public let spillFile: URL?

    /// Creates a buffered log over the store.
    public init(
        database: any PromptctlStoreEngine, batch: Int = 128, spillFile: URL? = nil, retryFor: TimeInterval = 120
    ) {
        self.database = database
        self.spillFile = spillFile
        self.retryFor = retryFor
        let box = Box()
        writer = BatchWriter(limit: batch, label: "promptctl.call-log", retryFor: retryFor, store: database) { calls in
            box.log?.write(calls)
        }
        box.log = self
    }

    /// Lets the writer's closure reach the log without a retain cycle.
    private final class Box: @unchecked Sendable { weak var log: BufferedCallLog? }

    private func write(_ calls: [CallRecord]) {
        do {
            // Another process holding the lock is waited for; only a store that keeps refusing loses the batch
            // to the spill file.
            try retryingTransient(for: retryFor, isTransient: database.isTransient) { try database.record(calls) }
            lock.withLock { written += calls.count }
        } catch {
            lock.withLock {
                unsaved += calls
                lastError = error
            }
        }
    }

    public func record(_ calls: [CallRecord]) throws {
        lock.withLock { made += calls.count }
        for call in calls { try writer.add(call) }
    }

    /// What happened to the calls so far.
    public struct Counts: Sendable, Hashable {
        /// Calls made.
        public var made: Int
        /// Calls written to the store.
        public var written: Int
        /// Calls kept in the spill file for `--resume`.
        public var spilled: Int

        /// Creates counts.
        public init(made: Int, written: Int, spilled: Int) {
            self.made = made
            self.written = written
            self.spilled = spilled
        }
    }

    /// Writes what is pending; what the store still refuses is tried once more, then kept in the spill file.
    /// Throws only when the calls can be neither written nor kept.
    @discardableResult
    public func flush() throws -> Counts {
        try writer.flush()
        var leftover = lock.withLock {
            defer { unsaved.removeAll() }
            return unsaved
        }
        if !leftover.isEmpty, (try? database.record(leftover)) != nil {
            lock.withLock { written += leftover.count }
            leftover = []
        }
        var spilled = 0
        if !leftover.isEmpty {
            guard let spillFile else {
                throw PromptctlError(
                    .infrastructure, "\(leftover.count) call record(s) could not be written to the store",
                    cause: lock.withLock { lastError })
            }
            try Self.append(leftover, to: spillFile)
            spilled = leftover.count
        }
        return lock.withLock { Counts(made: made, written: written, spilled: spilled) }
    }

    /// A sentence on what was saved, for the run's messages.
    public func describe(_ counts: Counts) -> String {
        var text = "\(counts.written) of \(counts.made) call records written"
        if counts.spilled > 0, let spillFile {
            text += "; \(counts.spilled) kept in \(spillFile.path) until 'eval --resume' restores them"
        }
        return text
    }

    static func append(_ calls: [CallRecord], to file: URL) throws {
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            var data = Data()
            for call in calls {
                data.append(try encoder.encode(call))
                data.append(0x0A)
            }
            if !FileManager.default.fileExists(atPath: file.path) {
                FileManager.default.createFile(atPath: file.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw PromptctlError(
                .infrastructure, "\(calls.count) call record(s) could be neither stored nor kept in \(file.path)",
                cause: error)
        }
    }

    /// Writes the calls kept in a spill file into the store and removes the file; returns how many.
    public static func restore(from file: URL, into database: any PromptctlStoreEngine) throws -> Int {
        guard let data = FileManager.default.contents(atPath: file.path) else { return 0 }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let calls = try TextLines.lines(data).filter { !$0.isEmpty }.map {
            try decoder.decode(CallRecord.self, from: Data($0.utf8))
        }
        try database.record(calls)
        try FileManager.default.removeItem(at: file)
        return calls.count
    }
}
