import Foundation
import PromptctlCore

/// `language`: the answer is written in the prompt's language (or `expected:`).
struct LanguageCriterion: Criterion {
    let spec: CriterionSpec
    let expected: String?

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        expected = reader.text("expected")
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        let want = LanguageTag.primary(expected ?? context.language)
        let (detected, confidence) = LanguageDetector.detect(context.response)
        guard let detected else { return .check(false, "too little text to tell the language") }
        return detected == want
            ? .check(true, "written in \(detected) (confidence \(DecimalText.fixed(confidence, 2)))")
            : .check(false, "written in \(detected), expected \(want)")
    }
}

/// Tells Portuguese, Spanish and English apart by distinctive function words and letters.
public enum LanguageDetector {
    static let markers: [String: Set<String>] = [
        "pt": [
            "voce", "nao", "com", "uma", "um", "do", "da", "dos", "das", "ao", "isso", "esse", "essa", "seu", "sua",
            "e",
            "muito", "tambem", "mas", "ou", "ela", "ele", "pode", "gravidez", "gestacao", "para", "estou", "esta",
            "sao",
            "bem", "agora", "quando", "procure", "cuidado", "voces", "nos", "pela", "pelo", "mais", "isto", "ja",
            "entao",
        ],
        "es": [
            "usted", "tu", "no", "y", "el", "los", "las", "del", "al", "muy", "pero", "embarazo", "puede", "para",
            "estoy",
            "esta", "son", "bien", "ahora", "cuando", "busca", "cuidado", "una", "un", "que", "es", "mas", "esto", "ya",
            "entonces", "hay", "tienes", "eres", "estas", "su", "le", "lo", "te", "la", "debes", "llamar", "ir", "tu",
            "sola",
        ],
        "en": [
            "you", "the", "and", "is", "are", "your", "to", "of", "it", "that", "this", "with", "for", "not", "can",
            "baby", "pregnancy", "please", "if", "be", "have", "should", "now", "when", "what", "my", "we", "an", "on",
            "does", "go", "call", "there", "they", "will", "would", "about",
        ],
    ]

    /// The most likely primary language and a confidence in [0, 1]; nil for too little text.
    public static func detect(_ text: String) -> (language: String?, confidence: Double) {
        let folded = TextFolding.fold(text)
        let words = TextFolding.words(folded).map(String.init)
        guard words.count >= 3 else { return (nil, 0) }
        var scores: [String: Double] = ["pt": 0, "es": 0, "en": 0]
        for word in words {
            for (language, set) in markers where set.contains(word) { scores[language, default: 0] += 1 }
        }
        // Letters only one language uses weigh heavily.
        var portugueseLetters = 0
        var spanishLetters = 0
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            switch (previous | 0x20, scalar.value) {  // previous letter lower-cased, for decomposed accents
            case (_, 0xE3), (_, 0xC3), (_, 0xF5), (_, 0xD5), (_, 0xE7), (_, 0xC7): portugueseLetters += 1  // ã õ ç
            case (0x61, 0x303), (0x6F, 0x303), (0x63, 0x327): portugueseLetters += 1  // a, o + tilde; c + cedilla
            case (_, 0xF1), (_, 0xD1), (_, 0xBF), (_, 0xA1), (0x6E, 0x303): spanishLetters += 1  // ñ ¿ ¡
            default: break
            }
            previous = scalar.value
        }
        scores["pt", default: 0] += Double(portugueseLetters) * 2
        scores["es", default: 0] += Double(spanishLetters) * 2
        let total = scores.values.reduce(0, +)
        guard total > 0, let best = scores.max(by: { $0.value < $1.value }) else { return (nil, 0) }
        return (best.key, best.value / total)
    }
}
