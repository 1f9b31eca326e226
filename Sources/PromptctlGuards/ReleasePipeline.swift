import Foundation
import PromptctlClinical
import PromptctlCore

/// A check on text: the term filter, or a moderation provider.
public protocol TextGuard: Sendable {
    /// The guard's name in findings and reports.
    var name: String { get }
    /// Findings for one text; throws when the guard cannot answer (a moderation service is down).
    func check(_ text: String, stage: GuardStage, language: String) async throws -> [GuardFinding]
}

/// What to do when a guard cannot answer.
public enum UnavailablePolicy: String, Sendable, Codable {
    /// Block the response (the default: safety first).
    case failClosed = "fail-closed"
    /// Release it, record that the guard was down and send it to nurse review.
    case failOpen = "fail-open"
}

/// The one release pipeline used everywhere: input checks on her message, output checks on the response.
///
/// The evaluation runner, `promptctl guard check` and the review export all call this type, so a
/// response is judged the same way wherever it is released.
public struct ReleasePipeline: Sendable {
    /// Guards run on her message.
    public let inputGuards: [any TextGuard]
    /// Guards run on the response.
    public let outputGuards: [any TextGuard]
    /// What an unavailable guard means.
    public let unavailablePolicy: UnavailablePolicy
    /// The warning-sign guard's answer check: an answer that tells her to wait for a warning sign is not released.
    public let clinical: ClinicalSignGuard?
    /// The longest text, in UTF-8 bytes, the guards check; a longer one is blocked unchecked.
    public let maxTextBytes: Int

    /// The default of `maxTextBytes` (`max_text_bytes` in `guards/policy.yaml`): 64 KiB.
    public static let defaultMaxTextBytes = 65_536

    /// Creates a pipeline.
    public init(
        inputGuards: [any TextGuard], outputGuards: [any TextGuard], unavailablePolicy: UnavailablePolicy = .failClosed,
        clinical: ClinicalSignGuard? = nil,
        maxTextBytes: Int = ReleasePipeline.defaultMaxTextBytes
    ) {
        self.inputGuards = inputGuards
        self.outputGuards = outputGuards
        self.unavailablePolicy = unavailablePolicy
        self.clinical = clinical
        self.maxTextBytes = maxTextBytes
    }

    /// Why a text is too long to check, or nil when it is not.
    public static func sizeRefusal(bytes: Int, limit: Int, what: String) -> String? {
        guard bytes > limit else { return nil }
        return "\(what) is \(bytes) bytes, over the guards' limit of \(limit) bytes, and was not checked; "
            + "raise max_text_bytes in guards/policy.yaml to check longer texts"
    }

    /// The message that replaces a blocked response, in her language.
    public static func safeMessage(language: String) -> String {
        switch LanguageTag.primary(language) {
        case "en":
            "I can't help with that here. If you are worried about your health or your baby's, please talk to your health team, or go to the maternity ward or call emergency services (SAMU 192 in Brazil) now if something feels wrong."
        case "es":
            "No puedo ayudarte con eso aquí. Si te preocupa tu salud o la de tu bebé, habla con tu equipo de salud, y si algo no está bien ve ahora a la maternidad o llama a emergencias (SAMU 192 en Brasil)."
        default:
            "Não posso ajudar com isso por aqui. Se você estiver preocupada com a sua saúde ou a do bebê, fale com a sua equipe de saúde e, se algo não estiver bem, procure agora a maternidade ou ligue para o SAMU 192."
        }
    }

    /// Runs guards over a text, applying the unavailable policy.
    func run(_ guards: [any TextGuard], on text: String, stage: GuardStage, language: String) async -> (
        [GuardFinding], [String]
    ) {
        var findings: [GuardFinding] = []
        var unavailable: [String] = []
        if let refusal = Self.sizeRefusal(bytes: text.utf8.count, limit: maxTextBytes, what: "the \(stage.rawValue)") {
            // Never released unchecked, and never a release held up by a huge text: blocked, with the reason kept.
            let finding = GuardFinding(
                guardName: "size-limit", category: "text-too-long", severity: 1, action: .block, reason: refusal)
            return ([finding], unavailable)
        }
        for textGuard in guards {
            do {
                findings += try await textGuard.check(text, stage: stage, language: language)
            } catch {
                unavailable.append("\(textGuard.name): \(error)")
                findings.append(
                    GuardFinding(
                        guardName: textGuard.name, category: "guard-unavailable", severity: 1,
                        action: unavailablePolicy == .failClosed ? .block : .escalate,
                        reason: "\(textGuard.name) could not answer (\(unavailablePolicy.rawValue)): \(error)"))
            }
        }
        return (findings, unavailable)
    }

    /// Checks her message before the model sees it. A block here means the model is not called.
    public func checkInput(_ userMessage: String, language: String) async -> GuardDecision {
        let (findings, unavailable) = await run(inputGuards, on: userMessage, stage: .input, language: language)
        return compose(findings: findings, unavailable: unavailable, response: nil, language: language)
    }

    /// Checks the response (with the input decision's findings carried over) and says what may be released; with her
    /// message, an answer that tells her to wait for a warning sign she describes is not released.
    public func release(response: String, input: GuardDecision, language: String, userMessage: String? = nil) async
        -> GuardDecision
    {
        var (findings, unavailable) = await run(outputGuards, on: response, stage: .output, language: language)
        if let clinical, let userMessage {
            let signs = clinical.engine.analyzeMessage(userMessage, language: language).currentSigns
            findings += clinical.checkAnswer(response, signs: signs, language: language)
        }
        return compose(
            findings: input.findings + findings, unavailable: input.unavailable + unavailable, response: response,
            language: language)
    }

    /// Input and output in one call.
    public func check(userMessage: String, response: String, language: String) async -> GuardDecision {
        let input = await checkInput(userMessage, language: language)
        if input.action == .block { return input }
        return await release(response: response, input: input, language: language, userMessage: userMessage)
    }

    func compose(findings: [GuardFinding], unavailable: [String], response: String?, language: String) -> GuardDecision
    {
        let action = findings.map(\.action).max() ?? .allow
        var text = response ?? ""
        switch action {
        case .block:
            text =
                findings.first { $0.action == .block && $0.message != nil }?.message
                ?? Self.safeMessage(language: language)
        case .redact, .escalate, .allow:
            // Mask output spans from the end so earlier offsets stay valid.
            let masks = findings.filter { $0.action == .redact && $0.range != nil && response != nil }
                .compactMap { finding -> Range<Int>? in
                    guard let range = finding.range, range.count == 2 else { return nil }
                    return range[0]..<range[1]
                }
                .sorted { $0.lowerBound > $1.lowerBound }
            if !masks.isEmpty && response != nil {
                var characters = Array(text)
                for mask in masks where mask.upperBound <= characters.count {
                    characters.replaceSubrange(mask, with: Array(repeating: "█", count: mask.count))
                }
                text = String(characters)
            }
            var appended: [String] = []
            for finding in findings where finding.action == .escalate {
                if let message = finding.message, !appended.contains(message), !text.contains(message) {
                    appended.append(message)
                }
            }
            if !appended.isEmpty && response != nil { text += "\n\n" + appended.joined(separator: "\n") }
        }
        return GuardDecision(
            action: action, findings: findings, releasedText: text,
            needsReview: action == .escalate || action == .block || !unavailable.isEmpty, unavailable: unavailable)
    }
}
