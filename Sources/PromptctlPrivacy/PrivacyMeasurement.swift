import Foundation

/// One labelled message of a privacy set (`eval-suites/privacy/*.jsonl`).
public struct PrivacyCase: Sendable, Codable {
    /// One identifier and its kind, as written in the message.
    public struct Identifier: Sendable, Codable {
        /// Its kind as the set names it (cpf, cns, phone, email, rg, cep, address, birthdate, url).
        public var kind: String
        /// The exact text.
        public var text: String
    }

    /// The case's id.
    public var id: String
    /// BCP 47 language.
    public var lang: String
    /// The message.
    public var text: String
    /// Name spans, exactly as written, that must be masked whole.
    public var names: [String]
    /// Identifiers that must be masked whole.
    public var identifiers: [Identifier]
    /// Ordinary words that look like names and must stay.
    public var keep: [String]
}

/// What went wrong in one case: a name or identifier not masked whole, or a word masked that should stay.
public struct PrivacyMiss: Sendable, Codable {
    /// The case's id.
    public var id: String
    /// name, identifier or keep.
    public var what: String
    /// The span concerned.
    public var text: String
    /// The masked message.
    public var masked: String
}

/// The measured rates on a labelled set: the targets are 98% names, 100% identifiers, at most 2% false masks.
public struct PrivacyReport: Sendable, Codable {
    /// Cases read.
    public var cases: Int
    /// Name spans, and how many were masked whole.
    public var names: Int
    public var namesMasked: Int
    /// Identifiers, and how many were masked whole.
    public var identifiers: Int
    public var identifiersMasked: Int
    /// Look-alike ordinary words, and how many were (even partly) masked.
    public var keep: Int
    public var keepMasked: Int
    /// Every miss, for a person to read.
    public var misses: [PrivacyMiss]

    /// Share of name spans masked whole.
    public var nameRecall: Double { names == 0 ? 1 : Double(namesMasked) / Double(names) }
    /// Share of identifiers masked whole.
    public var identifierRecall: Double { identifiers == 0 ? 1 : Double(identifiersMasked) / Double(identifiers) }
    /// Share of look-alike words masked.
    public var falseMaskRate: Double { keep == 0 ? 0 : Double(keepMasked) / Double(keep) }

    /// Whether the set meets the thresholds.
    public func passes(nameRecall minimumNames: Double, identifierRecall minimumIdentifiers: Double, falseMasks: Double)
        -> Bool
    {
        nameRecall >= minimumNames && identifierRecall >= minimumIdentifiers && falseMaskRate <= falseMasks
    }
}

/// Measures the masker on a labelled set, by byte spans: a span counts as masked only when masks cover all of it.
public enum PrivacyMeasurement {
    /// Reads a JSONL set; a bad line names its number.
    public static func cases(jsonl data: Data, file: String) throws -> [PrivacyCase] {
        let decoder = JSONDecoder()
        var cases: [PrivacyCase] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            let text = line.filter { $0 != UInt8(ascii: "\r") }
            if text.allSatisfy({ $0 == UInt8(ascii: " ") }) { continue }
            do {
                cases.append(try decoder.decode(PrivacyCase.self, from: Data(text)))
            } catch {
                throw PrivacyMeasurementError(message: "\(file):\(number + 1): not a privacy case (\(error))")
            }
        }
        return cases
    }

    /// Masks every case and counts what was and was not masked.
    public static func measure(_ cases: [PrivacyCase], masker: PersonalDataMasker = PersonalDataMasker())
        -> PrivacyReport
    {
        var report = PrivacyReport(
            cases: cases.count, names: 0, namesMasked: 0, identifiers: 0, identifiersMasked: 0, keep: 0, keepMasked: 0,
            misses: [])
        for item in cases {
            let spans = masker.spans(in: item.text, language: item.lang)
            let bytes = Array(item.text.utf8)
            func occurrences(_ needle: String, wholeWord: Bool) -> [Range<Int>] {
                let pattern = Array(needle.utf8)
                guard !pattern.isEmpty, pattern.count <= bytes.count else { return [] }
                var found: [Range<Int>] = []
                for start in 0...(bytes.count - pattern.count)
                where bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
                    let end = start + pattern.count
                    if wholeWord
                        && (Self.letterOrDigit(in: bytes, endingAt: start)
                            || Self.letterOrDigit(in: bytes, startingAt: end))
                    {
                        continue
                    }
                    found.append(start..<end)
                }
                return found
            }
            // Covered when every letter and digit of it lies under a mask: the spaces between two masks do not count.
            func covered(_ range: Range<Int>) -> Bool {
                range.allSatisfy { index in
                    !isWordByte(bytes[index]) || spans.contains { $0.range.contains(index) }
                }
            }
            func touched(_ range: Range<Int>) -> Bool { spans.contains { $0.range.overlaps(range) } }
            var masked: String { masker.mask(item.text, language: item.lang) }
            // A name written inside a labelled look-alike ("Paz" in "A Paz do Senhor! aqui é a irmã Paz", "João" in
            // "São João") is that look-alike there, as a look-alike inside a name is the name: only the name's other
            // occurrences say whether it was masked.
            let kept = item.keep.flatMap { occurrences($0, wholeWord: true) }
            for name in item.names {
                report.names += 1
                let places = occurrences(name, wholeWord: true).filter { place in
                    !kept.contains {
                        $0.lowerBound <= place.lowerBound && place.upperBound <= $0.upperBound && $0 != place
                    }
                }
                if !places.isEmpty && places.allSatisfy(covered) {
                    report.namesMasked += 1
                } else {
                    report.misses.append(PrivacyMiss(id: item.id, what: "name", text: name, masked: masked))
                }
            }
            for identifier in item.identifiers {
                report.identifiers += 1
                let places = occurrences(identifier.text, wholeWord: false)
                if !places.isEmpty && places.allSatisfy(covered) {
                    report.identifiersMasked += 1
                } else {
                    report.misses.append(
                        PrivacyMiss(id: item.id, what: "identifier", text: identifier.text, masked: masked))
                }
            }
            // A look-alike written inside a labelled name or identifier ("Santos" in "Maria … da Silva Santos, …
            // moro em Santos") is that name there: only its other occurrences say whether the word stayed.
            let labelled = (item.names + item.identifiers.map(\.text)).flatMap { occurrences($0, wholeWord: false) }
            for word in item.keep {
                report.keep += 1
                let standalone = occurrences(word, wholeWord: true).filter { place in
                    !labelled.contains { $0.lowerBound <= place.lowerBound && place.upperBound <= $0.upperBound }
                }
                if standalone.contains(where: touched) {
                    report.keepMasked += 1
                    report.misses.append(PrivacyMiss(id: item.id, what: "keep", text: word, masked: masked))
                }
            }
        }
        return report
    }

    /// Whether the character that ends at byte `index` is a letter, a digit or an accent: "¿", "“", "«" and an
    /// emoji before a word leave it whole ("¿Amparo puede…" names Amparo).
    static func letterOrDigit(in bytes: [UInt8], endingAt index: Int) -> Bool {
        guard index > 0 else { return false }
        var start = index - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return isLetterOrDigit(bytes[start..<index])
    }

    /// Whether the character that starts at byte `index` is a letter, a digit or an accent.
    static func letterOrDigit(in bytes: [UInt8], startingAt index: Int) -> Bool {
        guard index < bytes.count else { return false }
        var end = index + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return isLetterOrDigit(bytes[index..<end])
    }

    static func isLetterOrDigit(_ character: ArraySlice<UInt8>) -> Bool {
        guard let scalar = String(decoding: character, as: UTF8.self).unicodeScalars.first else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
            .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        WordFolding.isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80
    }
}

/// A privacy set that cannot be read.
public struct PrivacyMeasurementError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, with the file and line.
    public var message: String
    /// The message.
    public var description: String { message }
}
