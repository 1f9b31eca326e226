import Foundation
import PromptctlCore
import PromptctlGuards
import PromptctlLLM

/// Builds the release pipeline from the project's guard policy.
public struct GuardService: Sendable {
    /// The workspace.
    public let workspace: Workspace
    /// The project.
    public let project: Project

    /// Creates the service.
    public init(workspace: Workspace, project: Project) {
        self.workspace = workspace
        self.project = project
    }

    /// The pipeline every release goes through.
    public func pipeline(transport: any HTTPTransport) throws -> ReleasePipeline {
        ReleasePipeline(inputGuards: [], outputGuards: [])
    }
}
