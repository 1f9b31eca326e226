import Foundation
import PostgresNIO
import PromptctlStore

extension PostgresStore: TableCopyStore {
    /// How many rows a table holds.
    public func rowCount(_ table: StoreTable) throws -> Int {
        try session.query("SELECT COUNT(*)::bigint AS n FROM \(table.name)").first?.int("n") ?? 0
    }

    /// Rows of a table in its order.
    public func rows(_ table: StoreTable, offset: Int, limit: Int) throws -> [[StoreValue]] {
        let columns = table.columns.map(\.name).joined(separator: ", ")
        return try session.query(
            """
            SELECT \(columns) FROM \(table.name) ORDER BY \(Self.byteOrder(table)) LIMIT $1 OFFSET $2
            """, [Bind.int(limit), Bind.int(offset)]
        ).map { row in
            table.columns.map { column in
                let data = row[data: column.name]
                guard data.value != nil else { return .null }
                switch column.kind {
                case .integer: return data.int64.map(StoreValue.integer) ?? .null
                case .real: return data.double.map(StoreValue.real) ?? .null
                case .text: return data.string.map(StoreValue.text) ?? .null
                case .blob: return data.bytes.map { StoreValue.blob(Data($0)) } ?? .null
                case .bool: return data.bool.map(StoreValue.bool) ?? .null
                case .date: return data.date.map { StoreValue.date(wholeMilliseconds($0)) } ?? .null
                }
            }
        }
    }

    /// The table's order, text compared byte by byte as SQLite does, whatever the server's locale.
    static func byteOrder(_ table: StoreTable) -> String {
        table.orderBy.map { name in
            table.columns.first { $0.name == name }?.kind == .text ? "\(name) COLLATE \"C\"" : name
        }.joined(separator: ", ")
    }

    /// Inserts rows, skipping those already there.
    public func insertRows(_ table: StoreTable, _ rows: [[StoreValue]]) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let columns = table.columns.map(\.name).joined(separator: ", ")
        let marks = (1...table.columns.count).map { "$\($0)" }.joined(separator: ", ")
        let sql = "INSERT INTO \(table.name) (\(columns)) VALUES (\(marks)) ON CONFLICT DO NOTHING"
        return try session.transaction { connection in
            var inserted = 0
            for row in rows {
                let binds = zip(row, table.columns).map { value, column -> PostgresData in
                    switch value {
                    case .null:
                        switch column.kind {
                        case .integer: return Bind.int(nil)
                        case .real: return Bind.double(nil)
                        case .text: return Bind.text(nil)
                        case .blob: return Bind.bytes(nil)
                        case .bool: return PostgresData(type: .bool)
                        case .date: return Bind.date(nil)
                        }
                    case .integer(let number): return Bind.int64(number)
                    case .real(let number): return Bind.double(number)
                    case .text(let text): return Bind.text(text)
                    case .blob(let data): return Bind.bytes(data)
                    case .bool(let flag): return Bind.bool(flag)
                    case .date(let date): return Bind.date(date)
                    }
                }
                inserted += try PostgresSession.changes(connection, sql, binds)
            }
            return inserted
        }
    }

    /// Moves each id sequence past the largest copied id.
    public func finishCopy() throws {
        for table in StoreTable.all where table.copied && table.columns.first?.name == "id" {
            guard table.columns.first?.kind == .integer else { continue }
            try session.query(
                """
                SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), COALESCE(MAX(id), 0) + 1, false)
                FROM \(table.name)
                """)
        }
    }
}
