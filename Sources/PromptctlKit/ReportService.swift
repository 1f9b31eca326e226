import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlReports
import PromptctlStore

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

    /// Writes every format into `DIR/RUN_ID/` and returns the paths.
    public func write(_ data: ReportData, directory: String?) throws -> [String] {
        let base = URL(fileURLWithPath: workspace.absolute(directory ?? "reports")).appendingPathComponent(data.runID)
        do {
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
            var paths: [String] = []
            for name in ["html", "markdown", "json", "junit"] {
                let formatter = Self.formatters[name]!
                let file = base.appendingPathComponent("report.\(formatter.fileExtension)")
                try Data(try formatter.render(data).utf8).write(to: file, options: .atomic)
                paths.append(file.path)
            }
            return paths
        } catch {
            throw PromptctlError(
                .infrastructure, "cannot write reports into \(base.path)", remedy: "check the folder is writable",
                cause: error)
        }
    }

    /// Rebuilds a run's report data from the store.
    public func load(runID: String, database: AppDatabase) throws -> ReportData {
        guard let run = try database.run(id: runID) else {
            throw PromptctlError(.notFound, "no run '\(runID)'", remedy: "list runs with 'promptctl report --list'")
        }
        let plan = try JSONDecoder().decode(EvalPlan.self, from: run.plan)
        let results = try database.resultDetails(runID: run.id).map {
            try JSONDecoder().decode(EvalItemResult.self, from: $0)
        }
        let summary = EvalSummary.compute(plan: plan, results: results)
        return ReportData(
            runID: run.id, startedAt: run.startedAt, gitRef: run.gitRef, plan: plan, summary: summary, results: results)
    }
}
