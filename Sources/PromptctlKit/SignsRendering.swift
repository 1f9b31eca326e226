import Foundation
import PromptctlReports

/// The plain-text renderings of `promptctl signs` (their JSON is the values themselves).
extension SignsService {
    /// What the engine read in a message, and its verdict on an answer.
    public static func render(_ explanation: Explanation) -> String {
        let current = explanation.currentSigns.map(\.rawValue)
        var text =
            current.isEmpty
            ? "no warning sign described now\n" : "warning sign now: \(current.joined(separator: ", "))\n"
        if !explanation.message.mentions.isEmpty {
            text += "\n" + table("SIGN", explanation.message.mentions, spans: true)
        }
        if let learned = explanation.message.learned {
            let verdict: String
            switch learned.outcome {
            case .added: verdict = "added \(learned.sign?.rawValue ?? ""), which the rules did not find now"
            case .setAside: verdict = "set aside the rules' signs: it reads no sign described now"
            case .unchanged: verdict = "changed nothing"
            }
            let words = learned.words.map { "\"\($0.text)\" [\($0.start),\($0.end))" }.joined(separator: "; ")
            let probability = String(format: "%.2f", learned.signProbability)
            text +=
                learned.sign.map { sign in
                    "\nlearned detector: \(verdict) (probability of a sign \(probability), most likely "
                        + "\(sign.rawValue))" + (words.isEmpty ? "" : "; weighed most: " + words) + "\n"
                } ?? "\nlearned detector: not asked (no evidence of a sign in the message)\n"
        }
        if let judgement = explanation.judgement {
            text += "\nanswer: " + (judgement.passed ? "passes the clinical rules" : "fails the clinical rules") + "\n"
            for failure in judgement.failures { text += "  - \(failure.description)\n" }
            if !judgement.answer.mentions.isEmpty {
                text += "\n" + table("ACT", judgement.answer.mentions, spans: false)
            }
        }
        return text
    }

    /// Recall and false alarms by language, sign and context; every error when asked.
    public static func render(_ result: MessageEvaluation, showErrors: Bool) -> String {
        var rows: [[String]] = [row("all", result.overall, others: result.overall.otherMessages)]
        for language in result.byLanguage.keys.sorted() {
            rows.append(row(language, result.byLanguage[language]!, others: result.byLanguage[language]!.otherMessages))
        }
        for sign in result.bySign.keys.sorted() {
            rows.append(row(sign, result.bySign[sign]!, others: result.overall.otherMessages))
        }
        var text = TextTable(
            headers: ["GROUP", "SIGN MSGS", "RECALL", "RIGHT SIGN", "OTHER MSGS", "FALSE ALARMS"], rows: rows
        ).render()
        text +=
            "\nfalse alarms by context: "
            + result.byContext.keys.sorted().map {
                "\($0) \(result.byContext[$0]!.falseAlarms)/\(result.byContext[$0]!.otherMessages)"
            }.joined(separator: ", ") + "\n"
        text += String(
            format: "speed: %.0f messages/s (one thread, debug or release as built)\n", result.messagesPerSecond)
        if showErrors {
            for miss in result.errors {
                text +=
                    "\(miss.id) expected \(miss.expected ?? "none") found "
                    + "\(miss.found.map(\.rawValue).joined(separator: ",")): \(miss.text)\n"
            }
        }
        return text
    }

    /// How often the clinical rules judge answers as labelled; every error when asked.
    public static func render(_ result: AnswerEvaluation, showErrors: Bool) -> String {
        var text = agreementTable(["KIND", "ANSWERS", "JUDGED AS LABELLED"], result.byKind)
        if showErrors {
            for miss in result.errors {
                text +=
                    "\n\(miss.id) [\(miss.kind ?? "")] expected \(miss.expected); signs: "
                    + "\(miss.signs.map(\.rawValue).joined(separator: ","))\n  her: \(miss.message)\n"
                    + "  answer: \(miss.answer)\n  failures: \(miss.failures.joined(separator: "; "))\n"
            }
        }
        return text
    }

    /// How often a tone rubric agrees with answers rated warm or cold; every error when asked.
    public static func render(_ result: ToneEvaluation, showErrors: Bool) -> String {
        var text =
            agreementTable(["LANGUAGE", "ANSWERS", "RUBRIC AGREES"], result.byLanguage)
            + String(format: "kappa %.2f\n", result.kappa)
        if showErrors { for error in result.errors { text += error + "\n" } }
        return text
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// Agreement counts by group, one row each in key order.
    static func agreementTable(_ headers: [String], _ groups: [String: AnswerEvaluation.Agreement]) -> String {
        TextTable(
            headers: headers,
            rows: groups.keys.sorted().map { key in [key, "\(groups[key]!.total)", percent(groups[key]!.rate)] }
        ).render()
    }

    static func row(_ name: String, _ counts: Counts, others: Int) -> [String] {
        [
            name, "\(counts.signMessages)", counts.signMessages == 0 ? "" : percent(counts.recall),
            counts.signMessages == 0 ? "" : percent(counts.signRecall), "\(others)",
            others == 0 ? "" : "\(counts.falseAlarms) (\(percent(Double(counts.falseAlarms) / Double(others))))",
        ]
    }
}
