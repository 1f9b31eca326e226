import Foundation
import PromptctlCore
import PromptctlStore

/// The project promptctl works on, and the paths and store that follow from it.
public struct Workspace: Sendable {
    /// The project root.
    public let root: URL
    /// Explicit database path from `--db`, if given.
    public let databaseOverride: String?
    /// The process environment (injected for tests).
    public let environment: [String: String]

    /// Creates a workspace for `--project DIR` (default: the current directory).
    public init(
        project: String? = nil, database: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let path = project ?? environment["PROMPTCTL_PROJECT"] ?? FileManager.default.currentDirectoryPath
        root = URL(fileURLWithPath: path).standardizedFileURL
        databaseOverride = database
        self.environment = environment
    }

    /// Loads the project strictly: any error in any file stops here with every diagnostic.
    public func loadProject() throws -> Project { try ProjectLoader.load(root: root) }

    /// A path relative to the project root unless already absolute.
    public func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : root.appendingPathComponent(path).path
    }

    /// The person running the command, for label history and approvals.
    public var currentUser: String {
        if let user = environment["PROMPTCTL_USER"], !user.isEmpty { return user }
        if let user = environment["GIT_AUTHOR_NAME"], !user.isEmpty { return user }
        if let user = environment["USER"], !user.isEmpty { return user }
        return "unknown"
    }
}
