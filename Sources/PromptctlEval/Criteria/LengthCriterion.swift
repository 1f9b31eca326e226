import Foundation
import PromptctlCore

/// `length`: bounds on characters and words; the score falls off in proportion to the overshoot.
struct LengthCriterion: Criterion {
    let spec: CriterionSpec
    let minChars: Double?
    let maxChars: Double?
    let minWords: Double?
    let maxWords: Double?

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        minChars = reader.number("min_chars")
        maxChars = reader.number("max_chars")
        minWords = reader.number("min_words")
        maxWords = reader.number("max_words")
        reader.rejectUnknown()
        if [minChars, maxChars, minWords, maxWords].allSatisfy({ $0 == nil }) {
            diagnostics.error(
                "criterion '\(spec.id)' sets no bound", at: spec.location,
                hint: "add min_words, max_words, min_chars or max_chars")
        }
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        let chars = Double(context.response.count)
        let words = Double(TextFolding.words(context.response).count)
        var score = 1.0
        var problems: [String] = []
        func below(_ value: Double, _ bound: Double?, _ unit: String) {
            guard let bound, value < bound else { return }
            score = min(score, bound > 0 ? value / bound : 0)
            problems.append("\(Int(value)) \(unit) < \(Int(bound))")
        }
        func above(_ value: Double, _ bound: Double?, _ unit: String) {
            guard let bound, value > bound else { return }
            score = min(score, max(0, 1 - (value - bound) / max(bound, 1)))
            problems.append("\(Int(value)) \(unit) > \(Int(bound))")
        }
        below(chars, minChars, "characters")
        above(chars, maxChars, "characters")
        below(words, minWords, "words")
        above(words, maxWords, "words")
        return .scored(
            score, problems.isEmpty ? "\(Int(words)) words, within bounds" : problems.joined(separator: "; "))
    }
}
