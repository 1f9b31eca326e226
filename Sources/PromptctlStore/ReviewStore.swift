import Foundation
import GRDB
import PromptctlCore

/// Something a nurse can review: an evaluation answer or an imported production message.
public struct ReviewCandidate: Sendable, Hashable, Codable {
    public var sourceKey: String
    public var at: Date
    public var promptID: String
    public var promptVersion: String
    public var language: String
    public var persona: String
    public var conversationID: String?
    public var userID: String?
    public var userMessage: String
    public var response: String
    public var guardAction: String?
    public var guardCategories: [String]
    /// Rubric scores by rubric and criterion ("clinical-coherence" → 0.92), when the item was scored.
    public var scores: [String: Double]

    /// Creates a candidate.
    public init(
        sourceKey: String, at: Date, promptID: String, promptVersion: String, language: String, persona: String,
        conversationID: String?, userID: String?, userMessage: String, response: String, guardAction: String?,
        guardCategories: [String], scores: [String: Double]
    ) {
        self.sourceKey = sourceKey
        self.at = at
        self.promptID = promptID
        self.promptVersion = promptVersion
        self.language = language
        self.persona = persona
        self.conversationID = conversationID
        self.userID = userID
        self.userMessage = userMessage
        self.response = response
        self.guardAction = guardAction
        self.guardCategories = guardCategories
        self.scores = scores
    }
}

/// A stored sample item.
public struct ReviewItem: Sendable, Hashable, Codable {
    public var id: Int64
    public var week: String
    public var position: Int
    public var stratum: String
    public var candidate: ReviewCandidate
}

/// One nurse's feedback on one item.
public struct ReviewFeedback: Sendable, Hashable, Codable {
    public var itemID: Int64
    public var reviewer: String
    public var clinicalCoherence: Int
    public var friendlyTone: Int
    public var safe: Bool
    public var sendAsIs: Bool
    public var comment: String?
    public var correctedAnswer: String?

    /// Creates feedback.
    public init(
        itemID: Int64, reviewer: String, clinicalCoherence: Int, friendlyTone: Int, safe: Bool, sendAsIs: Bool,
        comment: String?, correctedAnswer: String?
    ) {
        self.itemID = itemID
        self.reviewer = reviewer
        self.clinicalCoherence = clinicalCoherence
        self.friendlyTone = friendlyTone
        self.safe = safe
        self.sendAsIs = sendAsIs
        self.comment = comment
        self.correctedAnswer = correctedAnswer
    }
}

/// What a save did: rows new for their (item, reviewer), rows that replaced a different earlier answer, and rows
/// identical to the answer already stored.
public struct FeedbackSaveCounts: Sendable, Hashable {
    /// First answers.
    public var new = 0
    /// Later answers that differ from the stored one; the earlier one stays in the history.
    public var updated = 0
    /// Answers identical to the stored one (an import run twice).
    public var unchanged = 0

    /// Creates counts.
    public init(new: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.new = new
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// What the sampler needs to know of a candidate: its key, its stratum and whether a guard flagged it.
public struct SampleKey: Sendable, Hashable {
    public var sourceKey: String
    public var stratum: String
    public var flagged: Bool

    /// Creates a key.
    public init(sourceKey: String, stratum: String, flagged: Bool) {
        self.sourceKey = sourceKey
        self.stratum = stratum
        self.flagged = flagged
    }
}

extension AppDatabase {
    /// Keys of the candidates in [from, to) never sampled before; only indexed columns are read.
    public func reviewCandidateKeys(from: Date, to: Date) throws -> [SampleKey] {
        try writer.read { db in
            let sampled = Set(try String.fetchAll(db, sql: "SELECT source_key FROM review_item"))
            var keys: [SampleKey] = []
            let messages = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, COALESCE(prompt_id, '(unknown)') || ' · ' || COALESCE(language, 'pt-BR') || ' · '
                    || COALESCE(persona, '') AS stratum, guard_action IN ('escalate', 'block') AS flagged
                    FROM production_message WHERE at >= ? AND at < ? AND status = 'ok'
                    """, arguments: [from, to])
            while let row = try messages.next() {
                let key = "message:\(row["id"] as Int64)"
                if !sampled.contains(key) {
                    keys.append(SampleKey(sourceKey: key, stratum: row["stratum"], flagged: row["flagged"] ?? false))
                }
            }
            let results = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, prompt_id || ' · ' || language || ' · ' || persona AS stratum,
                    guard_action IN ('escalate', 'block') AS flagged FROM eval_result
                    WHERE created_at >= ? AND created_at < ? AND side = 'candidate' AND output IS NOT NULL
                    """, arguments: [from, to])
            while let row = try results.next() {
                let key = "eval:\(row["id"] as Int64)"
                if !sampled.contains(key) {
                    keys.append(SampleKey(sourceKey: key, stratum: row["stratum"], flagged: row["flagged"] ?? false))
                }
            }
            return keys
        }
    }

    /// Full candidates for the given keys (the drawn sample).
    public func reviewCandidates(keys: [String]) throws -> [ReviewCandidate] {
        let byKey = try writer.read { db -> [String: ReviewCandidate] in
            var found: [String: ReviewCandidate] = [:]
            let messageIDs = keys.compactMap { $0.hasPrefix("message:") ? Int64($0.dropFirst(8)) : nil }
            let resultIDs = keys.compactMap { $0.hasPrefix("eval:") ? Int64($0.dropFirst(5)) : nil }
            if !messageIDs.isEmpty {
                for row in try Row.fetchAll(
                    db,
                    sql:
                        "SELECT * FROM production_message WHERE id IN (\(messageIDs.map { _ in "?" }.joined(separator: ",")))",
                    arguments: StatementArguments(messageIDs))
                {
                    let candidate = Self.candidate(message: row)
                    found[candidate.sourceKey] = candidate
                }
            }
            if !resultIDs.isEmpty {
                for candidate in try Self.evalCandidates(
                    db, where: "id IN (\(resultIDs.map { _ in "?" }.joined(separator: ",")))",
                    arguments: StatementArguments(resultIDs))
                {
                    found[candidate.sourceKey] = candidate
                }
            }
            return found
        }
        return keys.compactMap { byKey[$0] }
    }

    static func candidate(message row: Row) -> ReviewCandidate {
        ReviewCandidate(
            sourceKey: "message:\(row["id"] as Int64)", at: row["at"], promptID: row["prompt_id"] ?? "(unknown)",
            promptVersion: row["prompt_version"] ?? "", language: row["language"] ?? "pt-BR",
            persona: row["persona"] ?? "",
            conversationID: row["conversation_id"], userID: row["user_id"], userMessage: row["user_message"],
            response: row["response"], guardAction: row["guard_action"],
            guardCategories: (row["guard_categories"] as String? ?? "").split(separator: ",").map(String.init),
            scores: [:])
    }

    /// Candidate-side answers of evaluations that match `condition`, with their rubric scores, read from the columns
    /// the runner wrote.
    static func evalCandidates(_ db: Database, where condition: String, arguments: StatementArguments) throws
        -> [ReviewCandidate]
    {
        var candidates: [Int64: ReviewCandidate] = [:]
        var order: [Int64] = []
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT id, created_at, prompt_id, prompt_version, language, persona, user_message, output, guard_action,
                guard_categories FROM eval_result WHERE \(condition) ORDER BY id
                """, arguments: arguments)
        {
            let id: Int64 = row["id"]
            order.append(id)
            candidates[id] = ReviewCandidate(
                sourceKey: "eval:\(id)", at: row["created_at"], promptID: row["prompt_id"],
                promptVersion: row["prompt_version"], language: row["language"], persona: row["persona"],
                conversationID: nil, userID: nil, userMessage: row["user_message"], response: row["output"] ?? "",
                guardAction: row["guard_action"],
                guardCategories: (row["guard_categories"] as String).split(separator: ",").map(String.init),
                scores: [:])
        }
        for chunk in stride(from: 0, to: order.count, by: 500).map({ Array(order[$0..<min($0 + 500, order.count)]) }) {
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT result_id, rubric, score FROM eval_result_rubric
                    WHERE result_id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                    """, arguments: StatementArguments(chunk))
            {
                candidates[row["result_id"]]?.scores[row["rubric"]] = row["score"]
            }
        }
        return order.compactMap { candidates[$0] }
    }

    /// Candidates created in [from, to) that were never sampled: production messages and candidate-side answers.
    public func reviewCandidates(from: Date, to: Date) throws -> [ReviewCandidate] {
        try writer.read { db in
            var result: [ReviewCandidate] = []
            let sampled = Set(try String.fetchAll(db, sql: "SELECT source_key FROM review_item"))
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, at, prompt_id, prompt_version, language, persona, conversation_id, user_id, user_message,
                    response, guard_action, guard_categories FROM production_message WHERE at >= ? AND at < ? AND status = 'ok'
                    """, arguments: [from, to])
            {
                let key = "message:\(row["id"] as Int64)"
                if sampled.contains(key) { continue }
                result.append(
                    ReviewCandidate(
                        sourceKey: key, at: row["at"], promptID: row["prompt_id"] ?? "(unknown)",
                        promptVersion: row["prompt_version"] ?? "", language: row["language"] ?? "pt-BR",
                        persona: row["persona"] ?? "", conversationID: row["conversation_id"], userID: row["user_id"],
                        userMessage: row["user_message"], response: row["response"], guardAction: row["guard_action"],
                        guardCategories: (row["guard_categories"] as String? ?? "").split(separator: ",").map(
                            String.init),
                        scores: [:]))
            }
            result += try Self.evalCandidates(
                db,
                where: "created_at >= ? AND created_at < ? AND side = 'candidate' AND output IS NOT NULL",
                arguments: [from, to]
            ).filter { !sampled.contains($0.sourceKey) }
            return result
        }
    }

    /// Stores a week's sample; a week is sampled once (the existing sample is kept).
    public func saveSample(week: String, items: [(ReviewCandidate, String)]) throws {
        try writer.write { db in
            let existing =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM review_item WHERE week = ?", arguments: [week]) ?? 0
            guard existing == 0 else { return }
            let encoder = JSONEncoder()
            for (position, (candidate, stratum)) in items.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO review_item (week, source_key, position, stratum, detail, created_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        week, candidate.sourceKey, position + 1, stratum, try encoder.encode(candidate), Date(),
                    ])
            }
        }
    }

    /// A week's sample, in order.
    public func reviewItems(week: String) throws -> [ReviewItem] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM review_item WHERE week = ? ORDER BY position", arguments: [week])
                .map {
                    row in
                    ReviewItem(
                        id: row["id"], week: row["week"], position: row["position"], stratum: row["stratum"],
                        candidate: try JSONDecoder().decode(ReviewCandidate.self, from: row["detail"] as Data))
                }
        }
    }

    /// Stores feedback rows in one transaction: the latest answer of a reviewer on an item wins, and every
    /// answer that changed something is also kept in `review_feedback_history`.
    @discardableResult
    public func saveFeedback(_ rows: [ReviewFeedback], source: String) throws -> FeedbackSaveCounts {
        try writer.write { db in try Self.saveFeedback(rows, source: source, db: db) }
    }

    /// The body of `saveFeedback`, inside a caller's transaction.
    static func saveFeedback(_ rows: [ReviewFeedback], source: String, db: Database) throws -> FeedbackSaveCounts {
        var counts = FeedbackSaveCounts()
        for row in rows {
            let now = Date()
            let stored = try Row.fetchOne(
                db,
                sql: """
                    SELECT clinical_coherence, friendly_tone, safe, send_as_is, comment, corrected_answer
                    FROM review_feedback WHERE item_id = ? AND reviewer = ?
                    """, arguments: [row.itemID, row.reviewer])
            if let stored {
                let same =
                    stored["clinical_coherence"] as Int == row.clinicalCoherence
                    && stored["friendly_tone"] as Int == row.friendlyTone && stored["safe"] as Bool == row.safe
                    && stored["send_as_is"] as Bool == row.sendAsIs
                    && stored["comment"] as String? == row.comment
                    && stored["corrected_answer"] as String? == row.correctedAnswer
                if same {
                    counts.unchanged += 1
                    continue
                }
                counts.updated += 1
            } else {
                counts.new += 1
            }
            let arguments: StatementArguments = [
                row.itemID, row.reviewer, row.clinicalCoherence, row.friendlyTone, row.safe, row.sendAsIs,
                row.comment, row.correctedAnswer, source, now,
            ]
            try db.execute(
                sql: """
                    INSERT INTO review_feedback (item_id, reviewer, clinical_coherence, friendly_tone, safe, send_as_is,
                    comment, corrected_answer, source, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (item_id, reviewer) DO UPDATE SET clinical_coherence = excluded.clinical_coherence,
                    friendly_tone = excluded.friendly_tone, safe = excluded.safe, send_as_is = excluded.send_as_is,
                    comment = excluded.comment, corrected_answer = excluded.corrected_answer,
                    source = excluded.source, submitted_at = excluded.submitted_at
                    """, arguments: arguments)
            try db.execute(
                sql: """
                    INSERT INTO review_feedback_history (item_id, reviewer, clinical_coherence, friendly_tone, safe,
                    send_as_is, comment, corrected_answer, source, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: arguments)
        }
        return counts
    }

    /// Every answer a reviewer gave on an item, oldest first (the last is the one in force).
    public func feedbackHistory(itemID: Int64, reviewer: String) throws -> [ReviewFeedback] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM review_feedback_history WHERE item_id = ? AND reviewer = ? ORDER BY id
                    """, arguments: [itemID, reviewer]
            ).map(Self.feedback(row:))
        }
    }

    /// How many answers the history holds, all items and reviewers.
    public func feedbackHistoryCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM review_feedback_history") ?? 0 }
    }

    /// Each sampled item's week.
    public func reviewItemWeeks() throws -> [Int64: String] {
        try writer.read { db in
            var weeks: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, week FROM review_item") { weeks[row["id"]] = row["week"] }
            return weeks
        }
    }

    static func feedback(row: Row) -> ReviewFeedback {
        ReviewFeedback(
            itemID: row["item_id"], reviewer: row["reviewer"], clinicalCoherence: row["clinical_coherence"],
            friendlyTone: row["friendly_tone"], safe: row["safe"], sendAsIs: row["send_as_is"],
            comment: row["comment"], correctedAnswer: row["corrected_answer"])
    }

    /// Every feedback row, with the item's rubric scores, for the agreement.
    public func feedback(week: String?) throws -> [(ReviewFeedback, ReviewCandidate)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT f.*, i.detail FROM review_feedback f JOIN review_item i ON i.id = f.item_id
                    WHERE ? IS NULL OR i.week = ? ORDER BY f.id
                    """, arguments: [week, week]
            ).map { row in
                (
                    ReviewFeedback(
                        itemID: row["item_id"], reviewer: row["reviewer"], clinicalCoherence: row["clinical_coherence"],
                        friendlyTone: row["friendly_tone"], safe: row["safe"], sendAsIs: row["send_as_is"],
                        comment: row["comment"], correctedAnswer: row["corrected_answer"]),
                    try JSONDecoder().decode(ReviewCandidate.self, from: row["detail"] as Data)
                )
            }
        }
    }

    /// Registers a reviewer's token (only its hash is stored).
    public func addReviewer(name: String, week: String, tokenSHA256: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO reviewer (name, week, token_sha256) VALUES (?, ?, ?)",
                arguments: [name, week, tokenSHA256])
        }
    }

    /// The reviewer and week a token belongs to.
    public func reviewer(tokenSHA256: String) throws -> (name: String, week: String)? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT name, week FROM reviewer WHERE token_sha256 = ?", arguments: [tokenSHA256]
            ).map {
                ($0["name"], $0["week"])
            }
        }
    }

    /// Item ids a reviewer has answered.
    public func answeredItems(reviewer: String) throws -> Set<Int64> {
        try writer.read { db in
            Set(
                try Int64.fetchAll(
                    db, sql: "SELECT item_id FROM review_feedback WHERE reviewer = ?", arguments: [reviewer]))
        }
    }
}
