import Foundation
import PromptctlCore
import PromptctlReports
import PromptctlStore

/// `cache stats` and `cache clear`: the response cache in the store.
public struct CacheService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// Entries, size and what they cost when made.
    public func statistics() throws -> CacheStatistics {
        try workspace.openStore(config: try workspace.loadProject().config).cacheStatistics()
    }

    /// The statistics as text or JSON.
    public static func render(_ stats: CacheStatistics, as format: OutputFormat) throws -> String {
        try CommandRendering.cacheStatistics(stats, as: format)
    }

    /// Deletes cached responses (all, or those older than `age` seconds) and returns how many.
    public func clear(olderThan age: TimeInterval?) throws -> Int {
        let database = try workspace.openStore(config: try workspace.loadProject().config)
        return try database.clearCache(olderThan: age.map { Date().addingTimeInterval(-$0) })
    }
}
