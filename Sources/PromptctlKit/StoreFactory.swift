import Foundation
import PromptctlCore
import PromptctlPostgres
import PromptctlStore

/// Where the store is: an embedded SQLite file (the zero-setup default) or a shared PostgreSQL server.
public enum StoreLocation: Sendable, Equatable {
    /// A SQLite file, by absolute path.
    case sqlite(path: String)
    /// A PostgreSQL database, from a `postgres://` or `postgresql://` URL.
    case postgres(PostgresLocation)

    /// Reads a location string: a PostgreSQL URL, or else a file path (made absolute against `root`).
    public static func parse(
        _ text: String, root: URL, passwordEnvironment: String? = nil, environment: [String: String]
    ) throws -> StoreLocation {
        if PostgresLocation.isPostgresURL(text) {
            return .postgres(
                try PostgresLocation(url: text, passwordEnvironment: passwordEnvironment, environment: environment))
        }
        if text.contains("://") {
            throw PromptctlError(
                .usage, "the store \(PostgresLocation.redacted(text)) is neither a file path nor a PostgreSQL URL",
                remedy: "give a SQLite file path, or postgres://USER@HOST:PORT/DATABASE")
        }
        return .sqlite(path: text.hasPrefix("/") ? text : root.appendingPathComponent(text).path)
    }

    /// The location without any password, for messages and reports.
    public var displayLocation: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.displayLocation
        }
    }

    /// Whether this is a PostgreSQL server.
    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }
}

/// Opens stores by location: the one place that knows which engines exist.
public enum StoreFactory {
    /// Opens the store at a location. SQLite files are created and migrated on open (zero setup); a PostgreSQL
    /// database must have been migrated with `promptctl store migrate` (or `migrate: true`), and a database of a
    /// newer promptctl is refused on both engines (exit 3).
    public static func open(_ location: StoreLocation, migrate: Bool = false) throws -> any PromptctlStoreEngine {
        switch location {
        case .sqlite(let path): try AppDatabase(path: path)
        case .postgres(let postgres): try PostgresStore(location: postgres, migrate: migrate)
        }
    }

    /// Applies the missing migrations; returns the names applied now.
    public static func migrate(_ location: StoreLocation) throws -> [String] {
        switch location {
        case .sqlite(let path):
            let before = Set(try AppDatabase.appliedMigrations(atPath: path))
            let database = try AppDatabase(path: path)
            return try database.appliedMigrations().filter { !before.contains($0) }
        case .postgres(let postgres):
            return try PostgresStore.migrate(postgres)
        }
    }
}

extension Workspace {
    /// The store's location: `--db`, then `PROMPTCTL_DB`, then `store:` in promptctl.yaml.
    public func storeLocation(config: ProjectConfig) throws -> StoreLocation {
        let text: String
        if let databaseOverride {
            text = databaseOverride
        } else if let fromEnvironment = environment["PROMPTCTL_DB"], !fromEnvironment.isEmpty {
            text = fromEnvironment
        } else {
            text = config.store
        }
        return try StoreLocation.parse(
            text, root: root, passwordEnvironment: config.storePasswordEnv, environment: environment)
    }

    /// Opens the store, whichever engine holds it.
    public func openStore(config: ProjectConfig) throws -> any PromptctlStoreEngine {
        try StoreFactory.open(storeLocation(config: config))
    }
}
