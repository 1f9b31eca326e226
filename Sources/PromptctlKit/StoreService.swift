import Foundation
import PromptctlCore
import PromptctlStore

/// `promptctl store ...`: where the store is, its schema version, migrations.
public struct StoreService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// What `store migrate` did.
    public struct MigrationOutcome: Sendable, Codable, Equatable {
        /// The store, without any password.
        public var location: String
        /// Migrations applied now.
        public var applied: [String]
        /// Every migration the store has now.
        public var current: [String]
    }

    /// The store's location (for a command's own `--from`/`--to`, or the workspace's).
    public func location(_ text: String? = nil) throws -> StoreLocation {
        let config = try workspace.loadProject().config
        guard let text else { return try workspace.storeLocation(config: config) }
        return try StoreLocation.parse(text, root: workspace.root, environment: workspace.environment)
    }

    /// Applies the missing migrations to the workspace's store.
    public func migrate() throws -> MigrationOutcome {
        let location = try location()
        let applied = try StoreFactory.migrate(location)
        let store = try StoreFactory.open(location)
        return MigrationOutcome(
            location: location.displayLocation, applied: applied, current: try store.appliedMigrations())
    }

    /// The store's location and schema version (it must be current: an older or newer one is an error).
    public func status() throws -> MigrationOutcome {
        let location = try location()
        let store = try StoreFactory.open(location)
        return MigrationOutcome(location: location.displayLocation, applied: [], current: try store.appliedMigrations())
    }

    /// A migration outcome as text or JSON.
    public static func render(_ outcome: MigrationOutcome, as format: OutputFormat) throws -> String {
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return String(decoding: try encoder.encode(outcome), as: UTF8.self) + "\n"
        }
        var text = "store: \(outcome.location)\n"
        text += "schema: \(outcome.current.count) migrations, latest \(outcome.current.last ?? "none")\n"
        text +=
            outcome.applied.isEmpty
            ? "applied now: none\n" : "applied now: \(outcome.applied.joined(separator: ", "))\n"
        return text
    }
}
