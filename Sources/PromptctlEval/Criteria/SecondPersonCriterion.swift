import Foundation
import PromptctlClinical
import PromptctlCore

/// `second-person`: the answer speaks to her ("você", "te", "sua", imperatives such as "procure"; "you"; "tú",
/// "usted"), not about "the patient"; read by the clinical-signs engine's tone markers.
struct SecondPersonCriterion: Criterion {
    let spec: CriterionSpec
    let minimum: Double
    let signs: ClinicalSignsEngine

    init(spec: CriterionSpec, signs: ClinicalSignsEngine, diagnostics: DiagnosticCollector) {
        self.spec = spec
        self.signs = signs
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        minimum = reader.number("min_count") ?? 2
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        let hits = signs.tone(context.response, language: context.language).filter { $0.kind == .secondPerson }
            .map { $0.words.map(\.text).joined(separator: " ") }
        return .scored(
            Double(hits.count) / minimum,
            hits.isEmpty
                ? "never addresses her directly" : "\(hits.count) second-person markers (e.g. \"\(hits[0])\")")
    }
}
