import Foundation
import PromptctlCore

/// `empathy`: markers that acknowledge her feelings ("entendo", "é natural sentir", "você não está sozinha").
struct EmpathyCriterion: Criterion {
    let spec: CriterionSpec
    let minimum: Double
    let extra: LocalizedList

    static let markers: [String: [String]] = [
        "pt": [
            "entendo", "compreendo", "imagino", "e natural", "e compreensivel", "sinto muito", "que bom que",
            "estou aqui",
            "fico feliz", "nao esta sozinha", "e normal se sentir", "e normal sentir", "obrigada por", "faz sentido",
            "pode contar", "estamos aqui", "calma", "fique tranquila", "acolh", "preocupacao", "sei que", "percebo",
        ],
        "en": [
            "i understand", "it's natural", "it is natural", "i'm sorry", "i am sorry", "you're not alone",
            "you are not alone", "i'm here", "i am here", "it makes sense", "thank you for", "that sounds",
            "i can imagine",
            "it's understandable", "it is understandable", "glad you", "we're here", "we are here",
        ],
        "es": [
            "entiendo", "comprendo", "me imagino", "es natural", "es comprensible", "lo siento", "no estas sola",
            "estoy aqui", "tiene sentido", "gracias por", "que bueno que", "estamos aqui", "puedes contar", "tranquila",
        ],
    ]

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        minimum = reader.number("min_count") ?? 1
        extra = LocalizedList(&reader, key: "values")
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        let list =
            (Self.markers[LanguageTag.primary(context.language)] ?? Self.markers["en"]!)
            + extra.values(for: context.language).map(TextFolding.fold)
        let text = TextFolding.fold(context.response.replacingOccurrences(of: "’", with: "'"))
        let hits = list.filter { ByteSearch.contains(text, $0) }
        return .scored(
            Double(hits.count) / minimum,
            hits.isEmpty
                ? "no empathy marker" : "empathy markers: \(hits.prefix(3).map { "\"\($0)\"" }.joined(separator: ", "))"
        )
    }
}
