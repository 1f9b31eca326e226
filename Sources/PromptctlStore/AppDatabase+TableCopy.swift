import Foundation
import GRDB

extension AppDatabase: TableCopyStore {
    /// How many rows a table holds.
    public func rowCount(_ table: StoreTable) throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
    }

    /// Rows of a table in its order.
    public func rows(_ table: StoreTable, offset: Int, limit: Int) throws -> [[StoreValue]] {
        let columns = table.columns.map(\.name).joined(separator: ", ")
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns) FROM \(table.name) ORDER BY \(table.orderBy.joined(separator: ", "))
                    LIMIT ? OFFSET ?
                    """, arguments: [limit, offset]
            ).map { row in
                table.columns.enumerated().map { index, column in
                    let value = row[index] as DatabaseValue
                    if value.isNull { return .null }
                    switch column.kind {
                    case .integer: return .integer(row[index])
                    case .real: return .real(row[index])
                    case .text: return .text(row[index])
                    case .blob: return .blob(row[index])
                    case .bool: return .bool(row[index])
                    case .date: return .date(row[index])
                    }
                }
            }
        }
    }

    /// Inserts rows, skipping those already there.
    public func insertRows(_ table: StoreTable, _ rows: [[StoreValue]]) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let columns = table.columns.map(\.name).joined(separator: ", ")
        let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
        return try writer.write { db in
            var inserted = 0
            let statement = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO \(table.name) (\(columns)) VALUES (\(marks))")
            for row in rows {
                let values: [(any DatabaseValueConvertible)?] = row.map { value in
                    switch value {
                    case .null: nil
                    case .integer(let number): number
                    case .real(let number): number
                    case .text(let text): text
                    case .blob(let data): data
                    case .bool(let flag): flag
                    case .date(let date): date
                    }
                }
                try statement.execute(arguments: StatementArguments(values))
                inserted += db.changesCount
            }
            return inserted
        }
    }

    /// SQLite's AUTOINCREMENT counters follow the largest id by themselves.
    public func finishCopy() throws {}
}
