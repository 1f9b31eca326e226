import Foundation
import PostgresNIO
import PromptctlStore

extension PostgresStore: TableCopyStore {
    /// How many rows a table holds.
    public func rowCount(_ table: StoreTable) throws -> Int {
        try session.query("SELECT COUNT(*)::bigint AS n FROM \(table.name)").first?.int("n") ?? 0
    }

    /// Rows of a table in its order (text by code point, as SQLite orders it), after a key.
    public func rows(_ table: StoreTable, after: [StoreValue]?, limit: Int) throws -> [[StoreValue]] {
        let columns = table.columns.map(\.name).joined(separator: ", ")
        let condition =
            after == nil ? "" : "WHERE " + table.afterKeyCondition(placeholder: { "$\($0)" }, textCollation: "C")
        let keyColumns = table.orderBy.map { name in table.columns.first { $0.name == name }!.kind }
        let keyBinds = zip(after ?? [], keyColumns).map { Self.bind($0, kind: $1) }
        return try session.query(
            """
            SELECT \(columns) FROM \(table.name) \(condition) ORDER BY \(Self.byteOrder(table))
            LIMIT $\(keyBinds.count + 1)
            """, keyBinds + [Bind.int(limit)]
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
                let binds = zip(row, table.columns).map { Self.bind($0, kind: $1.kind) }
                inserted += try PostgresSession.changes(connection, sql, binds)
            }
            return inserted
        }
    }

    /// A value as a typed bind (a NULL typed by its column).
    static func bind(_ value: StoreValue, kind: StoreColumnKind) -> PostgresData {
        switch value {
        case .null:
            switch kind {
            case .integer: Bind.int(nil)
            case .real: Bind.double(nil)
            case .text: Bind.text(nil)
            case .blob: Bind.bytes(nil)
            case .bool: PostgresData(type: .bool)
            case .date: Bind.date(nil)
            }
        case .integer(let number): Bind.int64(number)
        case .real(let number): Bind.double(number)
        case .text(let text): Bind.text(text)
        case .blob(let data): Bind.bytes(data)
        case .bool(let flag): Bind.bool(flag)
        case .date(let date): Bind.date(date)
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
