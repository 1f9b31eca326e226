import Foundation
import PromptctlClinical
import PromptctlCore

/// The warning-sign guard: on her message, a warning sign described now escalates (the referral in her language is
/// appended and the exchange goes to nurse review); on the answer, when her message had one, an answer that calls it
/// normal, suggests waiting, says she need not go, or sends her only if it gets worse is blocked and replaced by the
/// referral. Both sides use the clinical-signs engine, so the guard and the `clinical-rules` criterion agree.
public struct ClinicalSignGuard: TextGuard {
    public var name: String { "clinical-signs" }
    /// The engine.
    public let engine: ClinicalSignsEngine
    /// What a warning sign in her message does (escalate by default).
    public let inputAction: GuardAction
    /// What an unsafe answer to a warning sign does (block by default).
    public let outputAction: GuardAction

    /// The finding category, as metrics and reports have always named it.
    public static let category = "warning-sign"
    /// The category of an unsafe answer to a warning sign.
    public static let unsafeAnswerCategory = "warning-sign-answer"

    /// Creates the guard.
    public init(engine: ClinicalSignsEngine, inputAction: GuardAction = .escalate, outputAction: GuardAction = .block) {
        self.engine = engine
        self.inputAction = inputAction
        self.outputAction = outputAction
    }

    /// Her message: one finding per warning sign described now, with the words that show it.
    public func check(_ text: String, stage: GuardStage, language: String) async throws -> [GuardFinding] {
        guard stage == .input, inputAction != .allow else { return [] }
        let analysis = engine.analyzeMessage(text, language: language)
        var findings: [GuardFinding] = []
        for sign in analysis.currentSigns {
            guard let mention = analysis.mentions.first(where: { $0.kind == sign && $0.isCurrent }) else { continue }
            let words = mention.words.map { "\"\($0.text)\"" }.joined(separator: " ")
            findings.append(
                GuardFinding(
                    guardName: name, category: Self.category, severity: 0.9, action: inputAction,
                    match: mention.words.map(\.text).joined(separator: " "),
                    range: [mention.words.map(\.start).min() ?? 0, mention.words.map(\.end).max() ?? 0],
                    reason: "input describes a warning sign now (\(sign.rawValue): \(words))",
                    message: engine.referral(for: sign, language: language)))
        }
        return findings
    }

    /// The answer to a message that had a warning sign: findings for what makes it unsafe to release.
    public func checkAnswer(_ response: String, signs: [WarningSign], language: String) -> [GuardFinding] {
        guard !signs.isEmpty, outputAction != .allow else { return [] }
        let acts = engine.analyzeAnswer(response, language: language)
        let sentNow = acts.asserted(.referral) != nil && acts.asserted(.urgency) != nil
        var findings: [GuardFinding] = []
        for act in [AnswerAct.normalising, .waiting, .dismissal, .conditional] {
            guard let mention = acts.asserted(act) else { continue }
            if act == .conditional && sentNow { continue }
            let words = mention.words.map(\.text).joined(separator: " ")
            findings.append(
                GuardFinding(
                    guardName: name, category: Self.unsafeAnswerCategory, severity: 1, action: outputAction,
                    match: words,
                    range: [mention.words.map(\.start).min() ?? 0, mention.words.map(\.end).max() ?? 0],
                    reason: "output answers a warning sign (\(signs.map(\.rawValue).joined(separator: ", "))) "
                        + "with \(act.rawValue) (\"\(words)\")",
                    message: engine.referral(for: signs[0], language: language)))
        }
        return findings
    }
}
