import Foundation

/// One stored value in an engine-neutral form, for copying whole tables between engines.
public enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
    case bool(Bool)
    /// A date, to the millisecond (as both engines keep it).
    case date(Date)
}

/// What a column holds.
public enum StoreColumnKind: Sendable, Hashable {
    case integer, real, text, blob, bool, date
}

/// A table of the schema as `store copy` sees it: its columns in order, and the columns that order its rows.
public struct StoreTable: Sendable, Hashable {
    /// The table's name.
    public var name: String
    /// Columns and what they hold.
    public var columns: [StoreColumn]
    /// The columns that order its rows (its primary key).
    public var orderBy: [String]
    /// Whether `store copy` writes it; the hourly cost rollup is rebuilt by each engine's trigger instead, and only
    /// compared.
    public var copied: Bool = true

    /// A column.
    public struct StoreColumn: Sendable, Hashable {
        /// Its name.
        public var name: String
        /// What it holds.
        public var kind: StoreColumnKind
    }

    init(_ name: String, _ columns: [(String, StoreColumnKind)], orderBy: [String] = ["id"], copied: Bool = true) {
        self.name = name
        self.columns = columns.map { StoreColumn(name: $0.0, kind: $0.1) }
        self.orderBy = orderBy
        self.copied = copied
    }

    /// Every table of the current schema (v12), parents before children.
    public static let all: [StoreTable] = [
        StoreTable(
            "llm_cache",
            [
                ("key", .text), ("provider", .text), ("model", .text), ("payload", .blob), ("cost_usd", .real),
                ("created_at", .date),
            ], orderBy: ["key"]),
        StoreTable(
            "eval_run",
            [
                ("id", .text), ("suite", .text), ("suite_file", .text), ("started_at", .date), ("finished_at", .date),
                ("status", .text), ("git_ref", .text), ("plan", .blob), ("summary", .blob),
            ]),
        StoreTable(
            "eval_run_candidate", [("run_id", .text), ("candidate", .text), ("baseline", .text)],
            orderBy: ["run_id", "candidate"]),
        StoreTable(
            "eval_result",
            [
                ("id", .integer), ("run_id", .text), ("item_key", .text), ("side", .text), ("prompt_id", .text),
                ("prompt_version", .text), ("language", .text), ("persona", .text), ("provider", .text),
                ("model", .text), ("case_id", .text), ("repeat_index", .integer), ("output", .text), ("error", .text),
                ("prompt_tokens", .integer), ("cached_tokens", .integer), ("completion_tokens", .integer),
                ("cost_usd", .real), ("latency_ms", .real), ("cache_hit", .bool), ("guard_action", .text),
                ("score", .real), ("passed", .bool), ("needs_review", .bool), ("detail", .blob), ("created_at", .date),
                ("user_message", .text), ("guard_categories", .text),
            ]
        ),
        StoreTable(
            "eval_result_rubric", [("result_id", .integer), ("rubric", .text), ("score", .real)],
            orderBy: ["result_id", "rubric"]),
        StoreTable(
            "eval_result_finding",
            [("result_id", .integer), ("position", .integer), ("category", .text), ("action", .text)],
            orderBy: ["result_id", "position"]),
        StoreTable(
            "production_message",
            [
                ("id", .integer), ("message_key", .text), ("at", .date), ("conversation_id", .text), ("user_id", .text),
                ("prompt_id", .text), ("prompt_version", .text), ("label", .text), ("language", .text),
                ("persona", .text), ("user_message", .text), ("response", .text), ("model", .text),
                ("guard_action", .text), ("guard_categories", .text), ("status", .text), ("canary_arm", .text),
                ("needs_review", .bool),
            ]),
        StoreTable(
            "llm_call",
            [
                ("id", .integer), ("at", .date), ("source", .text), ("run_id", .text), ("provider", .text),
                ("model", .text), ("prompt_id", .text), ("prompt_version", .text), ("label", .text), ("status", .text),
                ("error", .text), ("prompt_tokens", .integer), ("cached_tokens", .integer),
                ("completion_tokens", .integer), ("cost_usd", .real), ("latency_ms", .real), ("cache_hit", .bool),
                ("attempts", .integer), ("message_id", .integer),
            ]),
        StoreTable(
            "cost_hourly",
            [
                ("hour", .text), ("prompt_id", .text), ("prompt_version", .text), ("model", .text), ("label", .text),
                ("messages", .integer), ("errors", .integer), ("prompt_tokens", .integer), ("cached_tokens", .integer),
                ("completion_tokens", .integer), ("cost_usd", .real),
            ],
            orderBy: ["hour", "prompt_id", "prompt_version", "model", "label"], copied: false),
        StoreTable(
            "review_item",
            [
                ("id", .integer), ("week", .text), ("source_key", .text), ("position", .integer), ("stratum", .text),
                ("detail", .blob), ("created_at", .date),
            ]),
        StoreTable("reviewer", [("id", .integer), ("name", .text), ("week", .text), ("token_sha256", .text)]),
        StoreTable("review_feedback", feedbackColumns),
        StoreTable("review_feedback_history", feedbackColumns),
        StoreTable(
            "review_notion_page",
            [
                ("data_source_id", .text), ("item_id", .integer), ("page_id", .text), ("pushed_at", .date),
                ("pulled_version", .text),
            ], orderBy: ["data_source_id", "item_id"]),
        StoreTable("client_key", [("id", .integer), ("name", .text), ("sha256", .text), ("created_at", .date)]),
    ]

    /// The values of the ordering columns in a row read with `columns` (the key to read the next page after).
    public func key(of row: [StoreValue]) -> [StoreValue] {
        orderBy.compactMap { name in columns.firstIndex { $0.name == name }.map { row[$0] } }
    }

    /// A condition true for rows after a key in the table's order: `(a > ?1) OR (a = ?1 AND b > ?2)` …, each
    /// text column compared with `collate` when given (PostgreSQL's "C", so that both engines order by code point).
    /// A page read this way costs the same at the end of a table as at its start, unlike an OFFSET.
    public func afterKeyCondition(placeholder: (Int) -> String, textCollation collate: String? = nil) -> String {
        func column(_ index: Int) -> String {
            let name = orderBy[index]
            let isText = columns.first { $0.name == name }?.kind == .text
            return isText && collate != nil ? "\(name) COLLATE \"\(collate!)\"" : name
        }
        return (0..<orderBy.count).map { last in
            let equal = (0..<last).map { "\(column($0)) = \(placeholder($0 + 1))" }
            return "(" + (equal + ["\(column(last)) > \(placeholder(last + 1))"]).joined(separator: " AND ") + ")"
        }.joined(separator: " OR ")
    }

    static let feedbackColumns: [(String, StoreColumnKind)] = [
        ("id", .integer), ("item_id", .integer), ("reviewer", .text), ("clinical_coherence", .integer),
        ("friendly_tone", .integer), ("safe", .bool), ("send_as_is", .bool), ("comment", .text),
        ("corrected_answer", .text), ("source", .text), ("submitted_at", .date),
    ]
}

/// Whole-table reads and writes, for `store copy` (and only for it: every other caller uses the named operations).
public protocol TableCopyStore: Sendable {
    /// How many rows a table holds.
    func rowCount(_ table: StoreTable) throws -> Int
    /// Up to `limit` rows of a table in its order, after the row whose ordering columns hold `after` (from the first
    /// row when nil): a copy pages by key, so each page is an index seek however far into the table it is.
    func rows(_ table: StoreTable, after: [StoreValue]?, limit: Int) throws -> [[StoreValue]]
    /// Inserts rows in one transaction; a row whose key is already there is skipped (so a copy can resume).
    /// Returns how many were new.
    func insertRows(_ table: StoreTable, _ rows: [[StoreValue]]) throws -> Int
    /// Brings id counters past the copied ids, so that the next row written gets a fresh id.
    func finishCopy() throws
}
