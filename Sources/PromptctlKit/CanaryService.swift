import Foundation
import PromptctlCore

/// `prompts canary`: sends a share of a prompt's production conversations to a candidate version, and ends the
/// rollout when the gateway finds the candidate worse. Every step is a move in `prompts/labels.yaml`.
public struct CanaryService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// Starts or changes a rollout: `percent` of conversations (by a stable hash of their id) get the version.
    public func canary(_ reference: String, percent: Int, reason: String?, by: String? = nil) throws -> LabelMove {
        let project = try workspace.loadProject()
        let prompt = try project.resolve(try PromptReference(parsing: reference))
        guard (1...100).contains(percent) else {
            throw PromptctlError(.usage, "--percent must be from 1 to 100, got \(percent)", remedy: "e.g. --percent 10")
        }
        guard project.lock.released[prompt.key] != nil else {
            throw PromptctlError(
                .usage, "\(prompt.key) is not released; a canary serves only released versions",
                remedy: "run 'promptctl prompts release \(prompt.key)' first")
        }
        guard let production = project.labels.version(of: prompt.id, label: "production") else {
            throw PromptctlError(
                .usage, "\(prompt.id) has no production version to compare the canary with",
                remedy: "promote a first version with 'promptctl prompts promote \(prompt.id)@VERSION'")
        }
        guard production != prompt.version else {
            throw PromptctlError(.usage, "production already serves \(prompt.key); a canary needs another version")
        }
        let previous = project.labels.moves.last { $0.prompt == prompt.id && $0.label == CanaryRollout.label }
        if previous?.to == prompt.version.description, previous?.percent == percent {
            throw PromptctlError(.usage, "the canary of \(prompt.id) already sends \(percent)% to \(prompt.key)")
        }
        let move = LabelMove(
            prompt: prompt.id, label: CanaryRollout.label, from: previous?.to, to: prompt.version.description,
            at: Timestamp.now(), by: by ?? workspace.currentUser,
            reason: reason?.isEmpty == false
                ? reason! : "canary: \(percent)% of production conversations to \(prompt.key)",
            percent: percent)
        var book = project.labels
        book.append(move)
        try book.save(to: project.labelsFile)
        return move
    }

    /// Ends a rollout, recording why; production keeps its version.
    public func rollBack(_ rollout: CanaryRollout, reason: String, by: String = "promptctl serve") throws {
        let project = try workspace.loadProject()
        try LabelBook.rollBack(rollout, reason: reason, by: by, labelsFile: project.labelsFile, current: project.labels)
    }
}
