import Foundation
import GRDB
import PromptctlCore

extension AppDatabase {
    /// Refuses a database that a newer promptctl migrated: this build would misread what it does not know.
    static func refuseNewerSchema(_ pool: DatabasePool, path: String) throws {
        let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
        guard superseded else { return }
        let known = Set(migrator.migrations)
        let unknown = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").filter { !known.contains($0) }
        }
        throw PromptctlError(
            .infrastructure,
            "the database at \(path) has a newer schema than this promptctl (\(unknown.joined(separator: ", ")))",
            remedy: "upgrade promptctl to the version that migrated it; this one would misread its data")
    }

    /// The migrations applied to the file at `path`, without opening it for writing or migrating it; empty when
    /// the file does not exist yet.
    public static func appliedMigrations(atPath path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let queue = try DatabaseQueue(path: path, configuration: readOnly)
        return try queue.read { db in
            guard try db.tableExists("grdb_migrations") else { return [] }
            return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        }
    }

    private static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    /// The names of this build's migrations, in order.
    public static var knownMigrations: [String] { migrator.migrations }
}
