import Foundation
import PromptctlClinical
import PromptctlCore

/// `empathy`: validation and warmth in her language ("ótima pergunta", "entendo", "sinto muito", "I hear you",
/// "me imagino"), read by the clinical-signs engine's tone markers (so "não entendo" does not count), plus any
/// extra `values` the rubric lists.
struct EmpathyCriterion: Criterion {
    let spec: CriterionSpec
    let minimum: Double
    let extra: LocalizedList
    let signs: ClinicalSignsEngine

    init(spec: CriterionSpec, signs: ClinicalSignsEngine, diagnostics: DiagnosticCollector) {
        self.spec = spec
        self.signs = signs
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        minimum = reader.number("min_count") ?? 1
        extra = LocalizedList(&reader, key: "values")
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        var hits = signs.tone(context.response, language: context.language)
            .filter { $0.kind == .empathy && $0.isCurrent }
            .map { $0.words.map(\.text).joined(separator: " ") }
        let folded = TextFolding.fold(context.response.replacingOccurrences(of: "’", with: "'"))
        hits += extra.values(for: context.language).map(TextFolding.fold).filter { ByteSearch.contains(folded, $0) }
        return .scored(
            Double(hits.count) / minimum,
            hits.isEmpty
                ? "no empathy marker" : "empathy markers: \(hits.prefix(3).map { "\"\($0)\"" }.joined(separator: ", "))"
        )
    }
}
