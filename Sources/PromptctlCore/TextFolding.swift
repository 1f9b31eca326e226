import Foundation

/// Case- and accent-insensitive text, for matching Portuguese and Spanish without caring about "é" vs "e".
public enum TextFolding {
    /// Lower-cases and strips combining diacritics: "Você está" → "voce esta".
    public static func fold(_ text: String) -> String {
        // Fast path, scalar by scalar through a table, for text in Latin scripts with punctuation and emoji
        // (nearly every answer in pt-BR, en and es); anything else takes Foundation's full normalisation.
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                output.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(value + 0x20)! : scalar)
            } else if value < UInt32(latinTable.count) {
                output.append(contentsOf: latinTable[Int(value)])
            } else if caselessRanges.contains(where: { $0.contains(value) }) {
                output.append(scalar)  // punctuation, symbols, emoji: no case, no canonical decomposition
            } else {
                return slowFold(text)
            }
        }
        return String(output)
    }

    /// Punctuation (dashes, quotes, ellipsis, spaces), arrows, symbols and emoji that neither case nor
    /// canonical decomposition changes; a test checks every scalar of them against the full path.
    public static let caselessRanges: [ClosedRange<UInt32>] = [
        0x2002...0x206F, 0x2190...0x2199, 0x2600...0x27BF, 0xFE00...0xFE0F, 0x1F300...0x1FAFF,
    ]

    /// The full path: canonical decomposition, combining marks dropped, then lower case.
    public static func slowFold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars).lowercased()
    }

    /// The slow path's answer for each scalar below U+0250 (Latin-1 and Latin Extended-A and B), computed once.
    static let latinTable: [String.UnicodeScalarView] = (0..<0x250).map { value in
        guard let scalar = Unicode.Scalar(UInt32(value)), value >= 0x80 else { return String.UnicodeScalarView() }
        return slowFold(String(Character(scalar))).unicodeScalars
    }

    /// Words of folded text (letters and digits).
    ///
    /// The same words as splitting the characters at those that are neither letters nor numbers, but scalar by
    /// scalar when the text is made of scalars whose grapheme rules are simple (Latin, punctuation, emoji):
    /// letters and digits by their Unicode properties, and combining marks, joiners and emoji modifiers staying
    /// with the scalar they attach to. Other scripts take the character path. A test checks the two agree.
    public static func words(_ text: String) -> [Substring] {
        guard hasSimpleGraphemes(text) else { return characterWords(text) }
        var words: [Substring] = []
        let scalars = text.unicodeScalars
        var wordStart: String.Index?
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let value = scalar.value
            let inWord: Bool
            if value < 0x80 {
                inWord = (value | 0x20 >= 0x61 && value | 0x20 <= 0x7A) || (value >= 0x30 && value <= 0x39)
            } else if isExtending(value) {
                inWord = wordStart != nil
            } else {
                inWord = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            }
            if inWord, wordStart == nil {
                wordStart = index
            } else if !inWord, let start = wordStart {
                words.append(text[start..<index])
                wordStart = nil
            }
            index = scalars.index(after: index)
        }
        if let start = wordStart { words.append(text[start..<text.endIndex]) }
        return words
    }

    /// Whether every scalar is one whose grapheme rules `isExtending` covers: below U+0300, combining
    /// diacritics, punctuation and currency, symbols, emoji, joiners and variation selectors.
    public static func hasSimpleGraphemes(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x0370 && value != 0x034F { continue }  // 034F (grapheme joiner) is left to the slow path
            switch value {
            case 0x200C, 0x200D, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20CF, 0x2190...0x21FF,
                0x2600...0x27BF, 0xFE00...0xFE0F, 0x1F300...0x1FAFF:
                continue
            default: return false
            }
        }
        return true
    }

    /// Within `hasSimpleGraphemes` text, whether a scalar attaches to the one before it.
    public static func isExtending(_ value: UInt32) -> Bool {
        (0x0300...0x036F).contains(value) || value == 0x200C || value == 0x200D || (0xFE00...0xFE0F).contains(value)
            || (0x1F3FB...0x1F3FF).contains(value)
    }

    /// The plain definition `words` must agree with; also its path for text outside the simple set.
    public static func characterWords(_ text: String) -> [Substring] {
        text.split { !($0.isLetter || $0.isNumber) }
    }
}
