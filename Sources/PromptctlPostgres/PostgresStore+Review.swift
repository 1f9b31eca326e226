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
    public func saveFeedback(_ rows: [ReviewFeedback], source: String) throws -> FeedbackSaveCounts {
        try session.transaction { connection in try Self.saveFeedback(rows, source: source, connection: connection) }
    }

    /// The body of `saveFeedback`, inside a caller's transaction.
    static func saveFeedback(_ rows: [ReviewFeedback], source: String, connection: PostgresConnection) throws
        -> FeedbackSaveCounts
    {
        var counts = FeedbackSaveCounts.none
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

extension PostgresStore: ReviewSamplingStore {
    /// Keys of the candidates in [from, to) never sampled before: production messages answered without error and
    /// candidate-side evaluation answers.
    public func reviewCandidateKeys(from: Date, to: Date) throws -> [SampleKey] {
        let window = [Bind.date(from), Bind.date(to)]
        let messages = try session.query(
            """
            SELECT 'message:' || m.id AS key, COALESCE(m.prompt_id, '(unknown)') || ' · '
            || COALESCE(m.language, 'pt-BR') || ' · ' || COALESCE(m.persona, '') AS stratum,
            COALESCE(m.guard_action IN ('escalate', 'block'), FALSE) AS flagged
            FROM production_message m WHERE m.at >= $1 AND m.at < $2 AND m.status = 'ok'
            AND NOT EXISTS (SELECT 1 FROM review_item r WHERE r.source_key = 'message:' || m.id)
            """, window)
        let results = try session.query(
            """
            SELECT 'eval:' || e.id AS key, e.prompt_id || ' · ' || e.language || ' · ' || e.persona AS stratum,
            COALESCE(e.guard_action IN ('escalate', 'block'), FALSE) AS flagged
            FROM eval_result e WHERE e.created_at >= $1 AND e.created_at < $2 AND e.side = 'candidate'
            AND e.output IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM review_item r WHERE r.source_key = 'eval:' || e.id)
            """, window)
        return (messages + results).map { row in
            SampleKey(
                sourceKey: row.string("key") ?? "", stratum: row.string("stratum") ?? "",
                flagged: row.bool("flagged") ?? false)
        }
    }

    /// Full candidates for the given keys, in the keys' order.
    public func reviewCandidates(keys: [String]) throws -> [ReviewCandidate] {
        var found: [String: ReviewCandidate] = [:]
        let messageIDs = keys.compactMap { $0.hasPrefix("message:") ? Int64($0.dropFirst(8)) : nil }
        let resultIDs = keys.compactMap { $0.hasPrefix("eval:") ? Int64($0.dropFirst(5)) : nil }
        if !messageIDs.isEmpty {
            for row in try session.query(
                "SELECT * FROM production_message WHERE id = ANY($1)",
                [PostgresData(array: messageIDs.map { PostgresData(int64: $0) }, elementType: .int8)])
            {
                let candidate = ReviewCandidate(
                    sourceKey: "message:\(row[data: "id"].int64 ?? 0)",
                    at: row.date("at") ?? Date(timeIntervalSince1970: 0),
                    promptID: row.string("prompt_id") ?? "(unknown)", promptVersion: row.string("prompt_version") ?? "",
                    language: row.string("language") ?? "pt-BR", persona: row.string("persona") ?? "",
                    conversationID: row.string("conversation_id"), userID: row.string("user_id"),
                    userMessage: row.string("user_message") ?? "", response: row.string("response") ?? "",
                    guardAction: row.string("guard_action"),
                    guardCategories: (row.string("guard_categories") ?? "").split(separator: ",").map(String.init),
                    scores: [:])
                found[candidate.sourceKey] = candidate
            }
        }
        if !resultIDs.isEmpty {
            let ids = PostgresData(array: resultIDs.map { PostgresData(int64: $0) }, elementType: .int8)
            for row in try session.query(
                """
                SELECT id, created_at, prompt_id, prompt_version, language, persona, user_message, output, guard_action,
                guard_categories FROM eval_result WHERE id = ANY($1)
                """, [ids])
            {
                let candidate = ReviewCandidate(
                    sourceKey: "eval:\(row[data: "id"].int64 ?? 0)",
                    at: row.date("created_at") ?? Date(timeIntervalSince1970: 0),
                    promptID: row.string("prompt_id") ?? "", promptVersion: row.string("prompt_version") ?? "",
                    language: row.string("language") ?? "", persona: row.string("persona") ?? "",
                    conversationID: nil, userID: nil, userMessage: row.string("user_message") ?? "",
                    response: row.string("output") ?? "", guardAction: row.string("guard_action"),
                    guardCategories: (row.string("guard_categories") ?? "").split(separator: ",").map(String.init),
                    scores: [:])
                found[candidate.sourceKey] = candidate
            }
            for row in try session.query(
                "SELECT result_id, rubric, score FROM eval_result_rubric WHERE result_id = ANY($1)", [ids])
            {
                if let id = row[data: "result_id"].int64, let rubric = row.string("rubric") {
                    found["eval:\(id)"]?.scores[rubric] = row.double("score")
                }
            }
        }
        return keys.compactMap { found[$0] }
    }

    /// Each sampled item's week.
    public func reviewItemWeeks() throws -> [Int64: String] {
        var weeks: [Int64: String] = [:]
        for row in try session.query("SELECT id, week FROM review_item") {
            if let id = row[data: "id"].int64 { weeks[id] = row.string("week") ?? "" }
        }
        return weeks
    }

    /// Every sampled item's id, week and source key, in id order.
    public func reviewItemSources() throws -> [(id: Int64, week: String, sourceKey: String)] {
        try session.query("SELECT id, week, source_key FROM review_item ORDER BY id").map {
            (id: $0[data: "id"].int64 ?? 0, week: $0.string("week") ?? "", sourceKey: $0.string("source_key") ?? "")
        }
    }
}

extension PostgresStore: NotionPageStore {
    /// The pages already pushed to a data source, by item.
    public func notionPages(dataSourceID: String) throws -> [Int64: NotionPageRecord] {
        var pages: [Int64: NotionPageRecord] = [:]
        for row in try session.query(
            "SELECT item_id, page_id, pulled_version FROM review_notion_page WHERE data_source_id = $1",
            [Bind.text(dataSourceID)])
        {
            let itemID = row[data: "item_id"].int64 ?? 0
            pages[itemID] = NotionPageRecord(
                itemID: itemID, pageID: row.string("page_id") ?? "", pulledVersion: row.string("pulled_version"))
        }
        return pages
    }

    /// Remembers the page an item was pushed to (keeping what the last pull saw when the page is the same).
    public func saveNotionPage(dataSourceID: String, itemID: Int64, pageID: String) throws {
        try session.query(
            """
            INSERT INTO review_notion_page (data_source_id, item_id, page_id, pushed_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (data_source_id, item_id) DO UPDATE SET pushed_at = excluded.pushed_at,
            pulled_version = CASE WHEN review_notion_page.page_id = excluded.page_id
                THEN review_notion_page.pulled_version END,
            page_id = excluded.page_id
            """, [Bind.text(dataSourceID), Bind.int64(itemID), Bind.text(pageID), Bind.date(Date())])
    }

    /// Stores pulled answers and each page's version in one transaction, all of them or none; an answer edited in
    /// Notion before the same nurse's later CSV or web answer is not applied.
    @discardableResult
    public func savePulledFeedback(_ answers: [PulledAnswer], dataSourceID: String) throws -> PulledSaveCounts {
        try session.transaction { connection in
            var counts = PulledSaveCounts()
            var newer: [ReviewFeedback] = []
            for answer in answers {
                let stored = try PostgresSession.run(
                    connection, "SELECT source, submitted_at FROM review_feedback WHERE item_id = $1 AND reviewer = $2",
                    [Bind.int64(answer.feedback.itemID), Bind.text(answer.feedback.reviewer)]
                ).first
                if let stored, stored.string("source") != "notion",
                    let submitted = stored.date("submitted_at"), submitted > answer.editedAt
                {
                    counts.superseded += 1
                } else {
                    newer.append(answer.feedback)
                }
            }
            for feedback in newer {
                // One page holds one answer: a name typed into Revisora after a pull replaces the unnamed answer
                // (the history keeps it) instead of counting the page twice.
                try PostgresSession.run(
                    connection,
                    "DELETE FROM review_feedback WHERE item_id = $1 AND source = 'notion' AND reviewer <> $2",
                    [Bind.int64(feedback.itemID), Bind.text(feedback.reviewer)])
            }
            counts.saved = try Self.saveFeedback(newer, source: "notion", connection: connection)
            for answer in answers {
                try PostgresSession.run(
                    connection,
                    """
                    INSERT INTO review_notion_page (data_source_id, item_id, page_id, pushed_at, pulled_version)
                    VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (data_source_id, item_id) DO UPDATE SET page_id = excluded.page_id,
                    pulled_version = excluded.pulled_version
                    """,
                    [
                        Bind.text(dataSourceID), Bind.int64(answer.feedback.itemID), Bind.text(answer.pageID),
                        Bind.date(Date()), Bind.text(answer.version),
                    ])
            }
            return counts
        }
    }
}
