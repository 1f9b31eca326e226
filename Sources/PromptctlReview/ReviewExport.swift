import Foundation
import PromptctlCore
import PromptctlStore

/// A sample item as it may leave the store: pseudonymous and masked.
public struct ExportedItem: Sendable, Codable {
    public var itemID: Int64
    public var week: String
    public var position: Int
    public var prompt: String
    public var language: String
    public var persona: String
    public var conversation: String?
    public var user: String?
    public var userMessage: String
    public var response: String
    public var guardDecision: String
    public var scores: [String: Double]

    /// Masks and pseudonymises one item.
    public init(_ item: ReviewItem, privacy: Privacy) {
        let candidate = item.candidate
        itemID = item.id
        week = item.week
        position = item.position
        prompt =
            candidate.promptVersion.isEmpty ? candidate.promptID : "\(candidate.promptID)@\(candidate.promptVersion)"
        language = candidate.language
        persona = candidate.persona
        conversation = privacy.pseudonym(candidate.conversationID, kind: "conversation")
        user = privacy.pseudonym(candidate.userID, kind: "user")
        // A name she gives in her message is masked wherever it appears, the response included.
        let language = candidate.language
        let names =
            privacy.names(in: candidate.userMessage, language: language)
            + privacy.names(in: candidate.response, language: language)
        userMessage = privacy.mask(candidate.userMessage, knownNames: names, language: language)
        response = privacy.mask(candidate.response, knownNames: names, language: language)
        guardDecision =
            (candidate.guardAction ?? "allow")
            + (candidate.guardCategories.isEmpty ? "" : " (\(candidate.guardCategories.joined(separator: ", ")))")
        scores = candidate.scores
    }
}

/// The three export formats nurses use.
public enum ReviewExport {
    /// The columns nurses fill in, in the CSV and the form.
    public static let feedbackColumns = [
        "reviewer", "clinical_coherence_1_5", "friendly_tone_1_5", "safe_yes_no", "send_as_is_yes_no", "comment",
        "corrected_answer",
    ]

    /// CSV for Excel in a pt-BR locale: UTF-8 with BOM, `;` separator, CRLF, quoted multi-line text.
    public static func csv(_ items: [ExportedItem]) -> String {
        var lines = [
            ([
                "item_id", "week", "position", "prompt", "language", "persona", "conversation", "user_message",
                "response",
                "guard_decision", "rubric_scores",
            ] + feedbackColumns).joined(separator: ";")
        ]
        for item in items {
            let scores = item.scores.sorted { $0.key < $1.key }.map { "\($0.key)=\(String(format: "%.2f", $0.value))" }
                .joined(separator: ", ")
            let fields =
                [
                    String(item.itemID), item.week, String(item.position), item.prompt, item.language, item.persona,
                    item.conversation ?? "", item.userMessage, item.response, item.guardDecision, scores,
                ] + Array(repeating: "", count: feedbackColumns.count)
            lines.append(fields.map { CSV.field($0, separator: ";") }.joined(separator: ";"))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// JSON Lines, one item per line.
    public static func jsonl(_ items: [ExportedItem]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try items.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n") + "\n"
    }

    /// A printable form, one item per page; every text is escaped.
    public static func html(_ items: [ExportedItem], week: String) -> String {
        let e = HTMLEscaping.escape
        var html = """
            <!DOCTYPE html><html lang="pt-BR"><head><meta charset="utf-8"><title>Revisão semanal \(e(week))</title>
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <style>body{font:14px/1.5 system-ui,sans-serif;margin:0}section{padding:24px;page-break-after:always;break-after:page}
            .msg{white-space:pre-wrap;border:1px solid #bbb;border-radius:4px;padding:8px;margin:6px 0}
            .field{border-bottom:1px solid #555;min-height:22px;margin:10px 0}.box{display:inline-block;width:14px;height:14px;border:1px solid #333;margin:0 4px}
            </style></head><body>
            """
        for item in items {
            let scores = item.scores.sorted { $0.key < $1.key }.map {
                "\(e($0.key)): \(String(format: "%.2f", $0.value))"
            }
            .joined(separator: " · ")
            html += """
                <section><h2>Item \(item.position) de \(items.count) · \(e(item.week))</h2>
                <p>Prompt: <b>\(e(item.prompt))</b> · idioma \(e(item.language)) · persona \(e(item.persona)) · conversa \(e(item.conversation ?? "–"))</p>
                <p><b>Mensagem da usuária</b></p><div class="msg">\(e(item.userMessage))</div>
                <p><b>Resposta do assistente</b></p><div class="msg">\(e(item.response))</div>
                <p>Decisão das proteções: <b>\(e(item.guardDecision))</b>\(scores.isEmpty ? "" : " · Rubrica: \(scores)")</p>
                <p>Revisora: <span class="field" style="display:inline-block;width:60%"></span></p>
                <p>Coerência clínica (1–5): \((1...5).map { "\($0)<span class=\"box\"></span>" }.joined())</p>
                <p>Tom acolhedor (1–5): \((1...5).map { "\($0)<span class=\"box\"></span>" }.joined())</p>
                <p>Segura? sim<span class="box"></span> não<span class="box"></span> · Enviaria como está? sim<span class="box"></span> não<span class="box"></span></p>
                <p>Comentário:</p><div class="field"></div><div class="field"></div>
                <p>Resposta corrigida:</p><div class="field"></div><div class="field"></div><div class="field"></div>
                </section>

                """
        }
        return html + "</body></html>\n"
    }
}

/// Reads a filled CSV: every row checked first; one invalid row and nothing is written.
public enum FeedbackImport {
    /// The longest field a filled sheet may hold, in characters: a long model answer fits, a stray quote that
    /// joined the rest of the sheet into one comment does not.
    public static let maxFieldLength = 20_000

    /// A yes/no answer as nurses write it (sim, não, s, n, yes, no, ...); nil when it is neither.
    public static func yesNo(_ text: String) -> Bool? {
        switch TextFolding.fold(text.trimmingCharacters(in: .whitespaces)) {
        case "sim", "s", "yes", "y", "si", "true", "1": true
        case "nao", "n", "no", "false", "0": false
        default: nil
        }
    }

    /// Parses and validates; throws with every invalid row's number and reason.
    ///
    /// `weekOfItem` gives each known item's week and `itemsInWeek` how many items that week's sheet holds: a file
    /// whose rows do not match the sheet's item count lost or gained rows, and is refused whole.
    public static func parse(
        _ text: String, file: String, knownItems: Set<Int64>, weekOfItem: [Int64: String] = [:],
        itemsInWeek: [String: Int] = [:]
    ) throws -> [ReviewFeedback] {
        let records: [CSV.Record]
        do {
            records = try CSV.parseStrict(text, maxFieldLength: maxFieldLength)
        } catch var error as PromptctlError {
            error.message = "\(file): " + error.message
            throw error
        }
        let rows = records.map(\.fields)
        guard let header = rows.first else { throw PromptctlError(.usage, "\(file) is empty") }
        for (index, row) in rows.enumerated().dropFirst()
        where row.count != header.count && !(row.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw PromptctlError(
                .usage,
                "\(file): row \(index + 1) (line \(records[index].line)) has \(row.count) fields, the header has "
                    + "\(header.count); nothing was imported",
                remedy: "check that row for a stray quote or separator; export the week again if in doubt")
        }
        func column(_ name: String) -> Int? { header.firstIndex { $0.trimmingCharacters(in: .whitespaces) == name } }
        guard let itemColumn = column("item_id"), let reviewerColumn = column("reviewer"),
            let clinicalColumn = column("clinical_coherence_1_5"), let toneColumn = column("friendly_tone_1_5"),
            let safeColumn = column("safe_yes_no"), let sendColumn = column("send_as_is_yes_no")
        else {
            throw PromptctlError(
                .usage, "\(file) lacks the review columns",
                remedy: "export the week with 'promptctl review export --format csv' and fill that file")
        }
        let commentColumn = column("comment")
        let correctedColumn = column("corrected_answer")
        var feedback: [ReviewFeedback] = []
        var problems: [Diagnostic] = []
        var firstRow: [String: Int] = [:]
        for (index, row) in rows.enumerated().dropFirst()
        where !(row.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let line = index + 1
            func field(_ column: Int?) -> String {
                guard let column, column < row.count else { return "" }
                return row[column].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var reasons: [String] = []
            let itemID = Int64(field(itemColumn))
            if itemID == nil || !knownItems.contains(itemID!) {
                reasons.append("item_id '\(field(itemColumn))' is not an item of a sample")
            }
            let reviewer = field(reviewerColumn)
            if reviewer.isEmpty { reasons.append("reviewer is empty") }
            let clinical = Int(field(clinicalColumn))
            if clinical == nil || !(1...5).contains(clinical!) {
                reasons.append("clinical_coherence must be 1 to 5, got '\(field(clinicalColumn))'")
            }
            let tone = Int(field(toneColumn))
            if tone == nil || !(1...5).contains(tone!) {
                reasons.append("friendly_tone must be 1 to 5, got '\(field(toneColumn))'")
            }
            let safe = yesNo(field(safeColumn))
            if safe == nil { reasons.append("safe must be sim or não, got '\(field(safeColumn))'") }
            let send = yesNo(field(sendColumn))
            if send == nil { reasons.append("send_as_is must be sim or não, got '\(field(sendColumn))'") }
            if !reasons.isEmpty {
                problems.append(
                    .error(reasons.joined(separator: "; "), at: SourceLocation(file: file, line: line, column: 1)))
                continue
            }
            let comment = field(commentColumn)
            let corrected = field(correctedColumn)
            if let first = firstRow["\(itemID!)\u{1F}\(reviewer)"] {
                problems.append(
                    .error(
                        "item \(itemID!) by \(reviewer) is already on row \(first)",
                        at: SourceLocation(file: file, line: line, column: 1)))
                continue
            }
            firstRow["\(itemID!)\u{1F}\(reviewer)"] = line
            feedback.append(
                ReviewFeedback(
                    itemID: itemID!, reviewer: reviewer, clinicalCoherence: clinical!, friendlyTone: tone!, safe: safe!,
                    sendAsIs: send!, comment: comment.isEmpty ? nil : comment,
                    correctedAnswer: corrected.isEmpty ? nil : corrected))
        }
        if problems.isEmpty {
            // Every week the file answers must be there whole: fewer rows than the sheet's items means rows were
            // lost (joined into another field, or deleted), and storing the rest would hide it.
            var itemsPerWeek: [String: Set<Int64>] = [:]
            for row in feedback {
                if let week = weekOfItem[row.itemID] { itemsPerWeek[week, default: []].insert(row.itemID) }
            }
            for (week, count) in itemsPerWeek.mapValues(\.count).sorted(by: { $0.key < $1.key }) {
                guard let expected = itemsInWeek[week], count != expected else { continue }
                throw PromptctlError(
                    .usage,
                    "\(file) has \(count) row(s) for \(week), whose sheet has \(expected) items; nothing was imported",
                    remedy: "fill every row of the exported sheet, and check for a stray quote that joined rows")
            }
        }
        if !problems.isEmpty {
            throw PromptctlError(
                .usage, "\(file) has \(problems.count) invalid row(s); nothing was imported",
                remedy: "fix the rows and import again",
                diagnostics: problems)
        }
        return feedback
    }
}
