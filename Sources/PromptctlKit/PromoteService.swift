import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlStore

/// `prompts promote`: moves a label to a version only when its latest evaluation passed and is not worse
/// than what the label points at now, and records who approved it.
public struct PromoteService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// The evidence found for a version: the run, and what stands in the way.
    public struct Evidence: Sendable {
        public var runID: String?
        public var problems: [String]
    }

    /// Checks the latest finished evaluation of `prompt` as a candidate, from the verdict recorded with the run.
    public func evidence(for prompt: PromptVersion, label: String, project: Project, database: any PromptctlStoreEngine)
        throws
        -> Evidence
    {
        guard let (run, baseline) = try database.latestFinishedRun(candidate: prompt.key) else {
            return Evidence(runID: nil, problems: ["no finished evaluation has \(prompt.key) as a candidate"])
        }
        guard let stored = run.summary, let summary = try? JSONDecoder().decode(EvalSummary.self, from: stored) else {
            // A summary this version cannot read (an older or newer promptctl) is no evidence of a pass.
            return Evidence(
                runID: run.id,
                problems: ["run \(run.id) has no verdict this promptctl can read; evaluate \(prompt.key) again"])
        }
        // The recorded gate failures that stand in its way: its own, and the run-wide ones (missing results,
        // provider errors). A failure of another candidate in the same run does not.
        var problems = summary.gateFailures.filter { $0.concerns(prompt.key) }.map(\.message)
        if let current = project.labels.version(of: prompt.id, label: label), current != prompt.version {
            let expected = "\(prompt.id)@\(current)"
            if baseline != expected {
                problems.append(
                    "run \(run.id) compared \(prompt.key) with \(baseline ?? "no baseline"), but \(label) is now \(expected); evaluate again"
                )
            }
        }
        return Evidence(runID: run.id, problems: problems)
    }

    /// Promotes, or refuses with every reason.
    public func promote(
        _ reference: String, to label: String, approver: String?, note: String?, breakGlass: String?
    ) throws -> (LabelMove, Evidence) {
        let project = try workspace.loadProject()
        let prompt = try project.resolve(try PromptReference(parsing: reference))
        let database = try workspace.openStore(config: project.config)
        let by = approver ?? workspace.currentUser
        if let breakGlass {
            guard !breakGlass.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw PromptctlError(.usage, "--break-glass needs a reason")
            }
            let move = try project.moveLabel(
                prompt, to: label, reason: "BREAK-GLASS: \(breakGlass)", by: by,
                approval: LabelMove.Approval(
                    by: by, note: "break-glass without a passing evaluation: \(breakGlass)", run: nil),
                allowProtected: true)
            return (move, Evidence(runID: nil, problems: []))
        }
        let evidence = try evidence(for: prompt, label: label, project: project, database: database)
        guard evidence.problems.isEmpty else {
            throw PromptctlError(
                .gateFailed, "refusing to move \(label) to \(prompt.key)",
                remedy: evidence.problems.joined(separator: "\n       ")
                    + "\n       run 'promptctl eval' with \(prompt.key) as a candidate and fix what fails",
                diagnostics: [])
        }
        let move = try project.moveLabel(
            prompt, to: label, reason: note ?? "promoted after evaluation \(evidence.runID ?? "")", by: by,
            approval: LabelMove.Approval(by: by, note: note, run: evidence.runID), allowProtected: true)
        return (move, evidence)
    }
}
