import Crypto
import Foundation
import PromptctlCore
import PromptctlStore

/// `promptctl store copy`: every table from one store to another (SQLite ⇄ PostgreSQL), resumable, verified.
public struct StoreCopyService: Sendable {
    /// The workspace (relative paths are read against its root).
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// One table's outcome.
    public struct TableOutcome: Sendable, Codable, Equatable {
        /// The table.
        public var table: String
        /// Rows written now (0 for a table already copied, or rebuilt by the target's trigger).
        public var copied: Int
        /// Rows in the source and in the target afterwards.
        public var rows: Int
        /// SHA-256 of the table's rows in order, the same on both sides.
        public var sha256: String
    }

    /// What a copy did.
    public struct Outcome: Sendable, Codable, Equatable {
        /// Source and target, without passwords.
        public var from: String
        /// The target.
        public var to: String
        /// Every table, verified.
        public var tables: [TableOutcome]
    }

    /// Copies everything from `from` to `to`. The target is migrated first; rows already there are skipped, so a
    /// copy cut short is completed by running it again. A target holding rows the source lacks is refused.
    public func copy(from: String, to: String, batch: Int = 2000) throws -> Outcome {
        let source = try StoreLocation.parse(from, root: workspace.root, environment: workspace.environment)
        let target = try StoreLocation.parse(to, root: workspace.root, environment: workspace.environment)
        guard source != target else {
            throw PromptctlError(.usage, "--from and --to name the same store", remedy: "name two different stores")
        }
        if case .sqlite(let path) = source, !FileManager.default.fileExists(atPath: path) {
            throw PromptctlError(.notFound, "there is no store at \(path)", remedy: "check the --from path")
        }
        let reader = try StoreFactory.open(source)
        let writer = try StoreFactory.open(target, migrate: true)
        let sourceSchema = try reader.appliedMigrations()
        let targetSchema = try writer.appliedMigrations()
        guard sourceSchema == targetSchema else {
            throw PromptctlError(
                .infrastructure,
                "the two stores have different schemas (\(sourceSchema.last ?? "none") and \(targetSchema.last ?? "none"))",
                remedy: "run promptctl store migrate on the older one")
        }
        var copied: [String: Int] = [:]
        for table in StoreTable.all where table.copied {
            let total = try reader.rowCount(table)
            let already = try writer.rowCount(table)
            guard already <= total else {
                throw PromptctlError(
                    .usage,
                    "the target's \(table.name) has \(already) rows, more than the source's \(total): it is not a copy of it",
                    remedy: "copy into an empty store")
            }
            var after: [StoreValue]?
            var read = 0
            var written = 0
            while read < total {
                let rows = try reader.rows(table, after: after, limit: batch)
                guard let last = rows.last else { break }
                written += try writer.insertRows(table, rows)
                read += rows.count
                after = table.key(of: last)
            }
            copied[table.name] = written
        }
        try writer.finishCopy()
        var tables: [TableOutcome] = []
        for table in StoreTable.all {
            let (sourceRows, sourceHash) = try Self.checksum(reader, table, batch: batch)
            let (targetRows, targetHash) = try Self.checksum(writer, table, batch: batch)
            guard sourceRows == targetRows, sourceHash == targetHash else {
                throw PromptctlError(
                    .infrastructure,
                    "verification failed for \(table.name): \(sourceRows) rows (sha256 \(sourceHash.prefix(12))) in the "
                        + "source, \(targetRows) rows (sha256 \(targetHash.prefix(12))) in the target",
                    remedy: "run the copy again; if it still differs, the target was written to during the copy")
            }
            tables.append(
                TableOutcome(table: table.name, copied: copied[table.name] ?? 0, rows: sourceRows, sha256: sourceHash))
        }
        return Outcome(from: source.displayLocation, to: target.displayLocation, tables: tables)
    }

    /// Row count and SHA-256 of a table's rows in order, in an encoding both engines give alike.
    static func checksum(_ store: any PromptctlStoreEngine, _ table: StoreTable, batch: Int) throws -> (Int, String) {
        var hasher = SHA256()
        var count = 0
        var after: [StoreValue]?
        while true {
            let rows = try store.rows(table, after: after, limit: batch)
            for row in rows {
                for value in row { hasher.update(data: canonical(value)) }
            }
            count += rows.count
            guard rows.count == batch, let last = rows.last else { break }
            after = table.key(of: last)
        }
        return (count, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    static func canonical(_ value: StoreValue) -> Data {
        func tagged(_ tag: UInt8, _ bytes: some Sequence<UInt8>) -> Data {
            var data = Data([tag])
            let payload = Data(bytes)
            withUnsafeBytes(of: UInt64(payload.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(payload)
            return data
        }
        switch value {
        case .null: return Data([0])
        case .integer(let number): return tagged(1, withUnsafeBytes(of: number.littleEndian) { Array($0) })
        case .real(let number): return tagged(2, withUnsafeBytes(of: number.bitPattern.littleEndian) { Array($0) })
        case .text(let text): return tagged(3, Array(text.utf8))
        case .blob(let blob): return tagged(4, blob)
        case .bool(let flag): return tagged(5, [flag ? 1 : 0])
        case .date(let date):
            let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
            return tagged(6, withUnsafeBytes(of: milliseconds.littleEndian) { Array($0) })
        }
    }

    /// The outcome as a table or JSON.
    public static func render(_ outcome: Outcome, as format: OutputFormat) throws -> String {
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return String(decoding: try encoder.encode(outcome), as: UTF8.self) + "\n"
        }
        var text = "copied \(outcome.from) → \(outcome.to)\n"
        for table in outcome.tables {
            text +=
                table.table.padding(toLength: 26, withPad: " ", startingAt: 0)
                + "rows \(table.rows), copied now \(table.copied), sha256 \(table.sha256.prefix(16)) (verified)\n"
        }
        return text
    }
}
