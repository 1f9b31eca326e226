import Foundation
import GRDB

extension AppDatabase: TableCopyStore {
    /// How many rows a table holds.
    public func rowCount(_ table: StoreTable) throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
    }

    /// Rows of a table in its order, after a key.
    public func rows(_ table: StoreTable, after: [StoreValue]?, limit: Int) throws -> [[StoreValue]] {
        let columns = table.columns.map(\.name).joined(separator: ", ")
        let condition = after == nil ? "" : "WHERE " + table.afterKeyCondition(placeholder: { "?\($0)" })
        let keyArguments: [(any DatabaseValueConvertible)?] = (after ?? []).map(Self.argument)
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns) FROM \(table.name) \(condition)
                    ORDER BY \(table.orderBy.joined(separator: ", ")) LIMIT ?\(keyArguments.count + 1)
                    """, arguments: StatementArguments(keyArguments + [limit])
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
                try statement.execute(arguments: StatementArguments(row.map(Self.argument)))
                inserted += db.changesCount
            }
            return inserted
        }
    }

    static func argument(_ value: StoreValue) -> (any DatabaseValueConvertible)? {
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

    /// SQLite's AUTOINCREMENT counters follow the largest id by themselves.
    public func finishCopy() throws {}
}
