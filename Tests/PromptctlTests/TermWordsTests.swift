import Foundation
import Testing

@testable import PromptctlClinical

/// The definition's terms are split on their bytes when they are plain; the words must be the tokenizer's.
@Suite("clinical definition term words")
struct TermWordsTests {
    /// What the tokenizer reads as the words and numbers of a term.
    static func tokenized(_ term: String) -> [String] {
        Tokenizer.tokens(term).filter { $0.kind == .word || $0.kind == .number }.map(\.text)
    }

    @Test(
        "a term's words are the tokenizer's",
        arguments: [
            "dor de cabeca", "muuuito forte", "  dor  forte ", "sangue", "é eclâmpsia", "38 graus", "can't breathe",
            "pressão 14/9", "ZUMBIDO", "aaa", "", " ",
        ])
    func sameWords(term: String) {
        #expect(Tokenizer.termWords(term) == Self.tokenized(term))
    }

    @Test("every term of the shipped definition splits as the tokenizer reads it")
    func shippedTerms() throws {
        let url = repositoryRoot.appendingPathComponent(ClinicalSignsEngine.projectPath)
        let text = try String(contentsOf: url, encoding: .utf8)
        // Terms are written in flow lists ("pt: [sangue, sangrando]") and as block items ("- sangue").
        var terms: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("- ") {
                terms.append(String(trimmed.dropFirst(2)))
            } else if let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]"), open < close {
                terms += line[line.index(after: open)..<close].split(separator: ",").map {
                    $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
                }
            }
        }
        for term in terms { #expect(Tokenizer.termWords(term) == Self.tokenized(term), "\(term)") }
        let checked = terms.count
        #expect(checked > 1000)
    }

    @Test("a word's one-letter deletions, cut from the bytes or from the characters")
    func deletions() {
        #expect(Lexicon.deletions("febre") == ["ebre", "fbre", "fere", "febe", "febr"])
        #expect(Lexicon.deletions("niño") == ["iño", "nño", "nio", "niñ"])
        #expect(Lexicon.deletions("a") == [""])
    }
}
