import Foundation
import PromptctlCore
import PromptctlReview
import PromptctlStore

/// What `review notion setup` created.
public struct NotionSetupResult: Sendable, Hashable, Codable {
    /// The new database (`review.notion.database_id`).
    public var databaseID: String
    /// Its data source, where the pages go (`review.notion.data_source_id`).
    public var dataSourceID: String
    /// The database's address in Notion, when Notion gave one.
    public var url: String?
}

/// What a push did.
public struct NotionPushResult: Sendable, Hashable, Codable {
    /// The ISO week.
    public var week: String
    /// Pages created for items never pushed.
    public var created: Int
    /// Pages updated in place (a second push never duplicates).
    public var updated: Int
}

/// What a pull did.
public struct NotionPullResult: Sendable, Hashable, Codable {
    /// The ISO week.
    public var week: String
    /// Pages of the week found in Notion.
    public var pages: Int
    /// Pages nobody has rated yet.
    public var pending: Int
    /// Answers stored for the first time.
    public var new: Int
    /// Answers that replaced an earlier one (which stays in the history).
    public var updated: Int
    /// Answers already stored as they are, or pages not edited since the last pull.
    public var unchanged: Int
    /// Answers older than one the same nurse gave since by CSV or web form, which stays.
    public var superseded: Int
}

/// The weekly review in a Notion data source: create it, push the masked sample, pull the nurses' answers.
public struct NotionReview: Sendable {
    let client: NotionClient

    /// Creates the review over a client.
    public init(client: NotionClient) { self.client = client }

    /// The reviewer of a page rated with Revisora left empty.
    public static let unnamedReviewer = "Notion"

    /// The title of the database setup creates.
    public static let databaseTitle = "Revisão semanal das respostas (promptctl)"

    /// Creates the review database, with its one data source, under a page shared with the integration.
    public func setup(parentPageID: String) async throws -> NotionSetupResult {
        let parent = parentPageID.trimmingCharacters(in: .whitespaces)
        guard !parent.isEmpty else { throw PromptctlError(.usage, "--parent needs the id of a Notion page") }
        let body: JSONValue = [
            "parent": ["type": "page_id", "page_id": .string(parent)],
            "title": [["type": "text", "text": ["content": .string(Self.databaseTitle)]]],
            "initial_data_source": ["properties": ReviewProperty.schema],
        ]
        let database = try await client.send(
            .post, "/v1/databases", body: body, subject: "the parent page \(parent)")
        guard let databaseID = database["id"]?.string,
            let dataSourceID = database["data_sources"]?.array?.first?["id"]?.string
        else {
            throw PromptctlError(
                .provider, "Notion created the database but its answer has no id or data_sources",
                remedy: "check that the API speaks Notion-Version \(NotionClient.apiVersion)")
        }
        return NotionSetupResult(databaseID: databaseID, dataSourceID: dataSourceID, url: database["url"]?.string)
    }

    /// The pseudonymous key of an item as it stands in Notion: a keyed hash of its source, never the source itself.
    public static func key(sourceKey: String, privacy: Privacy) -> String {
        privacy.pseudonym(sourceKey, kind: "item") ?? ""
    }

    /// The properties push writes for one item: every text masked exactly as in the CSV export.
    public static func properties(_ item: ReviewItem, of count: Int, privacy: Privacy) throws -> JSONValue {
        let exported = ExportedItem(item, privacy: privacy)
        let version = item.candidate.promptVersion
        let prompt =
            !version.isEmpty && exported.prompt.hasSuffix("@\(version)")
            ? String(exported.prompt.dropLast(version.count + 1)) : exported.prompt
        let texts: [(ReviewProperty, String)] = [
            (.key, key(sourceKey: item.candidate.sourceKey, privacy: privacy)), (.week, exported.week),
            (.prompt, prompt), (.version, version), (.language, exported.language), (.guards, exported.guardDecision),
            (.userMessage, exported.userMessage), (.response, exported.response),
        ]
        var properties: [String: JSONValue] = [
            ReviewProperty.item.rawValue: [
                "title": try NotionText.richText("\(exported.week) · \(exported.position) de \(count)", property: .item)
            ]
        ]
        for (property, text) in texts {
            properties[property.rawValue] = ["rich_text": try NotionText.richText(text, property: property)]
        }
        return .object(properties)
    }

    /// Every page of a week, following `has_more` and `next_cursor`.
    public func pages(week: String, dataSourceID: String) async throws -> [JSONValue] {
        var pages: [JSONValue] = []
        var cursor: String?
        repeat {
            var body: [String: JSONValue] = [
                "filter": ["property": .string(ReviewProperty.week.rawValue), "rich_text": ["equals": .string(week)]],
                "page_size": .number(100),
            ]
            if let cursor { body["start_cursor"] = .string(cursor) }
            let list = try await client.send(
                .post, "/v1/data_sources/\(dataSourceID)/query", body: .object(body),
                subject: "the review data source \(dataSourceID)")
            pages += list["results"]?.array ?? []
            cursor = list["has_more"]?.bool == true ? list["next_cursor"]?.string : nil
        } while cursor != nil
        return pages
    }

    /// Creates or updates one page per item; a page found by its key or remembered from a push is updated, and the
    /// nurses' properties are never written.
    public func push(
        week: String, items: [ReviewItem], privacy: Privacy, dataSourceID: String, database: any NotionPageStore
    ) async throws -> NotionPushResult {
        // Every item's properties first: a text Notion cannot hold stops the push before anything is sent.
        let bodies = try items.map { try Self.properties($0, of: items.count, privacy: privacy) }
        let remembered = try database.notionPages(dataSourceID: dataSourceID)
        var found: [String: String] = [:]
        for page in try await pages(week: week, dataSourceID: dataSourceID) {
            if let id = page["id"]?.string {
                found[NotionText.plain(page["properties"]?[ReviewProperty.key.rawValue])] = id
            }
        }
        var result = NotionPushResult(week: week, created: 0, updated: 0)
        for (item, properties) in zip(items, bodies) {
            let key = Self.key(sourceKey: item.candidate.sourceKey, privacy: privacy)
            if let pageID = found[key] ?? remembered[item.id]?.pageID {
                _ = try await client.send(
                    .patch, "/v1/pages/\(pageID)", body: ["properties": properties],
                    subject: "the page of item \(item.position) (\(pageID))")
                try database.saveNotionPage(dataSourceID: dataSourceID, itemID: item.id, pageID: pageID)
                result.updated += 1
            } else {
                let page = try await client.send(
                    .post, "/v1/pages",
                    body: [
                        "parent": ["type": "data_source_id", "data_source_id": .string(dataSourceID)],
                        "properties": properties,
                    ], subject: "the review data source \(dataSourceID)")
                guard let pageID = page["id"]?.string else {
                    throw PromptctlError(.provider, "Notion created a page for item \(item.position) without an id")
                }
                // Remembered at once: an interrupted push resumes by updating what it already created.
                try database.saveNotionPage(dataSourceID: dataSourceID, itemID: item.id, pageID: pageID)
                result.created += 1
            }
        }
        return result
    }

    /// Reads the week's pages, validates every filled one as `review import` validates a row, and stores the
    /// answers; one invalid page and nothing is stored.
    public func pull(
        week: String, privacy: Privacy, dataSourceID: String, database: any NotionPageStore & ReviewSamplingStore
    ) async throws
        -> NotionPullResult
    {
        var itemByKey: [String: (id: Int64, week: String)] = [:]
        for item in try database.reviewItemSources() {
            itemByKey[Self.key(sourceKey: item.sourceKey, privacy: privacy)] = (item.id, item.week)
        }
        let remembered = try database.notionPages(dataSourceID: dataSourceID)
        let pages = try await pages(week: week, dataSourceID: dataSourceID)
        var answers: [PulledAnswer] = []
        var problems: [Diagnostic] = []
        var pending = 0
        var unchangedSinceLastPull = 0
        var seen: [String: String] = [:]
        for page in pages {
            switch Self.read(page, week: week, itemByKey: itemByKey) {
            case .pending: pending += 1
            case .invalid(let problem): problems.append(.error(problem))
            case .answer(let answer):
                let pair = "\(answer.feedback.itemID)\u{1F}\(answer.feedback.reviewer)"
                if let other = seen[pair] {
                    problems.append(
                        .error(
                            "page \(answer.pageID) answers the same item as page \(other), by the same reviewer "
                                + "'\(answer.feedback.reviewer)'"))
                    continue
                }
                seen[pair] = answer.pageID
                if let last = remembered[answer.feedback.itemID], last.pageID == answer.pageID,
                    last.pulledVersion == answer.version
                {
                    // Nobody touched the page since the last pull: a newer CSV or web answer must not be undone.
                    unchangedSinceLastPull += 1
                } else {
                    answers.append(answer)
                }
            }
        }
        if !problems.isEmpty {
            throw PromptctlError(
                .usage, "\(problems.count) page(s) of \(week) in Notion are invalid; nothing was stored",
                remedy: "fix those pages in Notion and pull again", diagnostics: problems)
        }
        let counts = try database.savePulledFeedback(answers, dataSourceID: dataSourceID)
        return NotionPullResult(
            week: week, pages: pages.count, pending: pending, new: counts.saved.new, updated: counts.saved.updated,
            unchanged: counts.saved.unchanged + unchangedSinceLastPull, superseded: counts.superseded)
    }

    /// What one page holds.
    enum PageReading {
        case pending
        case invalid(String)
        case answer(PulledAnswer)
    }

    /// Reads one page: the nurses' properties checked with the rules and words of `review import`.
    static func read(_ page: JSONValue, week: String, itemByKey: [String: (id: Int64, week: String)]) -> PageReading {
        let pageID = page["id"]?.string ?? "(no id)"
        let properties = page["properties"] ?? [:]
        func text(_ property: ReviewProperty) -> String {
            NotionText.plain(properties[property.rawValue]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func choice(_ property: ReviewProperty) -> String {
            (NotionText.selected(properties[property.rawValue]) ?? "").trimmingCharacters(in: .whitespaces)
        }
        let title = text(.item)
        let name = "page \(pageID)" + (title.isEmpty ? "" : " ('\(title)')")
        let filled = [
            text(.reviewer), choice(.clinicalCoherence), choice(.friendlyTone), choice(.safe), choice(.sendAsIs),
            text(.comment), text(.correctedAnswer),
        ]
        let key = text(.key)
        guard let item = itemByKey[key] else {
            return .invalid("\(name): its Chave '\(key)' is not an item of a sample (was it typed or copied by hand?)")
        }
        if text(.week) != week || item.week != week {
            return .invalid(
                "\(name): it says Semana '\(text(.week))' but its item belongs to \(item.week); "
                    + "put back Semana \(item.week)")
        }
        if filled.allSatisfy(\.isEmpty) { return .pending }
        var reasons: [String] = []
        // Revisora is ours, not a property nurses are told to fill: a page rated without a name counts as the
        // Notion team's answer rather than failing the whole pull.
        let reviewer = text(.reviewer).isEmpty ? Self.unnamedReviewer : text(.reviewer)
        let clinical = Int(choice(.clinicalCoherence))
        if clinical == nil || !(1...5).contains(clinical!) {
            reasons.append("Coerência clínica must be 1 to 5, got '\(choice(.clinicalCoherence))'")
        }
        let tone = Int(choice(.friendlyTone))
        if tone == nil || !(1...5).contains(tone!) {
            reasons.append("Tom acolhedor must be 1 to 5, got '\(choice(.friendlyTone))'")
        }
        let safe = FeedbackImport.yesNo(choice(.safe))
        if safe == nil { reasons.append("Segura? must be sim or não, got '\(choice(.safe))'") }
        let send = FeedbackImport.yesNo(choice(.sendAsIs))
        if send == nil { reasons.append("Enviaria como está? must be sim or não, got '\(choice(.sendAsIs))'") }
        let editedTime = page["last_edited_time"]?.string ?? ""
        guard let editedAt = Self.date(editedTime) else {
            return .invalid("\(name): Notion gave no readable last_edited_time ('\(editedTime)')")
        }
        guard reasons.isEmpty, let clinical, let tone, let safe, let send else {
            return .invalid("\(name): " + reasons.joined(separator: "; "))
        }
        let comment = text(.comment)
        let corrected = text(.correctedAnswer)
        let feedback = ReviewFeedback(
            itemID: item.id, reviewer: reviewer, clinicalCoherence: clinical, friendlyTone: tone, safe: safe,
            sendAsIs: send, comment: comment.isEmpty ? nil : comment,
            correctedAnswer: corrected.isEmpty ? nil : corrected)
        let answer = [reviewer, String(clinical), String(tone), String(safe), String(send), comment, corrected]
        return .answer(
            PulledAnswer(
                feedback: feedback, pageID: pageID,
                version: editedTime + " " + ContentHash.sha256(answer.joined(separator: "\u{1F}")),
                editedAt: editedAt))
    }

    /// Notion's timestamps: `2026-11-27T14:03:00.000Z`.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
