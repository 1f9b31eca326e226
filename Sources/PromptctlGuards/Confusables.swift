import Foundation
import PromptctlCore

/// Letters of other scripts that look like Latin letters, folded to the Latin letter they imitate.
///
/// The common look-alikes of Unicode TR39's confusables.txt (Cyrillic, Greek, Armenian, Latin small capitals and
/// IPA letters, letters without a decomposition such as `ı` and `ł`), lower-cased: "суtоtес" written with
/// Cyrillic с, у, о, е reads as "cytotec". Letters with a compatibility decomposition (fullwidth `ｃ`, mathematical
/// `𝐜`, ligature `ﬁ`) need no entry: `ScalarFolding` decomposes them.
public enum Confusables {
    /// Look-alike scalar → the Latin letter it imitates (lower case).
    public static let latin: [UInt32: UInt8] = {
        let pairs: [(String, Character)] = [
            // Cyrillic, lower and upper case.
            ("аА", "a"), ("вВьЬ", "b"), ("сС", "c"), ("ԁ", "d"), ("еЕ", "e"), ("һН", "h"), ("іІӏӀ", "i"), ("јЈ", "j"),
            ("кК", "k"), ("мМ", "m"), ("оО", "o"), ("рР", "p"), ("ԛԚ", "q"), ("ѕЅ", "s"), ("тТ", "t"), ("ԝԜ", "w"),
            ("хХ", "x"), ("уУүҮ", "y"), ("н", "h"),
            // Greek.
            ("αΑ", "a"), ("βΒ", "b"), ("εΕ", "e"), ("ηΗ", "h"), ("ιΙ", "i"), ("κΚ", "k"), ("Μ", "m"), ("νΝ", "v"),
            ("οΟ", "o"), ("ρΡ", "p"), ("τΤ", "t"), ("υΥ", "y"), ("χΧ", "x"), ("ζΖ", "z"), ("γ", "y"), ("ω", "w"),
            ("μ", "u"),
            // Armenian.
            ("օ", "o"), ("ս", "u"), ("հ", "h"), ("ո", "n"), ("ց", "g"),
            // Latin letters without a decomposition, small capitals and IPA letters.
            ("ıɩ", "i"), ("ł", "l"), ("đ", "d"), ("ø", "o"), ("ħ", "h"), ("ŧ", "t"), ("ɑ", "a"), ("ɡɢ", "g"),
            ("ᴀ", "a"),
            ("ʙ", "b"), ("ᴄ", "c"), ("ᴅ", "d"), ("ᴇ", "e"), ("ʜ", "h"), ("ɪ", "i"), ("ᴊ", "j"), ("ᴋ", "k"), ("ʟ", "l"),
            ("ᴍ", "m"), ("ɴ", "n"), ("ᴏ", "o"), ("ᴘ", "p"), ("ʀ", "r"), ("ꜱ", "s"), ("ᴛ", "t"), ("ᴜ", "u"), ("ᴠ", "v"),
            ("ᴡ", "w"), ("ʏ", "y"), ("ᴢ", "z"),
        ]
        var table: [UInt32: UInt8] = [:]
        for (sources, letter) in pairs {
            for scalar in sources.unicodeScalars { table[scalar.value] = letter.asciiValue! }
        }
        return table
    }()
}

/// How the term filter reads one non-ASCII scalar.
enum ScalarFold: Equatable {
    /// Invisible (zero-width characters, soft hyphen, bidirectional controls, variation selectors, combining marks):
    /// skipped, so "cyto\u{200B}tec" reads as "cytotec".
    case ignore
    /// A space between words.
    case space
    /// Punctuation, a symbol or an emoji: a word boundary.
    case punctuation
    /// One or two Latin letters or digits ("é" → e, Cyrillic "с" → c, "ﬁ" → fi).
    case latin(UInt8, UInt8)
    /// A letter or digit of another script, kept as it is.
    case other
}

/// Folds non-ASCII scalars for the term filter: tables for the Latin, Greek, Cyrillic and Armenian blocks and for
/// the blocks with compatibility forms of Latin letters, computed once; Unicode properties for the rest.
enum ScalarFolding {
    /// Scalars 0x80..<0x590 (Latin-1 to Armenian).
    static let low: [ScalarFold] = (0..<0x590).map { compute(UInt32($0)) }
    /// Blocks with small capitals, Latin extended, punctuation, letter-like symbols, enclosed letters, ligatures,
    /// fullwidth forms and mathematical letters.
    static let high: [UInt32: ScalarFold] = {
        var table: [UInt32: ScalarFold] = [:]
        for range: ClosedRange<UInt32> in [
            0x1D00...0x1DBF, 0x1E00...0x1EFF, 0x2000...0x24FF, 0xA720...0xA7FF, 0xFB00...0xFB06, 0xFE00...0xFE0F,
            0xFF00...0xFFEF, 0x1D400...0x1D7FF,
        ] {
            for value in range { table[value] = compute(value) }
        }
        return table
    }()

    /// The fold of a scalar.
    @inline(__always)
    static func fold(_ value: UInt32) -> ScalarFold {
        if value < 0x590 { return low[Int(value)] }
        if let known = high[value] { return known }
        return compute(value)
    }

    /// Works a scalar's fold out from the confusables table, its compatibility decomposition and its properties.
    static func compute(_ value: UInt32) -> ScalarFold {
        guard let scalar = Unicode.Scalar(value) else { return .punctuation }
        if value < 0x80 {
            let byte = UInt8(value)
            if byte >= 0x61 && byte <= 0x7A || byte >= 0x30 && byte <= 0x39 { return .latin(byte, 0) }
            if byte >= 0x41 && byte <= 0x5A { return .latin(byte + 32, 0) }
            return scalar.properties.isWhitespace ? .space : .punctuation
        }
        if let letter = Confusables.latin[value] { return .latin(letter, 0) }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format,
            .control where !properties.isWhitespace:
            return .ignore
        default: break
        }
        if properties.isDefaultIgnorableCodePoint || value == 0xAD { return .ignore }
        if properties.isWhitespace { return .space }
        // Compatibility decomposition, then accents dropped and lower case: "Ⓒ" → c, "ｃ" → c, "ǆ" → dz.
        var letters: [UInt8] = []
        for part in String(Character(scalar)).decomposedStringWithCompatibilityMapping.unicodeScalars {
            if (0x300...0x36F).contains(part.value) { continue }
            if let letter = Confusables.latin[part.value] {
                letters.append(letter)
            } else if part.isASCII, case .latin(let byte, _) = compute(part.value) {
                letters.append(byte)
            } else {
                letters = []
                break
            }
        }
        if (1...2).contains(letters.count) { return .latin(letters[0], letters.count == 2 ? letters[1] : 0) }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
            .letterNumber, .otherNumber, .spacingMark:
            return .other
        default:
            return .punctuation
        }
    }
}
