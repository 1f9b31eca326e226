import Foundation
import GRDB

/// The Notion page that holds a pushed review item, and what the last pull saw of it.
public struct NotionPageRecord: Sendable, Hashable {
    /// The sampled item.
    public var itemID: Int64
    /// Its page in the data source.
    public var pageID: String
    /// The page's edit time and answer when it was last pulled (Notion's edit times have minute precision, so
    /// the time alone would miss a second edit within the minute).
    public var pulledVersion: String?

    /// Creates a record.
    public init(itemID: Int64, pageID: String, pulledVersion: String? = nil) {
        self.itemID = itemID
        self.pageID = pageID
        self.pulledVersion = pulledVersion
    }
}

/// What storing pulled answers did.
public struct PulledSaveCounts: Sendable, Hashable {
    /// New, updated and unchanged answers, as for a CSV import.
    public var saved = FeedbackSaveCounts()
    /// Answers older than one the same nurse gave since by CSV or web form: the newer one stays.
    public var superseded = 0

    /// Creates counts.
    public init(saved: FeedbackSaveCounts = FeedbackSaveCounts(), superseded: Int = 0) {
        self.saved = saved
        self.superseded = superseded
    }
}

extension AppDatabase {
    /// The pages already pushed to a data source, by item.
    public func notionPages(dataSourceID: String) throws -> [Int64: NotionPageRecord] {
        try writer.read { db in
            var pages: [Int64: NotionPageRecord] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT item_id, page_id, pulled_version FROM review_notion_page WHERE data_source_id = ?",
                arguments: [dataSourceID])
            {
                pages[row["item_id"]] = NotionPageRecord(
                    itemID: row["item_id"], pageID: row["page_id"], pulledVersion: row["pulled_version"])
            }
            return pages
        }
    }

    /// Remembers the page an item was pushed to (keeping what the last pull saw when the page is the same).
    public func saveNotionPage(dataSourceID: String, itemID: Int64, pageID: String) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO review_notion_page (data_source_id, item_id, page_id, pushed_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (data_source_id, item_id) DO UPDATE SET pushed_at = excluded.pushed_at,
                    pulled_version = CASE WHEN page_id = excluded.page_id THEN pulled_version END,
                    page_id = excluded.page_id
                    """, arguments: [dataSourceID, itemID, pageID, Date()])
        }
    }

    /// Every sampled item's id, week and source key, to recognise the pseudonymous key a page carries.
    public func reviewItemSources() throws -> [(id: Int64, week: String, sourceKey: String)] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, week, source_key FROM review_item ORDER BY id").map {
                (id: $0["id"], week: $0["week"], sourceKey: $0["source_key"])
            }
        }
    }

    /// Stores pulled answers and each page's edit time in one transaction, all of them or none. An answer edited
    /// in Notion before the same nurse's later CSV or web answer is not applied: the newer answer wins.
    @discardableResult
    public func savePulledFeedback(_ answers: [PulledAnswer], dataSourceID: String) throws -> PulledSaveCounts {
        try writer.write { db in
            var counts = PulledSaveCounts()
            var newer: [ReviewFeedback] = []
            for answer in answers {
                let stored = try Row.fetchOne(
                    db, sql: "SELECT source, submitted_at FROM review_feedback WHERE item_id = ? AND reviewer = ?",
                    arguments: [answer.feedback.itemID, answer.feedback.reviewer])
                if let stored, stored["source"] as String != "notion",
                    (stored["submitted_at"] as Date) > answer.editedAt
                {
                    counts.superseded += 1
                } else {
                    newer.append(answer.feedback)
                }
            }
            for feedback in newer {
                // One page holds one answer: a name typed into Revisora after a pull replaces the unnamed answer
                // (the history keeps it) instead of counting the page twice.
                try db.execute(
                    sql: "DELETE FROM review_feedback WHERE item_id = ? AND source = 'notion' AND reviewer <> ?",
                    arguments: [feedback.itemID, feedback.reviewer])
            }
            counts.saved = try Self.saveFeedback(newer, source: "notion", db: db)
            for answer in answers {
                try db.execute(
                    sql: """
                        INSERT INTO review_notion_page (data_source_id, item_id, page_id, pushed_at, pulled_version)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (data_source_id, item_id) DO UPDATE SET page_id = excluded.page_id,
                        pulled_version = excluded.pulled_version
                        """,
                    arguments: [dataSourceID, answer.feedback.itemID, answer.pageID, Date(), answer.version])
            }
            return counts
        }
    }
}

/// One nurse's answer read from a Notion page, with the page and when it was last edited.
public struct PulledAnswer: Sendable, Hashable {
    /// The answer.
    public var feedback: ReviewFeedback
    /// The page it came from.
    public var pageID: String
    /// The page's `last_edited_time` and a hash of its answer: equal at the next pull means nobody touched it.
    public var version: String
    /// The same instant as a date.
    public var editedAt: Date

    /// Creates an answer.
    public init(feedback: ReviewFeedback, pageID: String, version: String, editedAt: Date) {
        self.feedback = feedback
        self.pageID = pageID
        self.version = version
        self.editedAt = editedAt
    }
}
