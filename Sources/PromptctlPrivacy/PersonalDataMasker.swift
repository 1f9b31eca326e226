import Foundation

/// A kind of personal data that never leaves the store unmasked.
public enum PersonalDataKind: String, Sendable, CaseIterable, Codable {
    case name, cpf, cns, phone, email, rg, cep, address, birthdate, url, number, document, handle, date

    /// What replaces it in masked text.
    public var placeholder: String {
        switch self {
        case .name: "[nome]"
        case .cpf: "[cpf]"
        case .cns: "[cns]"
        case .phone: "[telefone]"
        case .email: "[email]"
        case .rg: "[rg]"
        case .cep: "[cep]"
        case .address: "[endereço]"
        case .birthdate: "[data]"
        case .url: "[url]"
        case .number: "[número]"
        case .document: "[documento]"
        case .handle: "[perfil]"
        case .date: "[data]"
        }
    }
}

/// One piece of personal data in a text: its kind and its UTF-8 byte range.
public struct PersonalDataSpan: Sendable, Equatable {
    /// What it is.
    public var kind: PersonalDataKind
    /// Where it is, in UTF-8 bytes of the text.
    public var range: Range<Int>

    /// Creates a span.
    public init(kind: PersonalDataKind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

/// Masks personal names and Brazilian identifiers in free text, in one pass over its UTF-8 bytes (LGPD).
///
/// Names come from the IBGE census gazetteer and from cues; a name that is also an ordinary word (Rosa, Luz,
/// Dores) is masked only when its context says it is a name. Identifiers (CPF, CNS, RG, CEP, phones, e-mail,
/// addresses, dates of birth, URLs that carry data) are recognised by their shape and check digits.
public struct PersonalDataMasker: Sendable {
    let lexicon: PrivacyLexicon

    /// The masker over the gazetteer shipped with promptctl.
    public init() { lexicon = .shared }

    /// Masks every piece of personal data in `text`. `knownNames` (the conversation's names) are masked wherever
    /// they appear, even where they are also ordinary words.
    public func mask(_ text: String, language: String? = nil, knownNames: [String] = []) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            let spans = findSpans(bytes, language: language, knownNames: knownNames)
            if spans.isEmpty { return text }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            var cursor = 0
            for span in spans {
                out.append(contentsOf: bytes[cursor..<span.range.lowerBound])
                out.append(contentsOf: span.kind.placeholder.utf8)
                cursor = span.range.upperBound
            }
            out.append(contentsOf: bytes[cursor..<bytes.count])
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The personal data in `text`, in order and without overlaps.
    public func spans(in text: String, language: String? = nil, knownNames: [String] = []) -> [PersonalDataSpan] {
        var copy = text
        return copy.withUTF8 { findSpans($0, language: language, knownNames: knownNames) }
    }

    /// The personal names in `text`, as written: what a conversation's later messages should mask too.
    public func names(in text: String, language: String? = nil) -> [String] {
        let bytes = Array(text.utf8)
        return spans(in: text, language: language).filter { $0.kind == .name }.map {
            String(decoding: bytes[$0.range], as: UTF8.self)
        }
    }

    func findSpans(_ bytes: UnsafeBufferPointer<UInt8>, language: String?, knownNames: [String])
        -> [PersonalDataSpan]
    {
        var scan = Scan(bytes: bytes, lexicon: lexicon, languages: .relevant(to: language))
        scan.tokenize()
        scan.findIdentifiers()
        scan.findNames(
            known: knownNames.flatMap { $0.split(whereSeparator: { !$0.isLetter }) }.map {
                WordFolding.hash($0)
            })
        return scan.result()
    }
}

/// Separators between two tokens, as flags.
struct Gap: OptionSet {
    let rawValue: UInt16
    static let space = Gap(rawValue: 1 << 0)
    static let comma = Gap(rawValue: 1 << 1)
    static let period = Gap(rawValue: 1 << 2)
    static let stop = Gap(rawValue: 1 << 3)  // ! ? and a newline: always the end of a sentence
    static let colon = Gap(rawValue: 1 << 4)
    static let dash = Gap(rawValue: 1 << 5)  // a spaced dash or an em/en dash: a signature
    static let hyphen = Gap(rawValue: 1 << 6)  // a hyphen inside a word ("mother-in-law")
    static let other = Gap(rawValue: 1 << 7)  // brackets, quotes, emoji, symbols
    static let semicolon = Gap(rawValue: 1 << 8)
    static let slash = Gap(rawValue: 1 << 9)
    static let plus = Gap(rawValue: 1 << 10)
    static let open = Gap(rawValue: 1 << 11)  // an opening parenthesis
    static let newline = Gap(rawValue: 1 << 12)  // a line break (always with .stop)

    /// Only spaces: the two tokens belong to one phrase.
    var isSpaceOnly: Bool { self == .space }
}

/// A word or a run of digits.
struct Token {
    var start: Int
    var end: Int
    var hash: UInt64
    var isWord: Bool
    var capital: Bool
    var allCaps: Bool
    var gap: Gap  // what stands between the previous token and this one
    var digits: Int  // for a number: its digit count
    var possessive = false  // an English "'s" followed the word ("Harper's"): the word is the token, not "harper's"
}

/// The state of one text's scan.
struct Scan {
    let bytes: UnsafeBufferPointer<UInt8>
    let lexicon: PrivacyLexicon
    let languages: WordLanguages
    var tokens: [Token] = []
    var spans: [PersonalDataSpan] = []
    /// Per token: already masked, or protected (a place, a saint, an institution).
    var masked: [Bool] = []
    var protected: [Bool] = []
    /// Per token: what the gazetteer and the lexicon know of it (empty for a number).
    var entries: [WordEntry] = []
    var trailingGap: Gap = []
    /// Whether the message is written in capitals (four words or more, eight in ten of them in capitals).
    var shouting = false
    /// Whether four one-letter words or more stand in a row (a name may be spelled out).
    var hasLetterRun = false
    /// Whether the text has a run of digits: every postal code of the British Isles and Canada has one.
    var hasDigits = false
    /// The union of the message's words' facts (after `tokenize`).
    var presentFacts: WordFacts = []

    init(bytes: UnsafeBufferPointer<UInt8>, lexicon: PrivacyLexicon, languages: WordLanguages) {
        self.bytes = bytes
        self.lexicon = lexicon
        self.languages = languages
    }

    // MARK: tokens

    /// Whether the character starting at `index` is a letter; its length in bytes goes to `length`.
    @inline(__always) func letter(at index: Int, length: inout Int) -> Bool {
        let byte = bytes[index]
        if byte < 0x80 {
            length = 1
            return WordFolding.isASCIILetter(byte)
        }
        if byte < 0xE0 {
            length = 2
            guard index + 1 < bytes.count else { return false }
            if byte == 0xC3 { return bytes[index + 1] != 0x97 && bytes[index + 1] != 0xB7 }
            return byte >= 0xC4 && byte <= 0xD4 || byte == 0xCC || byte == 0xCD
        }
        if byte < 0xF0 {
            length = 3
            // 0xE2 is punctuation and symbols (dashes, quotes, ellipsis); 0xE3-0xED are CJK and other scripts.
            return byte >= 0xE3 && byte <= 0xED
        }
        length = 4
        return false
    }

    mutating func tokenize() {
        let count = bytes.count
        tokens.reserveCapacity(count / 4)
        var letterRun = 0
        var index = 0
        var gap: Gap = []
        var length = 1
        while index < count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                let start = index
                while index < count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
                letterRun = 0
                hasDigits = true
                tokens.append(
                    Token(
                        start: start, end: index, hash: 0, isWord: false, capital: false, allCaps: false, gap: gap,
                        digits: index - start))
                gap = []
                continue
            }
            if letter(at: index, length: &length) {
                let start = index
                var hash = WordFolding.basis
                var capital = false
                var allCaps = true
                var first = true
                var possessive = false
                var wordEnd = -1
                while index < count {
                    let b = bytes[index]
                    if b < 0x80 {
                        if WordFolding.isASCIILetter(b) {
                            let upper = b < 0x61
                            if first { capital = upper }
                            if !upper { allCaps = false }
                            hash = WordFolding.mix(hash, b | 0x20)
                            index += 1
                        } else if b == 0x27, index + 1 < count, bytes[index + 1] | 0x20 == 0x73,
                            index + 2 >= count || !letter(at: index + 2, length: &length)
                        {
                            // "Harper's": the name is the word; the possessive ends it.
                            possessive = true
                            wordEnd = index
                            index += 2
                            break
                        } else if (b == 0x27) && index + 1 < count
                            && (WordFolding.isASCIILetter(bytes[index + 1]) || bytes[index + 1] == 0xC3)
                        {
                            hash = WordFolding.mix(hash, 0x27)  // I'm, d'Ávila, d'água
                            index += 1
                        } else {
                            break
                        }
                    } else if b == 0xC3 && index + 1 < count {
                        let second = bytes[index + 1]
                        let folded = WordFolding.latin1[Int(second & 0x3F)]
                        if folded == 0 { break }
                        let upper = second < 0xA0
                        if first { capital = upper }
                        if !upper { allCaps = false }
                        hash = WordFolding.mix(hash, folded)
                        index += 2
                    } else if b == 0xCC || b == 0xCD {
                        index += 2  // a combining accent
                    } else if b == 0xE2, index + 3 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0x99,
                        bytes[index + 3] | 0x20 == 0x73, index + 4 >= count || !letter(at: index + 4, length: &length)
                    {
                        possessive = true  // "Harper’s"
                        wordEnd = index
                        index += 4
                        break
                    } else if b == 0xE2 && index + 2 < count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0x99
                        && index + 3 < count && WordFolding.isASCIILetter(bytes[index + 3])
                    {
                        hash = WordFolding.mix(hash, 0x27)  // a typographic apostrophe: I’m
                        index += 3
                    } else if letter(at: index, length: &length) {
                        if first { capital = false }
                        allCaps = false
                        for offset in 0..<length where index + offset < count {
                            hash = WordFolding.mix(hash, bytes[index + offset])
                        }
                        index += length
                    } else {
                        break
                    }
                    first = false
                }
                var end = possessive ? wordEnd : min(index, count)
                // "it's" is "it is", never a possessive: read as "its", the introduction's cue ("hey it's Bree").
                if possessive && hash == Scan.itHash {
                    possessive = false
                    hash = Scan.itsHash
                    end = min(index, count)
                }
                // Runs of one-letter words one space apart: four or more may spell a name ("J E S S I C A").
                letterRun = end - start <= 2 && (gap == .space || letterRun == 0) ? letterRun + 1 : 0
                if letterRun >= 4 { hasLetterRun = true }
                tokens.append(
                    Token(
                        start: start, end: end, hash: hash, isWord: true, capital: capital,
                        allCaps: allCaps && end - start > 1, gap: gap, digits: 0, possessive: possessive))
                index = min(index, count)
                gap = []
                continue
            }
            switch byte {
            case 0x20, 0x09: gap.insert(.space)
            case 0x0A, 0x0D: gap.formUnion([.stop, .newline])
            case 0x21, 0x3F: gap.insert(.stop)
            case 0x2E: gap.insert(.period)
            case 0x2C: gap.insert(.comma)
            case 0x3A: gap.insert(.colon)
            case 0x3B: gap.insert(.semicolon)
            case 0x2F: gap.insert(.slash)
            case 0x2B: gap.insert(.plus)
            case 0x28: gap.insert(.open)
            case 0x2D:
                let spaced =
                    (index > 0 && bytes[index - 1] == 0x20) || (index + 1 < count && bytes[index + 1] == 0x20)
                gap.insert(spaced ? .dash : .hyphen)
            case 0xE2:
                // — and – (E2 80 93/94) sign a message; the ellipsis (E2 80 A6) ends a sentence.
                if index + 2 < count && bytes[index + 1] == 0x80 {
                    let third = bytes[index + 2]
                    gap.insert(third == 0x93 || third == 0x94 ? .dash : third == 0xA6 ? .stop : .other)
                } else {
                    gap.insert(.other)
                }
            default: gap.insert(.other)
            }
            index += letter(at: index, length: &length) ? 1 : max(1, length)
        }
        trailingGap = gap
        // A message written in capitals says nothing by its case (see `nameChain`).
        var longWords = 0
        var capitalWords = 0
        for token in tokens where token.isWord && token.end - token.start >= 3 {
            longWords += 1
            if token.allCaps { capitalWords += 1 }
        }
        shouting = longWords >= 4 && capitalWords * 10 >= longWords * 8
        // One gazetteer lookup per word: every rule reads the token's entry many times.
        // (A closure reading `lexicon` would capture a copy of the whole scan: a tenth of the masking time.)
        let lexicon = self.lexicon
        entries = tokens.map { $0.isWord ? lexicon.entry($0.hash) : WordEntry() }
        // Every fact some word of the message has: a rule whose cue word is absent skips the message at once.
        var present: WordFacts = []
        for entry in entries { present.formUnion(entry.facts) }
        presentFacts = present
        // Diminutives of given names in any case: "Kellyzinha", "mae do gustavinho".
        for index in tokens.indices where tokens[index].isWord && tokens[index].end - tokens[index].start >= 6 {
            let known = entries[index]
            guard known.facts.isEmpty, known.people == 0, known.wordIn.isEmpty,
                let base = Self.diminutiveBase(tokens[index], in: bytes, lexicon: lexicon)
            else { continue }
            entries[index] = base
        }
        masked = Array(repeating: false, count: tokens.count)
        protected = Array(repeating: false, count: tokens.count)
    }

    // MARK: helpers

    /// Diminutive and affectionate suffixes of pt and es ("Kellyzinha", "Neidinha", "Ximenita", "Pedrito"), and
    /// the endings their bases may have lost.
    /// Plurals of endearment ("Carlinhos") and the Brazilian augmentative ("Marcão", folded "marcao") too.
    static let diminutiveSuffixes: [[UInt8]] = [
        "zinhos", "zinha", "zinho", "inhos", "inha", "inho", "cita", "cito", "ita", "ito", "ao",
    ].map {
        Array($0.utf8)
    }
    static let restoredEndings: [[UInt8]] = ["", "a", "e", "o", "i", "y", "os"].map { Array($0.utf8) }

    /// The gazetteer's entry for an unknown capitalised word that is a known given name with a diminutive suffix.
    /// (Static: called as a method of the scan being written, it made the compiler copy the whole scan.)
    static func diminutiveBase(_ token: Token, in bytes: UnsafeBufferPointer<UInt8>, lexicon: PrivacyLexicon)
        -> WordEntry?
    {
        // Most words end in no suffix: their last two bytes say so before the word is copied and folded.
        guard token.end - token.start >= 4 else { return nil }
        let last = bytes[token.end - 1] | 0x20
        let before = bytes[token.end - 2]
        let lowerBefore = before | 0x20
        switch last {
        case UInt8(ascii: "a"):
            guard lowerBefore == UInt8(ascii: "t") || lowerBefore == UInt8(ascii: "h") else { return nil }
        case UInt8(ascii: "o"):
            // -ito, -inho, and -ão (its "ã" precomposed, C3 A3 or C3 83, or an "a" with a combining tilde, CC 83).
            guard
                lowerBefore == UInt8(ascii: "t") || lowerBefore == UInt8(ascii: "h") || lowerBefore == UInt8(ascii: "a")
                    || before == 0xA3 || before == 0x83
            else { return nil }
        case UInt8(ascii: "s"): guard lowerBefore == UInt8(ascii: "o") else { return nil }
        default: return nil
        }
        let word = WordFolding.folded(Array(bytes[token.start..<token.end]))
        for suffix in Self.diminutiveSuffixes
        where word.count >= suffix.count + 3 && word.suffix(suffix.count).elementsEqual(suffix) {
            var stem = Array(word.dropLast(suffix.count))
            // "Thiaguinho" and "Chiquinho": the "u" that kept the "g" and the "c" hard before "i" goes with the
            // suffix (Thiago, Chico).
            if stem.count >= 4, stem.last == UInt8(ascii: "u") {
                let before = stem[stem.count - 2]
                if before == UInt8(ascii: "g") {
                    stem.removeLast()
                } else if before == UInt8(ascii: "q") {
                    stem.removeLast(2)
                    stem.append(UInt8(ascii: "c"))
                }
            }
            // The bytes are folded already: the base's hash is mixed straight from them, without a string.
            var stemHash = WordFolding.basis
            for byte in stem { stemHash = WordFolding.mix(stemHash, byte) }
            for ending in Self.restoredEndings {
                var hash = stemHash
                for byte in ending { hash = WordFolding.mix(hash, byte) }
                let candidate = lexicon.entry(hash)
                // A base that is also a common word ("pintada" in "Galinha Pintadinha") says nothing of a name.
                if candidate.facts.contains(.givenName), candidate.wordIn.isEmpty { return candidate }
            }
        }
        return nil
    }

    @inline(__always) func entry(_ index: Int) -> WordEntry { entries[index] }

    @inline(__always) func has(_ index: Int, _ fact: WordFacts) -> Bool {
        index >= 0 && index < tokens.count && entries[index].facts.contains(fact)
    }

    /// Whether token `index` opens a sentence: the first, or after ! ? a newline, or a period that does not close an
    /// abbreviation ("Dr.", "Av.").
    func sentenceStart(_ index: Int) -> Bool {
        if index == 0 { return true }
        let gap = tokens[index].gap
        if gap.contains(.stop) { return true }
        if gap.contains(.period) {
            let previous = index - 1
            // An abbreviation's period ("Dra. Fabiana", "Av. Brasil") goes on; after a whole word ("…e o bebê. Não
            // vá") the period ends the sentence.
            if (has(previous, .title) || has(previous, .streetType)) && length(previous) <= 4 { return false }
            return true
        }
        // A message that opens with an emoji or a bracket still opens a sentence with its first word.
        return (0..<index).allSatisfy { !tokens[$0].isWord }
    }

    /// Whether the words `cue` (hashes) end at token `last`, with nothing but spaces, commas or hyphens between them.
    func matches(_ cue: [UInt64], endingAt last: Int) -> Bool {
        let first = last - cue.count + 1
        guard first >= 0 else { return false }
        for (offset, hash) in cue.enumerated() {
            let token = tokens[first + offset]
            guard token.isWord, token.hash == hash else { return false }
            if offset > 0 && token.gap.subtracting([.space, .hyphen]) != [] { return false }
        }
        return true
    }

    func matches(_ cue: [UInt64], startingAt first: Int) -> Bool {
        guard first + cue.count <= tokens.count else { return false }
        for (offset, hash) in cue.enumerated() {
            let token = tokens[first + offset]
            guard token.isWord, token.hash == hash else { return false }
            if offset > 0 && !token.gap.isSpaceOnly { return false }
        }
        return true
    }

    func cue(in table: WordTable<[[UInt64]]>, endingAt last: Int) -> Bool {
        guard last >= 0, tokens[last].isWord, let cues = table[tokens[last].hash] else { return false }
        return cues.contains { matches($0, endingAt: last) }
    }

    func cueLength(in table: WordTable<[[UInt64]]>, startingAt first: Int) -> Int {
        guard first < tokens.count, tokens[first].isWord, let cues = table[tokens[first].hash] else { return 0 }
        return cues.filter { matches($0, startingAt: first) }.map(\.count).max() ?? 0
    }

    // MARK: result

    mutating func add(_ kind: PersonalDataKind, _ range: Range<Int>) {
        spans.append(PersonalDataSpan(kind: kind, range: range))
    }

    /// Records tokens `first...last` as one span of `kind` and marks them, so that no later rule reads them again.
    mutating func addSpan(_ kind: PersonalDataKind, from first: Int, through last: Int) {
        let range = tokens[first].start..<tokens[last].end
        add(kind, range)
        markTokens(range)
    }

    mutating func markTokens(_ range: Range<Int>) {
        for index in tokens.indices where tokens[index].start < range.upperBound && tokens[index].end > range.lowerBound
        {
            masked[index] = true
        }
    }

    func result() -> [PersonalDataSpan] {
        // Identifiers were added first and win any overlap; names never split one.
        var sorted = spans.enumerated().sorted {
            $0.element.range.lowerBound != $1.element.range.lowerBound
                ? $0.element.range.lowerBound < $1.element.range.lowerBound : $0.offset < $1.offset
        }.map(\.element)
        var out: [PersonalDataSpan] = []
        for span in sorted {
            if let last = out.last, span.range.lowerBound < last.range.upperBound {
                if span.range.upperBound > last.range.upperBound && span.kind == last.kind {
                    out[out.count - 1].range = last.range.lowerBound..<span.range.upperBound
                }
                continue
            }
            out.append(span)
        }
        sorted = out
        return sorted
    }
}
