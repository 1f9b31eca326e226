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

    /// Where the database lives: `--db`, then `PROMPTCTL_DB`, then `store:` in promptctl.yaml.
    public func databasePath(config: ProjectConfig) -> String {
        if let databaseOverride { return absolute(databaseOverride) }
        if let fromEnvironment = environment["PROMPTCTL_DB"], !fromEnvironment.isEmpty {
            return absolute(fromEnvironment)
        }
        return absolute(config.store)
    }

    /// Opens (and migrates) the SQLite store, for the commands that have not moved to `openStore` yet; a
    /// PostgreSQL location is a usage error that says so, never a file named like a URL.
    public func openDatabase(config: ProjectConfig) throws -> AppDatabase {
        switch try storeLocation(config: config) {
        case .sqlite(let path): return try AppDatabase(path: path)
        case .postgres(let location):
            throw PromptctlError(
                .usage, "this command does not run on a PostgreSQL store yet (\(location.displayLocation))",
                remedy: "run it on a SQLite file (--db PATH); promptctl store copy moves data between the two")
        }
    }

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
