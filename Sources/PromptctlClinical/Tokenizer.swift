import PromptctlCore

/// One token of a message: a folded word, a number, a symbol that numbers use, or a boundary.
struct Token: Sendable, Hashable {
    /// What a token is.
    enum Kind: Sendable, Hashable {
        /// Letters (folded: lower case, no accents, runs of three or more letters squeezed to one).
        case word
        /// Digits, with a decimal part written with "," or ".".
        case number
        /// "/" or "°", which readings use ("140/90", "38°").
        case symbol
        /// A comma: kept because it separates list items without ending a sentence.
        case comma
        /// The end of a sentence: ". ! ? ;", a line break, an ellipsis.
        case sentenceEnd
    }

    var kind: Kind
    /// The folded text ("sangrando", "38.5", "/").
    var text: String
    /// The numeric value of a number.
    var value: Double = 0
    /// Character offsets [start, end) in the original text.
    var range: Range<Int>
}

/// Splits a message into tokens on Characters, so spans are character offsets in the original text.
enum Tokenizer {
    static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(text.utf8.count / 4)
        var current = ""
        var currentIsNumber = false
        var start = 0
        var offset = 0
        var characters = Array(text)
        characters.append(" ")

        func flush(at end: Int) {
            guard !current.isEmpty else { return }
            if currentIsNumber {
                let normalized = current.replacingOccurrences(of: ",", with: ".")
                tokens.append(
                    Token(kind: .number, text: normalized, value: Double(normalized) ?? 0, range: start..<end))
            } else if current == "é" || current == "É" {
                // The verb "é" folds to "e" (and); keep it apart so "é eclâmpsia" can be told from "e eclâmpsia".
                tokens.append(Token(kind: .word, text: "eh", range: start..<end))
            } else {
                tokens.append(Token(kind: .word, text: squeeze(TextFolding.fold(current)), range: start..<end))
            }
            current = ""
        }

        while offset < characters.count {
            let character = characters[offset]
            // ASCII first: most of every message, and Character's Unicode properties are the slow path.
            let ascii = character.asciiValue
            let isDigit = ascii.map { $0 >= 0x30 && $0 <= 0x39 } ?? false
            let isLetter = ascii.map { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } ?? character.isLetter
            if isDigit {
                if !current.isEmpty && !currentIsNumber { flush(at: offset) }
                if current.isEmpty {
                    start = offset
                    currentIsNumber = true
                }
                current.append(character)
            } else if character == "," || character == ".", currentIsNumber, !current.isEmpty,
                !current.contains(","), !current.contains("."), offset + 1 < characters.count,
                characters[offset + 1].isNumber, characters[offset + 1].isASCII
            {
                current.append(character)  // a decimal part: "38,5", "38.5"
            } else if isLetter || (ascii == nil && character.isNumber) {
                if currentIsNumber && !current.isEmpty { flush(at: offset) }
                if current.isEmpty {
                    start = offset
                    currentIsNumber = false
                }
                current.append(character)
            } else if character == "'" || character == "’", !current.isEmpty, !currentIsNumber,
                offset + 1 < characters.count, characters[offset + 1].isLetter
            {
                // English contractions stay one word: "can't", "don't", "isn't".
                current.append("'")
            } else {
                flush(at: offset)
                switch character {
                case ".", "!", "?", ";", "\n", "\r\n", "…", "¿", "¡":
                    // "¿" and "¡" open a Spanish sentence: the previous one has ended.
                    if tokens.last?.kind != .sentenceEnd {
                        tokens.append(Token(kind: .sentenceEnd, text: String(character), range: offset..<offset + 1))
                    }
                case ",": tokens.append(Token(kind: .comma, text: ",", range: offset..<offset + 1))
                case "/", "°", "º":
                    tokens.append(Token(kind: .symbol, text: String(character), range: offset..<offset + 1))
                case "😂", "🤣", "😆", "😹", "😅", "🙄":
                    // Laughter: read as a word so a joke ("quase desmaiei 😂") can be told from a symptom.
                    tokens.append(Token(kind: .word, text: "haha", range: offset..<offset + 1))
                default: break
                }
            }
            offset += 1
        }
        return tokens
    }

    /// The words and numbers of a term in a definition file, as `tokens` reads them. A definition holds thousands of
    /// terms, most of them lower-case ASCII words and spaces, which need no Character walk: those are split on the
    /// bytes (a quarter of the engine's start-up otherwise).
    static func termWords(_ term: String) -> [String] {
        let plain = term.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x20 }
        guard plain else {
            return tokens(term).filter { $0.kind == .word || $0.kind == .number }.map(\.text)
        }
        return term.utf8.split(separator: 0x20).map { squeeze(String(Substring($0))) }
    }

    /// Runs of three or more of the same letter become one ("muuuito" → "muito", "socorrooo" → "socorro").
    static func squeeze(_ word: String) -> String {
        // Most words have no run of three: find one on the bytes before building anything.
        var run = 1
        var previous: UInt8 = 0
        var found = false
        for byte in word.utf8 {
            run = byte == previous ? run + 1 : 1
            previous = byte
            if run >= 3 {
                found = true
                break
            }
        }
        guard found else { return word }
        var scalars = Array(word.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            var run = 1
            while index + run < scalars.count, scalars[index + run] == scalars[index] { run += 1 }
            if run >= 3 {
                output.append(scalars[index])
            } else {
                output.append(contentsOf: scalars[index..<index + run])
            }
            index += run
        }
        scalars.removeAll()
        return String(output)
    }
}
