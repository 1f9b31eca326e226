import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlReports
import PromptctlReview
import PromptctlStore

#if canImport(Glibc)
    import Glibc
#endif

/// Writes and regenerates reports.
public struct ReportService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// Every formatter.
    public static let formatters: [String: any ReportFormatter] = [
        "html": HTMLReport(), "markdown": MarkdownReport(), "json": JSONReport(), "junit": JUnitReport(),
    ]

    /// A run report's format, for `report RUN_ID --print`.
    public enum PrintFormat: String, Sendable, CaseIterable {
        case html, markdown, json, junit
    }

    /// Recent runs, newest first.
    public func recentRuns(limit: Int = 50) throws -> [StoredRun] {
        let project = try workspace.loadProject()
        return try workspace.openDatabase(config: project.config).recentRuns(limit: limit)
    }

    /// Runs as a table or JSON.
    public static func render(_ runs: [StoredRun], as format: OutputFormat) throws -> String {
        try CommandRendering.runs(runs, as: format)
    }

    /// One format of a stored run's report.
    public func render(runID: String, as format: PrintFormat) throws -> String {
        let project = try workspace.loadProject()
        let data = try load(runID: runID, database: try workspace.openDatabase(config: project.config))
        return try Self.formatters[format.rawValue]!.render(data)
    }

    /// Regenerates a stored run's reports into `DIR/RUN_ID/` and returns the paths.
    public func regenerate(runID: String, directory: String?) throws -> [String] {
        let project = try workspace.loadProject()
        return try write(
            try load(runID: runID, database: try workspace.openDatabase(config: project.config)), directory: directory)
    }

    /// The review loop's agreement, as the reports show it (empty without nurse feedback).
    public static func nurseAgreement(_ database: AppDatabase) -> [NurseAgreement] {
        guard let rows = try? database.feedback(week: nil), !rows.isEmpty else { return [] }
        return AgreementAnalysis.analyze(rows).map {
            NurseAgreement(
                rubric: $0.rubric, pairs: $0.pairs, spearman: $0.spearman, weightedKappa: $0.weightedKappa,
                disagrees: $0.disagrees, note: $0.note)
        }
    }

    /// Writes every format into `DIR/RUN_ID/` and returns the paths.
    public func write(_ data: ReportData, directory: String?) throws -> [String] {
        let base = URL(fileURLWithPath: workspace.absolute(directory ?? "reports")).appendingPathComponent(data.runID)
        do {
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            let names = ["html", "markdown", "json", "junit"]
            let files = names.map { base.appendingPathComponent("report.\(Self.formatters[$0]!.fileExtension)") }
            // The four formats are independent: render them on all cores.
            let failures = LockedList<any Error>()
            DispatchQueue.concurrentPerform(iterations: names.count) { index in
                do {
                    let started = DispatchTime.now().uptimeNanoseconds
                    let text = try Self.formatters[names[index]]!.render(data)
                    try Self.replace(files[index], with: Data(text.utf8))
                    EvalService.timing("report \(names[index])", since: started)
                } catch {
                    failures.append(error)
                }
            }
            if let first = failures.values.first { throw first }
            let paths = files.map(\.path)
            return paths
        } catch {
            throw PromptctlError(
                .infrastructure, "cannot write reports into \(base.path)", remedy: "check the folder is writable",
                cause: error)
        }
    }

    /// Writes a file under a temporary name and renames it over the old one: a reader sees the old report or
    /// the new one, never half of one. Unlike `Data.write(options: .atomic)` it does not wait for the disk
    /// (fsync): a report lost to a power cut is rebuilt from the store with `promptctl report RUN_ID`.
    static func replace(_ url: URL, with data: Data) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        // POSIX calls: Foundation's writes sync the file to disk, which a rebuildable report does not need.
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PromptctlError(
                .infrastructure, "cannot write \(temporary.path) (errno \(errno))",
                remedy: "check the folder is writable")
        }
        defer { close(descriptor) }  // after the rename, which an open file does not hinder
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    throw PromptctlError(
                        .infrastructure, "cannot write \(temporary.path) (errno \(errno))",
                        remedy: "check the disk has room")
                }
                offset += written
            }
        }
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw PromptctlError(
                .infrastructure, "cannot move the report into place at \(url.path) (errno \(code))",
                remedy: "check the folder is writable")
        }
    }

    /// Rebuilds a run's report data from the store.
    public func load(runID: String, database: AppDatabase) throws -> ReportData {
        guard let run = try database.run(id: runID) else {
            throw PromptctlError(.notFound, "no run '\(runID)'", remedy: "list runs with 'promptctl report --list'")
        }
        let plan = try JSONDecoder().decode(EvalPlan.self, from: run.plan)
        let details = try database.resultDetails(runID: run.id)
        let decoder = JSONDecoder()
        let results = try details.map { try decoder.decode(EvalItemResult.self, from: $0) }
        let summary = EvalSummary.compute(plan: plan, results: results)
        var data = ReportData(
            runID: run.id, startedAt: run.startedAt, gitRef: run.gitRef, plan: plan, summary: summary, results: results)
        data.encodedResults = details
        data.nurseAgreement = Self.nurseAgreement(database)
        return data
    }
}

/// A list appended to from several threads.
final class LockedList<Element>: @unchecked Sendable {
    private var storage: [Element] = []
    private let lock = NSLock()

    func append(_ element: Element) { lock.withLock { storage.append(element) } }

    var values: [Element] { lock.withLock { storage } }
}
