import Foundation
import PromptctlCore

/// `sentence-length`: average (and longest) sentence length in words, for answers read on a phone.
struct SentenceLengthCriterion: Criterion {
    let spec: CriterionSpec
    let maxAverage: Double
    let maxLongest: Double?

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        maxAverage = reader.number("max_average") ?? 20
        maxLongest = reader.number("max_longest")
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        let lengths = Readability.sentences(context.response).map { Double(TextFolding.words($0).count) }
        guard !lengths.isEmpty else { return .skipped("no sentences") }
        let average = lengths.reduce(0, +) / Double(lengths.count)
        let longest = lengths.max() ?? 0
        var score = average <= maxAverage ? 1 : max(0, 1 - (average - maxAverage) / maxAverage)
        var reason = "average \(DecimalText.fixed(average, 1)) words per sentence (max \(Int(maxAverage)))"
        if let maxLongest, longest > maxLongest {
            score = min(score, max(0, 1 - (longest - maxLongest) / maxLongest))
            reason += "; longest \(Int(longest)) > \(Int(maxLongest))"
        }
        return .scored(score, reason)
    }
}
