import Foundation
import Yams

/// A free-form configuration value (criterion parameters, case variables), with where it was written.
public indirect enum ConfigValue: Sendable, Hashable, Codable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([ConfigValue])
    case map([String: ConfigValue])
    case null

    /// Converts a Yams node; plain scalars that look like numbers or booleans become them.
    public init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            if scalar.style == .plain {
                if text.isEmpty || text == "~" || text == "null" {
                    self = .null
                    return
                }
                if text == "true" || text == "false" {
                    self = .bool(text == "true")
                    return
                }
                if let number = Double(text), text.first != "+" {
                    self = .number(number)
                    return
                }
            }
            self = .string(text)
        case .sequence(let sequence):
            self = .list(sequence.map(ConfigValue.init))
        case .mapping(let mapping):
            var result: [String: ConfigValue] = [:]
            for (key, value) in mapping { result[key.string ?? ""] = ConfigValue(value) }
            self = .map(result)
        case .alias:
            self = .null
        }
    }

    /// Text form (numbers without a trailing .0 when whole).
    public var text: String? {
        switch self {
        case .string(let value): value
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .bool(let value): String(value)
        case .list(let values): values.compactMap(\.text).joined(separator: ",")
        case .map, .null: nil
        }
    }

    /// Numeric value.
    public var number: Double? {
        switch self {
        case .number(let value): value
        case .string(let value): Double(value)
        default: nil
        }
    }

    /// Boolean value.
    public var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let value):
            ["true", "yes"].contains(value.lowercased())
                ? true : (["false", "no"].contains(value.lowercased()) ? false : nil)
        default: nil
        }
    }

    /// List of texts; a single value is a one-item list.
    public var texts: [String]? {
        switch self {
        case .list(let values): values.compactMap(\.text)
        case .null: nil
        default: text.map { [$0] }
        }
    }

    /// The value as plain Foundation objects (for JSON).
    public var any: Any {
        switch self {
        case .string(let value): value
        case .number(let value): value
        case .bool(let value): value
        case .list(let values): values.map(\.any)
        case .map(let values): values.mapValues(\.any)
        case .null: NSNull()
        }
    }
}

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

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Substring search on UTF-8 bytes (memmem): for folded text, where Foundation's locale-aware search is
/// needless and slow.
public enum ByteSearch {
    /// Whether `needle` occurs in `haystack`, byte for byte.
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard n.count > 0 else { return true }
                guard h.count >= n.count, let hBase = h.baseAddress, let nBase = n.baseAddress else { return false }
                // memchr for the first byte, memcmp for the rest (memmem is a GNU extension Swift does not import).
                let first = Int32(n[0])
                let last = h.count - n.count
                var offset = 0
                while offset <= last {
                    guard let found = memchr(hBase + offset, first, last - offset + 1) else { return false }
                    let position = UnsafeRawPointer(found) - UnsafeRawPointer(hBase)
                    if memcmp(found, nBase, n.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }
}
