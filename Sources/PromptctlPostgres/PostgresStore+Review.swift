import Foundation
import PostgresNIO
import PromptctlCore
import PromptctlStore

extension PostgresStore: ReviewFeedbackStore {
    /// Stores a week's sample; a week is sampled once (the existing sample is kept, also when two processes race).
    public func saveSample(week: String, items: [(ReviewCandidate, String)]) throws {
        let encoder = JSONEncoder()
        try session.transaction { connection in
            // One sampler per week at a time: the second waits here, then sees the first one's items.
            try PostgresSession.run(
                connection, "SELECT pg_advisory_xact_lock(hashtext($1))", [Bind.text("week:" + week)])
            let existing =
                try PostgresSession.run(
                    connection, "SELECT COUNT(*)::bigint AS n FROM review_item WHERE week = $1", [Bind.text(week)]
                ).first?.int("n") ?? 0
            guard existing == 0 else { return }
            for (position, (candidate, stratum)) in items.enumerated() {
                try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO review_item (week, source_key, position, stratum, detail, created_at)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    """,
                    [
                        Bind.text(week), Bind.text(candidate.sourceKey), Bind.int(position + 1), Bind.text(stratum),
                        Bind.bytes(try encoder.encode(candidate)), Bind.date(Date()),
                    ])
            }
        }
    }

    /// A week's sample, in order.
    public func reviewItems(week: String) throws -> [ReviewItem] {
        try session.query("SELECT * FROM review_item WHERE week = $1 ORDER BY position", [Bind.text(week)]).map { row in
            ReviewItem.make(
                id: row[data: "id"].int64 ?? 0, week: row.string("week") ?? "", position: row.int("position") ?? 0,
                stratum: row.string("stratum") ?? "",
                candidate: try JSONDecoder().decode(ReviewCandidate.self, from: row.data("detail") ?? Data()))
        }
    }

    /// Stores feedback rows in one transaction: the latest answer of a reviewer on an item wins, and every answer
    /// that changed something is also kept in the history. The (item, reviewer) row is locked while it is
    /// compared, so two submissions at once are both counted and neither is lost.
    @discardableResult
    public func saveFeedback(_ rows: [ReviewFeedback], source: String) throws -> AppDatabase.FeedbackSaveCounts {
        try session.transaction { connection in
            var counts = AppDatabase.FeedbackSaveCounts.none
            for row in rows {
                try PostgresSession.run(
                    connection, "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                    [PostgresData(int32: Int32(truncatingIfNeeded: row.itemID)), Bind.text(row.reviewer)])
                let stored = try PostgresSession.run(
                    connection,
                    """
                    SELECT clinical_coherence, friendly_tone, safe, send_as_is, comment, corrected_answer
                    FROM review_feedback WHERE item_id = $1 AND reviewer = $2
                    """, [Bind.int64(row.itemID), Bind.text(row.reviewer)]
                ).first
                if let stored {
                    let same =
                        stored.int("clinical_coherence") == row.clinicalCoherence
                        && stored.int("friendly_tone") == row.friendlyTone && stored.bool("safe") == row.safe
                        && stored.bool("send_as_is") == row.sendAsIs && stored.string("comment") == row.comment
                        && stored.string("corrected_answer") == row.correctedAnswer
                    if same {
                        counts.unchanged += 1
                        continue
                    }
                    counts.updated += 1
                } else {
                    counts.new += 1
                }
                let binds = [
                    Bind.int64(row.itemID), Bind.text(row.reviewer), Bind.int(row.clinicalCoherence),
                    Bind.int(row.friendlyTone), Bind.bool(row.safe), Bind.bool(row.sendAsIs), Bind.text(row.comment),
                    Bind.text(row.correctedAnswer), Bind.text(source), Bind.date(Date()),
                ]
                try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO review_feedback (item_id, reviewer, clinical_coherence, friendly_tone, safe, send_as_is,
                    comment, corrected_answer, source, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    ON CONFLICT (item_id, reviewer) DO UPDATE SET clinical_coherence = excluded.clinical_coherence,
                    friendly_tone = excluded.friendly_tone, safe = excluded.safe, send_as_is = excluded.send_as_is,
                    comment = excluded.comment, corrected_answer = excluded.corrected_answer,
                    source = excluded.source, submitted_at = excluded.submitted_at
                    """, binds)
                try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO review_feedback_history (item_id, reviewer, clinical_coherence, friendly_tone, safe,
                    send_as_is, comment, corrected_answer, source, submitted_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    """, binds)
            }
            return counts
        }
    }

    /// Every answer a reviewer gave on an item, oldest first.
    public func feedbackHistory(itemID: Int64, reviewer: String) throws -> [ReviewFeedback] {
        try session.query(
            "SELECT * FROM review_feedback_history WHERE item_id = $1 AND reviewer = $2 ORDER BY id",
            [Bind.int64(itemID), Bind.text(reviewer)]
        ).map(Self.feedback(row:))
    }

    /// How many answers the history holds.
    public func feedbackHistoryCount() throws -> Int {
        try session.query("SELECT COUNT(*)::bigint AS n FROM review_feedback_history").first?.int("n") ?? 0
    }

    /// Every feedback row with its item, for the agreement.
    public func feedback(week: String?) throws -> [(ReviewFeedback, ReviewCandidate)] {
        try session.query(
            """
            SELECT f.*, i.detail FROM review_feedback f JOIN review_item i ON i.id = f.item_id
            WHERE $1::text IS NULL OR i.week = $1 ORDER BY f.id
            """, [Bind.text(week)]
        ).map { row in
            (
                Self.feedback(row: row),
                try JSONDecoder().decode(ReviewCandidate.self, from: row.data("detail") ?? Data())
            )
        }
    }

    /// Registers a reviewer's token (only its hash is stored); a new token for the same name and week replaces the old.
    public func addReviewer(name: String, week: String, tokenSHA256: String) throws {
        try session.transaction { connection in
            try PostgresSession.run(
                connection, "DELETE FROM reviewer WHERE (name = $1 AND week = $2) OR token_sha256 = $3",
                [Bind.text(name), Bind.text(week), Bind.text(tokenSHA256)])
            try PostgresSession.run(
                connection, "INSERT INTO reviewer (name, week, token_sha256) VALUES ($1, $2, $3)",
                [Bind.text(name), Bind.text(week), Bind.text(tokenSHA256)])
        }
    }

    /// The reviewer and week a token belongs to.
    public func reviewer(tokenSHA256: String) throws -> (name: String, week: String)? {
        try session.query("SELECT name, week FROM reviewer WHERE token_sha256 = $1", [Bind.text(tokenSHA256)]).first
            .map { ($0.string("name") ?? "", $0.string("week") ?? "") }
    }

    /// Item ids a reviewer has answered.
    public func answeredItems(reviewer: String) throws -> Set<Int64> {
        Set(
            try session.query("SELECT item_id FROM review_feedback WHERE reviewer = $1", [Bind.text(reviewer)])
                .compactMap { $0[data: "item_id"].int64 })
    }

    static func feedback(row: PostgresRandomAccessRow) -> ReviewFeedback {
        ReviewFeedback(
            itemID: row[data: "item_id"].int64 ?? 0, reviewer: row.string("reviewer") ?? "",
            clinicalCoherence: row.int("clinical_coherence") ?? 0, friendlyTone: row.int("friendly_tone") ?? 0,
            safe: row.bool("safe") ?? false, sendAsIs: row.bool("send_as_is") ?? false, comment: row.string("comment"),
            correctedAnswer: row.string("corrected_answer"))
    }
}
