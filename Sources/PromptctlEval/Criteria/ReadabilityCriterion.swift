import Foundation
import PromptctlCore

/// `readability`: Flesch reading ease adapted to the language; Portuguese per Martins et al. (1996).
///
/// pt: 248.835 − 1.015 × words/sentence − 84.6 × syllables/word; en: 206.835 − 1.015 × wps − 84.6 × spw;
/// es (Fernández Huerta): 206.84 − 0.60 × syllables per 100 words − 1.02 × wps. Bands: 75–100 very easy,
/// 50–75 easy, 25–50 difficult, 0–25 very difficult. The score is 1 at or above `min`, falling linearly below.
struct ReadabilityCriterion: Criterion {
    let spec: CriterionSpec
    let minimum: Double

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        minimum = reader.number("min") ?? 50
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        guard let ease = Readability.fleschEase(context.response, language: context.language) else {
            return .skipped("no sentences to measure")
        }
        let band = Readability.band(ease)
        let score = ease >= minimum ? 1 : max(0, ease / minimum)
        return .scored(score, "Flesch \(DecimalText.fixed(ease, 1)) (\(band)); target ≥ \(Int(minimum))")
    }
}

/// Readability measures for pt, en and es.
public enum Readability {
    /// Sentences split at . ! ? and line breaks.
    public static func sentences(_ text: String) -> [String] {
        // Scalar by scalar: a stop counts unless a mark attaches to it (it would not be that character then),
        // and a line feed after a carriage return is one character with it, which is not in the set.
        guard TextFolding.hasSimpleGraphemes(text) else { return characterSentences(text) }
        var pieces: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var index = scalars.startIndex
        var previous: UInt32 = 0
        while index < scalars.endIndex {
            let value = scalars[index].value
            let next = scalars.index(after: index)
            let isStop =
                (value == 0x2E || value == 0x21 || value == 0x3F || value == 0x3B
                    || (value == 0x0A && previous != 0x0D))
                && (next == scalars.endIndex || !TextFolding.isExtending(scalars[next].value))
            if isStop {
                pieces.append(text[start..<index])
                start = next
            }
            previous = value
            index = next
        }
        pieces.append(text[start..<text.endIndex])
        return pieces.filter { !$0.isEmpty }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.contains { $0.isLetter } }
    }

    /// The plain definition `sentences` must agree with; also its path for text outside the simple set.
    public static func characterSentences(_ text: String) -> [String] {
        text.split { ".!?\n;".contains($0) }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.contains { $0.isLetter } }
    }

    /// Flesch reading ease for the language; nil for text without words.
    public static func fleschEase(_ text: String, language: String) -> Double? {
        let sentenceList = sentences(text)
        let words = TextFolding.words(text).filter { $0.contains { $0.isLetter } }
        guard !sentenceList.isEmpty, !words.isEmpty else { return nil }
        let primary = LanguageTag.primary(language)
        let syllables = words.reduce(0) { $0 + syllableCount(String($1), language: primary) }
        let wordsPerSentence = Double(words.count) / Double(sentenceList.count)
        let syllablesPerWord = Double(syllables) / Double(words.count)
        let ease: Double
        switch primary {
        case "pt": ease = 248.835 - 1.015 * wordsPerSentence - 84.6 * syllablesPerWord
        case "es": ease = 206.84 - 0.60 * (syllablesPerWord * 100) - 1.02 * wordsPerSentence
        default: ease = 206.835 - 1.015 * wordsPerSentence - 84.6 * syllablesPerWord
        }
        return min(100, max(0, ease))
    }

    /// The band's name.
    public static func band(_ ease: Double) -> String {
        switch ease {
        case 75...: "very easy"
        case 50..<75: "easy"
        case 25..<50: "difficult"
        default: "very difficult"
        }
    }

    /// Syllables in one word.
    public static func syllableCount(_ word: String, language: String) -> Int {
        switch language {
        case "pt": portugueseSyllables(word)
        case "es": spanishSyllables(word)
        default: englishSyllables(word)
        }
    }

    static let portugueseVowels: Set<Character> = Set("aeiouáéíóúâêôãõàü")

    /// Portuguese: vowel groups, where a falling diphthong (vowel + unstressed i/u, ão, ãe, õe) is one
    /// syllable and other adjacent vowels (hiatus: di-a, sa-ú-de) are two; u after q/g before e/i is silent.
    public static func portugueseSyllables(_ word: String) -> Int {
        let letters = Array(word.lowercased())
        var count = 0
        var index = 0
        while index < letters.count {
            guard portugueseVowels.contains(letters[index]) else {
                index += 1
                continue
            }
            // "que", "qui", "gue", "gui": the u glides.
            if letters[index] == "u", index > 0, "qg".contains(letters[index - 1]), index + 1 < letters.count,
                "eiéí".contains(letters[index + 1])
            {
                index += 1
                continue
            }
            count += 1
            var previous = letters[index]
            index += 1
            while index < letters.count, portugueseVowels.contains(letters[index]) {
                let current = letters[index]
                let diphthong =
                    ("iu".contains(current) && !"iu".contains(previous)) || (previous == "ã" && "oe".contains(current))
                    || (previous == "õ" && current == "e") || (previous == "i" && current == "u")
                    || (previous == "u" && current == "i")
                if !diphthong { count += 1 }
                previous = current
                index += 1
            }
        }
        return max(1, count)
    }

    static let spanishVowels: Set<Character> = Set("aeiouáéíóúü")

    /// Spanish: two strong vowels (a, e, o, accented i/u) are a hiatus; any other pair is a diphthong.
    public static func spanishSyllables(_ word: String) -> Int {
        let letters = Array(word.lowercased())
        var count = 0
        var previousWasVowel = false
        var previous: Character = " "
        for (index, letter) in letters.enumerated() {
            let isVowel = spanishVowels.contains(letter)
            if isVowel {
                if letter == "u", index > 0, "qg".contains(letters[index - 1]), index + 1 < letters.count,
                    "ei".contains(letters[index + 1])
                {
                    continue
                }
                if !previousWasVowel {
                    count += 1
                } else {
                    let strong: Set<Character> = Set("aeoáéóíú")
                    if strong.contains(letter) && strong.contains(previous) { count += 1 }
                }
                previous = letter
            }
            previousWasVowel = isVowel
        }
        return max(1, count)
    }

    /// English: vowel groups, less a silent final e.
    public static func englishSyllables(_ word: String) -> Int {
        let letters = Array(word.lowercased())
        var count = 0
        var previousWasVowel = false
        for letter in letters {
            let isVowel = "aeiouy".contains(letter)
            if isVowel && !previousWasVowel { count += 1 }
            previousWasVowel = isVowel
        }
        if letters.count > 2, letters.last == "e", !"aeiouy".contains(letters[letters.count - 2]), count > 1 {
            count -= 1
        }
        return max(1, count)
    }
}
