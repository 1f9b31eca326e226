import Foundation
import PromptctlCore

/// `second-person`: the answer speaks to her ("você", "you", "tú/usted"), not about "the patient".
struct SecondPersonCriterion: Criterion {
    let spec: CriterionSpec
    let minimum: Double

    static let markers: [String: Set<String>] = [
        "pt": ["voce", "voces", "seu", "sua", "seus", "suas", "te", "contigo", "tu", "teu", "tua", "procure", "ligue"],
        "en": ["you", "your", "yours", "yourself", "you're", "you've", "you'll"],
        "es": ["tu", "te", "ti", "usted", "contigo", "tus", "tuyo", "busca", "llama", "estas", "tienes", "puedes"],
    ]

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        minimum = reader.number("min_count") ?? 2
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        let set = Self.markers[LanguageTag.primary(context.language)] ?? Self.markers["en"]!
        let words = TextFolding.words(TextFolding.fold(context.response.replacingOccurrences(of: "’", with: "'")))
        let hits = words.filter { set.contains(String($0)) }
        return .scored(
            Double(hits.count) / minimum,
            hits.isEmpty
                ? "never addresses her directly" : "\(hits.count) second-person markers (e.g. \"\(hits[0])\")")
    }
}
