import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlReports
import PromptctlReview
import PromptctlStore

/// Writes and regenerates reports.
public struct ReportService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// A run report's format, for `report RUN_ID --print`; `results` streams every result, one JSON per line.
    public enum PrintFormat: String, Sendable, CaseIterable {
        case html, markdown, json, junit, results
    }

    /// Recent runs, newest first.
    public func recentRuns(limit: Int = 50) throws -> [StoredRun] {
        let project = try workspace.loadProject()
        return try workspace.openStore(config: project.config).recentRuns(limit: limit)
    }

    /// Runs as a table or JSON.
    public static func render(_ runs: [StoredRun], as format: OutputFormat) throws -> String {
        try CommandRendering.runs(runs, as: format)
    }

    /// One format of a stored run's report, written to `output` piece by piece (`results` streams from the store).
    public func print(runID: String, as format: PrintFormat, to output: (Data) -> Void) throws {
        let project = try workspace.loadProject()
        let database = try workspace.openStore(config: project.config)
        guard let run = try database.run(id: runID) else {
            throw PromptctlError(.notFound, "no run '\(runID)'", remedy: "list runs with 'promptctl report --list'")
        }
        if format == .results {
            var buffer = Data()
            try database.forEachResultDetail(runID: run.id) { detail in
                buffer.append(detail)
                buffer.append(0x0A)
                if buffer.count >= 1 << 16 {
                    output(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if !buffer.isEmpty { output(buffer) }
            return
        }
        // The reports are written into a scratch folder from the store, and the one asked for is printed.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "promptctl-report-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratch) }
        _ = try rebuild(run: run, database: database, directory: scratch)
        let name = ["html": "report.html", "markdown": "report.md", "json": "report.json", "junit": "report.xml"][
            format.rawValue]!
        guard let data = FileManager.default.contents(atPath: scratch.appendingPathComponent(name).path) else {
            throw PromptctlError(.infrastructure, "cannot read the report just written in \(scratch.path)")
        }
        output(data)
    }

    /// Regenerates a stored run's reports into `DIR/RUN_ID/` and returns the paths.
    public func regenerate(runID: String, directory: String?) throws -> [String] {
        let project = try workspace.loadProject()
        let database = try workspace.openStore(config: project.config)
        guard let run = try database.run(id: runID) else {
            throw PromptctlError(.notFound, "no run '\(runID)'", remedy: "list runs with 'promptctl report --list'")
        }
        let base = URL(fileURLWithPath: workspace.absolute(directory ?? "reports")).appendingPathComponent(run.id)
        return try rebuild(run: run, database: database, directory: base).files
    }

    /// Streams a stored run's results from the store into fresh reports in `directory`.
    func rebuild(run: StoredRun, database: any PromptctlStoreEngine, directory: URL) throws -> (
        data: ReportData, files: [String]
    ) {
        let plan = try JSONDecoder().decode(EvalPlan.self, from: run.plan)
        let stream = try ReportStream(directory: directory, plan: plan)
        let decoder = JSONDecoder()
        try database.forEachResultDetail(runID: run.id) { detail in
            try stream.add(try decoder.decode(EvalItemResult.self, from: detail), encoded: detail)
        }
        let summary = try RunRecords.summarize(plan: plan, totals: stream.totals, runID: run.id, database: database)
        let data = try RunRecords.reportData(
            runID: run.id, startedAt: run.startedAt, gitRef: run.gitRef, plan: plan, summary: summary, stream: stream,
            database: database)
        return (data, try stream.finish(data))
    }
}
