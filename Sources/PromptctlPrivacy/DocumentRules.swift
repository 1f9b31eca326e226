/// Identifiers that are not plain digit runs: documents that mix letters and digits (passports, RNE/CRNM, plates,
/// CURP), council registrations (CRM-SP 154873), numbers and e-mail addresses said in words (voice typing), and
/// calendar dates written with a month's name.
extension Scan {
    // MARK: token helpers

    @inline(__always) func length(_ index: Int) -> Int { tokens[index].end - tokens[index].start }

    /// Whether token `index` is a word in capitals, or one capital letter: how document series and plates are written.
    @inline(__always) func isCapitalCode(_ index: Int) -> Bool {
        let token = tokens[index]
        return token.isWord && (token.allCaps || (token.capital && token.end - token.start == 1))
    }

    func numberValue(_ index: Int) -> Int {
        var value = 0
        for b in tokens[index].start..<tokens[index].end { value = value * 10 + Int(bytes[b] - 0x30) }
        return value
    }

    // MARK: documents of letters and digits

    /// Letters in capitals glued to digits, alone or joined by hyphens, with three digits or more and a group of at
    /// least two ("F287431-K", "N1923847", "RIO2A18", "HNT-4471", "48213976L", "GOMA900314MDFRRN09"), are a document
    /// or a plate. Measures keep their lower-case unit ("3,2kg", "23h47"); obstetric notes ("G2P1A0") have one-digit
    /// groups; a highway ("BR-116") is left to the address rule.
    mutating func findDocuments() {
        var index = 0
        while index < tokens.count {
            let opening = tokens[index].gap
            guard !masked[index], index == 0 || !(opening == [] || opening == .hyphen || opening == .period) else {
                index += 1
                continue
            }
            var last = index
            var letters = false
            var capitals = true
            var digits = 0
            var longest = 0
            var characters = 0
            var next = index
            while next < tokens.count, !masked[next] {
                if next > index && !(tokens[next].gap == [] || tokens[next].gap == .hyphen) { break }
                if tokens[next].isWord {
                    letters = true
                    if !isCapitalCode(next) { capitals = false }
                    characters += length(next)
                } else {
                    digits += tokens[next].digits
                    longest = max(longest, tokens[next].digits)
                    characters += tokens[next].digits
                }
                last = next
                next += 1
            }
            let highway =
                last == index + 1 && tokens[index].isWord && length(index) == 2 && tokens[last].digits == 3
                && tokens[last].gap == .hyphen
            // A plate's letters spaced from its digits: "QWE 7H21".
            let spacedLetters =
                !tokens[index].isWord && index > 0 && !masked[index - 1] && tokens[index - 1].isWord
                && tokens[index - 1].allCaps && (2...3).contains(length(index - 1)) && tokens[index].gap.isSpaceOnly
                && letters
            if spacedLetters { characters += length(index - 1) }
            // "16X11", "3X4": digits on both sides of an x are a reading or a size.
            let times =
                last == index + 2 && !tokens[index].isWord && !tokens[last].isWord && length(index + 1) == 1
                && bytes[tokens[index + 1].start] | 0x20 == 0x78
            if letters && capitals && digits >= 3 && longest >= 2 && characters >= 5 && !highway && !times {
                let start = spacedLetters ? tokens[index - 1].start : tokens[index].start
                add(.document, start..<tokens[last].end)
                markTokens(start..<tokens[last].end)
            }
            index = last + 1
        }
    }

    /// A council and its state before a number identify a clinician: "CRM-SP 154873", "COREN-PE 345.678",
    /// "CRM 52.12345-6", "CRP 06/123456".
    mutating func findCouncilRegistrations() {
        for index in tokens.indices where !masked[index] && tokens[index].capital && has(index, .council) {
            var cursor = index + 1
            if cursor < tokens.count, tokens[cursor].isWord, tokens[cursor].allCaps, length(cursor) == 2,
                tokens[cursor].gap.subtracting([.space, .hyphen, .slash, .dash]) == []
            {
                cursor += 1
            }
            if cursor < tokens.count, tokens[cursor].isWord, length(cursor) <= 3,
                bytes[tokens[cursor].start] | 0x20 == 0x6E
            {
                cursor += 1  // nº, n., no
            }
            guard cursor < tokens.count, !tokens[cursor].isWord, !masked[cursor],
                tokens[cursor].gap.subtracting([.space, .hyphen, .colon, .other, .period, .dash]) == []
            else { continue }
            var last = cursor
            var digits = tokens[cursor].digits
            while last + 1 < tokens.count, !tokens[last + 1].isWord, !masked[last + 1],
                tokens[last + 1].gap != [], tokens[last + 1].gap.subtracting([.period, .hyphen, .slash]) == []
            {
                last += 1
                digits += tokens[last].digits
            }
            guard digits >= 4 else { continue }
            // "CRM 12345/SP": the state after the number.
            if last + 1 < tokens.count, tokens[last + 1].isWord, tokens[last + 1].allCaps, length(last + 1) == 2,
                tokens[last + 1].gap.subtracting([.slash, .hyphen]) == [], tokens[last + 1].gap != []
            {
                last += 1
            }
            add(.document, tokens[index].start..<tokens[last].end)
            markTokens(tokens[index].start..<tokens[last].end)
        }
    }

    /// After "placa"/"patente"/"plate", the letters and digits that follow are the plate, even spaced ("AC 457 KD");
    /// after "postcode"/"zip", a postcode of letters and digits ("LS6 2QB").
    mutating func findPlatesAndPostcodes() {
        for index in tokens.indices where tokens[index].isWord {
            let plate = has(index, .plateCue)
            guard plate || has(index, .cepCue) else { continue }
            // The first capital code or number within the next three tokens ("patente argentina AC 457 KD").
            var first = index + 1
            while first < tokens.count && first <= index + 3 && tokens[first].isWord && !isCapitalCode(first) {
                first += 1
            }
            guard first < tokens.count, first <= index + 3, !masked[first],
                !tokens[first].gap.contains(.stop), isCapitalCode(first) || !tokens[first].isWord
            else { continue }
            var last = first
            var letters = tokens[first].isWord
            var digits = tokens[first].digits
            var characters = tokens[first].isWord ? length(first) : tokens[first].digits
            while last + 1 < tokens.count, !masked[last + 1],
                tokens[last + 1].gap.subtracting([.space, .hyphen]) == [],
                isCapitalCode(last + 1) || !tokens[last + 1].isWord,
                characters + (tokens[last + 1].isWord ? length(last + 1) : tokens[last + 1].digits) <= (plate ? 8 : 7)
            {
                last += 1
                letters = letters || tokens[last].isWord
                digits += tokens[last].digits
                characters += tokens[last].isWord ? length(last) : tokens[last].digits
            }
            guard letters, digits >= 2, characters >= 5 else { continue }
            add(plate ? .document : .cep, tokens[first].start..<tokens[last].end)
            markTokens(tokens[first].start..<tokens[last].end)
        }
    }

    /// A British postcode by its shape alone ("LS6 2AB", "SW1A 1AA", "M1 1AE"): one or two capitals, a digit or
    /// two and maybe a letter, a space, then a digit and two capitals. No word of the three languages has that shape.
    mutating func findBritishPostcodes() {
        func capitals(_ index: Int, _ size: ClosedRange<Int>) -> Bool {
            index < tokens.count && tokens[index].isWord && size.contains(length(index))
                && (tokens[index].allCaps || (length(index) == 1 && tokens[index].capital))
        }
        // Every code below has figures right after its first letters: asked first, it skips nearly every word.
        func figuresAfter(_ index: Int) -> Bool { index + 1 < tokens.count && !tokens[index + 1].isWord }
        for first in tokens.indices where figuresAfter(first) && capitals(first, 1...2) && !masked[first] {
            var next = first + 1
            guard next < tokens.count, !tokens[next].isWord, (1...2).contains(tokens[next].digits),
                tokens[next].gap == []
            else { continue }
            next += 1
            if capitals(next, 1...1), tokens[next].gap == [] { next += 1 }
            guard next + 1 < tokens.count, !tokens[next].isWord, tokens[next].digits == 1,
                tokens[next].gap == [.space], capitals(next + 1, 2...2), tokens[next + 1].gap == [],
                next + 2 >= tokens.count || tokens[next + 2].gap != []
            else { continue }
            let range = tokens[first].start..<tokens[next + 1].end
            add(.cep, range)
            markTokens(range)
        }
        // A Canadian one: letter, digit, letter, space, digit, letter, digit ("H2X 1K4", "M1N 1P9").
        for first in tokens.indices
        where figuresAfter(first) && capitals(first, 1...1) && !masked[first] && first + 5 < tokens.count {
            func digit(_ index: Int, _ gap: Gap) -> Bool {
                !tokens[index].isWord && tokens[index].digits == 1 && tokens[index].gap == gap
            }
            guard digit(first + 1, []), capitals(first + 2, 1...1), tokens[first + 2].gap == [],
                digit(first + 3, [.space]), capitals(first + 4, 1...1), tokens[first + 4].gap == [],
                digit(first + 5, [])
            else { continue }
            let range = tokens[first].start..<tokens[first + 5].end
            add(.cep, range)
            markTokens(range)
        }
        // An Irish Eircode: a letter and two digits (or "D6W"), a space, four letters and digits mixed ("P31 X2Y7",
        // "D02 AF30").
        for first in tokens.indices
        where figuresAfter(first) && capitals(first, 1...1) && !masked[first] && first + 2 < tokens.count {
            var next = first + 1
            guard !tokens[next].isWord, tokens[next].gap == [],
                tokens[next].digits == 2 || (tokens[next].digits == 1 && capitals(next + 1, 1...1))
            else { continue }
            if tokens[next].digits == 1 {
                next += 1
                guard tokens[next].gap == [] else { continue }
            }
            next += 1
            guard next < tokens.count, tokens[next].gap == [.space], !masked[next],
                // The unique part: four capitals and figures glued, at least one of each.
                let group = mixedGroup(from: next, limit: 4), group.characters == 4
            else { continue }
            let range = tokens[first].start..<tokens[group.last].end
            add(.cep, range)
            markTokens(range)
        }
        // A UK National Insurance number: two capitals, six digits (often in pairs), and a letter A to D ("JR 41 87
        // 22 D", "QQ123456C"), ahead of the street rules ("Jr" is a Peruvian street's word).
        for first in tokens.indices where figuresAfter(first) && capitals(first, 2...2) && !masked[first] {
            var next = first + 1
            var figures = 0
            while next < tokens.count, !tokens[next].isWord, figures < 6,
                tokens[next].gap == [] || tokens[next].gap == [.space]
            {
                figures += tokens[next].digits
                next += 1
            }
            guard figures == 6, next - first >= 2, next < tokens.count, capitals(next, 1...1),
                tokens[next].gap == [] || tokens[next].gap == [.space],
                Self.insuranceSuffixes.contains(tokens[next].hash),
                next + 1 >= tokens.count || tokens[next + 1].gap != []
            else { continue }
            let range = tokens[first].start..<tokens[next].end
            add(.number, range)
            markTokens(range)
        }
    }

    /// The run of capitals and figures glued together from token `first` ("X2Y7", "0H4M"): its last token and its
    /// length in characters; nil unless it holds both, within `limit` characters, and nothing else is glued to it.
    func mixedGroup(from first: Int, limit: Int) -> (last: Int, characters: Int)? {
        var last = first
        var characters = 0
        var letters = false
        var figures = false
        while last < tokens.count, last == first || tokens[last].gap == [] {
            guard !masked[last] else { return nil }
            if tokens[last].isWord {
                guard tokens[last].allCaps || (length(last) == 1 && tokens[last].capital) else { return nil }
                letters = true
                characters += length(last)
            } else {
                figures = true
                characters += tokens[last].digits
            }
            guard characters <= limit else { return nil }
            last += 1
        }
        return letters && figures ? (last - 1, characters) : nil
    }

    /// The last letter of a UK National Insurance number.
    static let insuranceSuffixes = WordSet(hashes: ["a", "b", "c", "d"].map { WordFolding.hash($0) })

    // MARK: said in words

    static let cpfWord = WordFolding.hash("cpf")
    /// A document's name, before the pieces of its number she reads out.
    static let documentNames = WordSet(
        hashes: [
            "cpf", "rg", "cns", "sus", "registro", "prontuario", "protocolo", "matricula", "nis", "dni", "cedula",
            "passaporte", "pasaporte", "carteirinha",
        ].map { WordFolding.hash($0) })
    static let thenWords = WordSet(hashes: ["depois", "despues", "then"].map { WordFolding.hash($0) })
    static let spokenPlus = WordSet(hashes: ["plus", "mais", "mas"].map { WordFolding.hash($0) })

    /// The punctuation of a number said aloud: "ponto", "traço", "punto", "guion", "dot", "dash".
    static let spokenSeparators = WordSet(
        hashes: ["ponto", "traco", "tracinho", "hifen", "barra", "punto", "guion", "raya", "dot", "dash", "hyphen"].map
        {
            WordFolding.hash($0)
        })

    /// Digits said one by one ("nove nove oito sete…", "cero cuatro dos…", "six one seven…"), alone or after a DDD
    /// in figures, make a phone or a document when they add up to seven digits or more.
    /// A number of millions said as a value, with more after the millions: "veinte millones trescientos cuarenta
    /// y cinco mil seiscientos setenta y ocho", "vinte e três milhões quatrocentos e cinquenta e seis mil…". In a
    /// conversation such a number is a document's (cédula, RG), not a price; a round "um milhão de vezes" stays.
    mutating func findSaidDocumentNumbers() {
        for million in tokens.indices where has(million, .millionWord) && !masked[million] {
            func numberWord(_ index: Int) -> Bool {
                index >= 0 && index < tokens.count && !masked[index]
                    && entries[index].facts.intersection([.digitWord, .tensWord, .hundredsWord]) != []
            }
            func joined(_ index: Int) -> Bool { index < tokens.count && tokens[index].gap.isSpaceOnly }
            // Back to the number's first word ("vinte e três milhões").
            var first = million
            while first > 0, joined(first) {
                if numberWord(first - 1) {
                    first -= 1
                } else if first > 1, Self.andWords.contains(tokens[first - 1].hash), joined(first - 1),
                    numberWord(first - 2)
                {
                    first -= 2
                } else {
                    break
                }
            }
            guard first < million else { continue }
            // On past the millions: three number words at least.
            var last = million
            var after = 0
            while last + 1 < tokens.count, joined(last + 1) {
                if numberWord(last + 1) {
                    last += 1
                    after += 1
                } else if Self.andWords.contains(tokens[last + 1].hash), joined(last + 2), numberWord(last + 2) {
                    last += 2
                    after += 1
                } else {
                    break
                }
            }
            guard after >= 3 else { continue }
            // "mi cédula es ve veinte millones…": the letter said before a Venezuelan cédula's number.
            if first > 1, tokens[first].gap.isSpaceOnly, tokens[first - 1].isWord, length(first - 1) <= 3,
                Self.documentLetters.contains(tokens[first - 1].hash), cueBefore(first - 1, .rgCue, within: 3)
            {
                first -= 1
            }
            let range = tokens[first].start..<tokens[last].end
            add(cueBefore(first, .rgCue, within: 4) ? .rg : .document, range)
            markTokens(range)
        }
    }

    /// Letters said before a document's number: "ve" and "uve" (V, a Venezuelan citizen's cédula).
    static let documentLetters = WordSet(hashes: ["v", "ve", "uve"].map { WordFolding.hash($0) })

    mutating func findSpelledNumbers() {
        var index = 0
        while index < tokens.count {
            guard !masked[index], !tokens[index].isWord || has(index, .digitWord) || has(index, .tensWord) else {
                index += 1
                continue
            }
            var last = index
            var digits = 0
            var words = 0
            // Figures of one digit between the words: "85 9 nove 8 8 7 dois 3 4 5 0", as a voice typing writes
            // some digits as figures and some as words.
            var singleFigures = 0
            var next = index
            // After a document's name a part of its number counts too ("o cpf é zero dois três ponto quatro cinco
            // seis", "o resto do cpf é 789 15", "registro quatro cinco sete oito nove dois"), said in pieces.
            let documentCued = cueBefore(index, within: 3) { Self.documentNames.contains(self.tokens[$0].hash) }
            while next < tokens.count, !masked[next] {
                if next > index {
                    let gap = tokens[next].gap
                    guard gap != [], gap.subtracting([.space, .comma, .hyphen, .dash]) == [] else { break }
                }
                if tokens[next].isWord {
                    if has(next, .digitWord) {
                        // "oitenta e um": the unit after "e" is the tens word's last digit, not one more.
                        let unitOfTens =
                            next >= 2 && Self.andWords.contains(tokens[next - 1].hash) && has(next - 2, .tensWord)
                        digits += unitOfTens ? 0 : 1
                    } else if has(next, .tensWord) {
                        digits += 2
                    } else if next > index, next + 1 < tokens.count,
                        Self.andWords.contains(tokens[next].hash) && has(next - 1, .tensWord)
                            && has(next + 1, .digitWord)
                            || Self.spokenSeparators.contains(tokens[next].hash)
                                && (has(next + 1, .digitWord) || has(next + 1, .tensWord) || !tokens[next + 1].isWord)
                    {
                        // "oitenta e um", "zero nove oito ponto oito quatro cinco traço zero um": said between digits.
                        next += 1
                        continue
                    } else if documentCued, next > index, next + 1 < tokens.count,
                        Self.thenWords.contains(tokens[next].hash)
                            || (Self.andWords.contains(tokens[next].hash)
                                && Self.thenWords.contains(tokens[next + 1].hash))
                    {
                        // "054 e depois 331 e depois 887": the pieces of a number she reads out.
                        next += 1
                        continue
                    } else {
                        break
                    }
                    words += 1
                } else {
                    digits += tokens[next].digits
                    if tokens[next].digits == 1 { singleFigures += 1 }
                }
                last = next
                next += 1
            }
            // Pieces of a document's number: four digits or more, in two groups or said as words.
            if documentCued, digits >= 4, digits < 7 || words < 3, words >= 3 || (words == 0 && last > index) {
                let range = tokens[index].start..<tokens[last].end
                let kind: PersonalDataKind =
                    cueBefore(index, .rgCue, within: 3)
                    ? .rg
                    : cueBefore(index, within: 3, where: { tokens[$0].hash == Self.cpfWord }) ? .cpf : .document
                add(kind, range)
                markTokens(range)
                index = last + 1
                continue
            }
            let mixed = words >= 1 && words + singleFigures >= 6 && (10...13).contains(digits)
            if (words >= 3 && digits >= 7) || mixed {
                // "plus one six one seven…": the country code's plus, said.
                var first = index
                if index > 0, tokens[index].gap.isSpaceOnly, Self.spokenPlus.contains(tokens[index - 1].hash) {
                    first = index - 1
                }
                // "my date of birth is march fourteen nineteen ninety six": after a month's name, a day and a year.
                // (A day and a year are tens, "fourteen nineteen ninety": "call me may five five five…" is a phone.)
                if first == index, index > 0, tokens[index].gap.isSpaceOnly, has(index - 1, .month),
                    length(index - 1) >= 3, digits <= 8, (index...last).filter({ has($0, .tensWord) }).count >= 2
                {
                    let range = tokens[index - 1].start..<tokens[last].end
                    add(.date, range)
                    markTokens(range)
                    index = last + 1
                    continue
                }
                let range = tokens[first].start..<tokens[last].end
                // "o cpf é zero nove oito…": eleven digits after "cpf" are her CPF.
                let kind: PersonalDataKind =
                    digits == 11 && cueBefore(index, .rgCue, within: 3)
                    ? .rg
                    : digits == 11 && cueBefore(index, within: 3, where: { tokens[$0].hash == Self.cpfWord })
                        ? .cpf : .phone
                add(kind, range)
                markTokens(range)
            }
            index = last + 1
        }
    }

    /// An e-mail address said in words: "maria ponto eduarda arroba gmail ponto com", "joe at gmail dot com",
    /// "lu.ferreira_92 (arroba) yahoo (ponto) com", "paulinha.m.santos arroba gmail.com", "x [at] y [dot] org".
    mutating func findSpokenEmails() {
        // Spaces, and the brackets some put around the spoken words.
        func spoken(_ gap: Gap) -> Bool { gap.contains(.space) && gap.subtracting([.space, .open, .other]) == [] }
        // A literal dot, underscore or hyphen inside one part ("lu.ferreira_92", "gmail.com").
        func glued(_ gap: Gap) -> Bool { !gap.isEmpty && gap.subtracting([.period, .other, .hyphen]) == [] }
        for index in tokens.indices where tokens[index].isWord && !masked[index] {
            guard has(index, .spokenAt) || tokens[index].hash == Self.englishAt, index > 0,
                index + 1 < tokens.count, tokens[index + 1].isWord, spoken(tokens[index].gap),
                spoken(tokens[index + 1].gap)
            else { continue }
            var first = index - 1
            while first >= 1, glued(tokens[first].gap), !tokens[first].gap.contains(.space) {
                first -= 1
            }
            while first >= 2, has(first - 1, .spokenEmailJoiner), spoken(tokens[first - 1].gap),
                spoken(tokens[first].gap)
            {
                first -= 2
            }
            guard tokens[first].isWord || tokens[first].digits > 0 else { continue }
            var last = index + 1
            var joined = false
            while last + 1 < tokens.count {
                if has(last + 1, .spokenEmailJoiner), last + 2 < tokens.count, tokens[last + 2].isWord,
                    spoken(tokens[last + 1].gap), spoken(tokens[last + 2].gap)
                {
                    last += 2
                    joined = true
                } else if tokens[last + 1].isWord, tokens[last + 1].gap == .period {
                    last += 1  // "gmail.com"
                    joined = true
                } else {
                    break
                }
            }
            guard joined else { continue }
            add(.email, tokens[first].start..<tokens[last].end)
            markTokens(tokens[first].start..<tokens[last].end)
        }
    }

    static let englishAt = WordFolding.hash("at")

    // MARK: dates written out

    /// Month abbreviations that are also everyday words ("mar", "set", "out", "dez", "mai") count only in full.
    static let ambiguousMonths = WordSet(
        hashes: ["mar", "set", "out", "dez", "mai", "may"].map { WordFolding.hash($0) })
    static let ordinalSuffixes = WordSet(hashes: ["st", "nd", "rd", "th", "o", "a"].map { WordFolding.hash($0) })
    static let yearPhrases: [[UInt64]] = [
        "deste ano", "desse ano", "do ano passado", "de este ano", "del ano pasado", "este ano", "this year",
        "last year",
    ].map { $0.split(separator: " ").map { WordFolding.hash($0) } }
    static let dayWord = WordFolding.hash("dia")

    /// Every calendar date with its day: "12 de março de 98", "8 de diciembre", "dia 3 de maio", "June 3rd",
    /// "March 3rd, 1990", "Oct 2"; a bare day ("dia 5", "martes 5") only after a birth cue ("nasceu dia 5").
    mutating func findTextDates() {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard !masked[index] else { continue }
            if !tokens[index].isWord, tokens[index].digits <= 2, (1...31).contains(numberValue(index)) {
                var month = index + 1
                if month < tokens.count, tokens[month].gap == [], Self.ordinalSuffixes.contains(tokens[month].hash) {
                    month += 1
                }
                if has(month, .particle) || (month < tokens.count && tokens[month].hash == Self.ofWord) { month += 1 }
                // "15 mar 2024", "05/jun/2023": a short month that is also a word counts before a year of four
                // digits, or between slashes.
                let slashed = month < tokens.count && tokens[month].gap == .slash
                let fullYear =
                    month + 1 < tokens.count && !tokens[month + 1].isWord && tokens[month + 1].digits == 4
                    && tokens[month + 1].gap.subtracting([.space, .slash]) == []
                // A capitalised one after its day is the month too: "Penta 1 on 4 May", "the 4th of May".
                // "Hospital 12 de Octubre", "a Rua 25 de Março", "Av. 9 de Julho": a date that names a place is
                // its name (a house number after it makes the street an address, masked by its own rule).
                let namesPlace =
                    index > 0 && tokens[index - 1].isWord && tokens[index].gap.subtracting([.space, .period]) == []
                    && (has(index - 1, .placePrefix) || has(index - 1, .streetType))
                if !namesPlace, month < tokens.count, has(month, .month), !masked[month],
                    !Self.ambiguousMonths.contains(tokens[month].hash) || slashed || fullYear || tokens[month].capital,
                    length(month) >= 3,
                    tokens[month].gap.subtracting([.space]) == [] || slashed
                {
                    index = addDate(from: dayWordStart(index), cue: index, through: month)
                    continue
                }
                // "5 do 6 de 2000": a month by its number between "do" and "de", then the year.
                if let end = numericDateAfterDay(index, afterDayWord: dayWordStart(index) < tokens[index].start) {
                    let start = dayWordStart(index)
                    add(cueBefore(index, .birthCue, within: 6) ? .birthdate : .date, start..<tokens[end].end)
                    markTokens(start..<tokens[end].end)
                    index = end
                    continue
                }
                // "teve o bebê dia 3", "ganhou neném dia 12": a bare day after her baby's birth.
                if index > 0, tokens[index - 1].hash == Self.dayWord, tokens[index].gap.isSpaceOnly,
                    !masked[index - 1], bornBefore(index - 1), index + 1 >= tokens.count || tokens[index + 1].gap != []
                {
                    add(.birthdate, tokens[index - 1].start..<tokens[index].end)
                    markTokens(tokens[index - 1].start..<tokens[index].end)
                    continue
                }
                // "nasceu dia 5", "nació el martes 5": a bare day under a birth cue.
                if index > 0, has(index - 1, .weekday), tokens[index].gap.isSpaceOnly,
                    cueBefore(index - 1, .birthCue, within: 3),
                    index + 1 >= tokens.count || tokens[index + 1].gap != []
                {
                    add(.birthdate, tokens[index - 1].start..<tokens[index].end)
                    markTokens(tokens[index - 1].start..<tokens[index].end)
                }
                continue
            }
            // "dois de fevereiro", "veintiuno de mayo", "vinte e um de março": a day said in words before its month.
            if tokens[index].isWord, has(index, .digitWord) || has(index, .tensWord) || has(index, .firstDayWord) {
                var last = index
                if last + 2 < tokens.count, Self.andWords.contains(tokens[last + 1].hash), has(last + 2, .digitWord),
                    has(index, .tensWord)
                {
                    last += 2
                }
                let month = last + 2
                // "dia vinte e cinco de outubro": the word for a day goes with it.
                let start = dayWordStart(index)
                if month < tokens.count, has(last + 1, .particle), tokens[last + 1].gap.isSpaceOnly, has(month, .month),
                    !Self.ambiguousMonths.contains(tokens[month].hash), length(month) >= 4,
                    tokens[month].gap.isSpaceOnly,
                    !masked[month]
                {
                    index = addDate(from: start, cue: index, through: month)
                    continue
                }
                // "ganhou nenem dia doze": a bare day said in words after her baby's birth.
                // ("Dia dos Namorados": "dos" and "um" are articles as often as numbers.)
                if start < tokens[index].start, bornBefore(index - 1), last - index <= 2,
                    !Self.articleNumbers.contains(tokens[index].hash), numericDateAfterDay(last) == nil
                {
                    add(.birthdate, start..<tokens[last].end)
                    markTokens(start..<tokens[last].end)
                    index = last
                    continue
                }
                // "vinte e um do onze de dois mil e um", "nove do três de noventa e sete": day, month and year all
                // said as numbers.
                if let end = numericDateAfterDay(last, afterDayWord: start < tokens[index].start) {
                    let range = start..<tokens[end].end
                    add(cueBefore(index, .birthCue, within: 6) ? .birthdate : .date, range)
                    markTokens(range)
                    index = end
                    continue
                }
            }
            // "the third of march", "june fourteenth", "June the twenty-first": an English day said as an ordinal
            // word, before "of" and its month or after its month.
            // Asked only where English counts: two set lookups for every word of every message otherwise.
            if tokens[index].isWord, languages.contains(.english), let last = englishOrdinalDay(at: index) {
                let ofMonth = last + 2
                if ofMonth < tokens.count, tokens[last + 1].hash == Self.ofWord, tokens[last + 1].gap.isSpaceOnly,
                    has(ofMonth, .month), length(ofMonth) >= 3, tokens[ofMonth].gap.isSpaceOnly, !masked[ofMonth]
                {
                    index = addDate(from: tokens[index].start, cue: index, through: ofMonth)
                    continue
                }
                var month = index - 1
                if month > 0, tokens[month].hash == Self.theWord, tokens[index].gap.isSpaceOnly { month -= 1 }
                if month >= 0, month < index, has(month, .month), length(month) >= 3, !masked[month],
                    tokens[month].capital || !Self.ambiguousMonths.contains(tokens[month].hash),
                    tokens[month + 1].gap.isSpaceOnly, tokens[index].gap.isSpaceOnly
                {
                    index = addDate(from: tokens[month].start, cue: month, through: last)
                    continue
                }
            }
            // "June 3rd", "May 12", "March 3rd, 1990", "Oct 2", "march 18": a month before its day (in lower case only
            // when it is no other word).
            if tokens[index].isWord, has(index, .month), length(index) >= 3, index + 1 < tokens.count,
                tokens[index].capital || !Self.ambiguousMonths.contains(tokens[index].hash),
                !tokens[index + 1].isWord, tokens[index + 1].digits <= 2, tokens[index + 1].gap.isSpaceOnly,
                (1...31).contains(numberValue(index + 1))
            {
                var day = index + 1
                if day + 1 < tokens.count, tokens[day + 1].gap == [],
                    Self.ordinalSuffixes.contains(tokens[day + 1].hash)
                {
                    day += 1
                }
                // A number glued to letters after it is a measure ("May 12kg"), not a day.
                if day + 1 < tokens.count, tokens[day + 1].gap == [] { continue }
                index = addDate(from: tokens[index].start, cue: index, through: day)
            }
        }
    }

    /// Where a date whose day is token `index` starts: at "dia" or "el" right before it ("dia 3 de maio", "dia vinte
    /// de março", "el 4 de noviembre"), else at the day.
    func dayWordStart(_ index: Int) -> Int {
        // "dia 3 de maio", "el 4 de noviembre": the word that introduces a day is part of the date as it is said (a
        // weekday before it is not: "el viernes 26 de abril" keeps "el viernes").
        index > 0 && Self.dayIntroducers.contains(tokens[index - 1].hash) && tokens[index].gap.isSpaceOnly
            && !masked[index - 1] ? tokens[index - 1].start : tokens[index].start
    }

    static let dayIntroducers = WordSet(hashes: ["dia", "el"].map { WordFolding.hash($0) })

    /// The last token of a date whose day ends at `day`, when a month by its number and a year follow it, said or
    /// written: "do onze de dois mil e um", "do três de noventa e sete", "do 6 de 2000". A year must follow: "um
    /// do dois" alone is no date, unless "dia" opens it ("dia vinte e cinco do dez"): then the month ends it.
    func numericDateAfterDay(_ day: Int, afterDayWord: Bool = false) -> Int? {
        // (`afterDayWord`: "dia" opens it, so a month said with "do" ends a date without its year.)
        let month = day + 2
        guard month < tokens.count, Self.monthOfWords.contains(tokens[day + 1].hash),
            tokens[day + 1].gap.isSpaceOnly, tokens[month].gap.isSpaceOnly, !masked[month]
        else { return nil }
        // The month: 1 to 12, in figures or in one word ("três", "onze").
        if tokens[month].isWord {
            guard Self.monthNumberWords.contains(tokens[month].hash) else { return nil }
        } else {
            guard tokens[month].digits <= 2, (1...12).contains(numberValue(month)) else { return nil }
        }
        guard month + 2 < tokens.count, tokens[month + 1].gap.isSpaceOnly,
            Self.yearOfWords.contains(tokens[month + 1].hash), tokens[month + 2].gap.isSpaceOnly
        else {
            // "dia vinte e cinco do dez por causa do feriado": the month's number ends the date, when no word of a
            // count follows it ("dia dois do três meses" is no date).
            let counted =
                month + 1 < tokens.count && tokens[month + 1].isWord && tokens[month + 1].gap.isSpaceOnly
                && Self.ageUnits.contains(tokens[month + 1].hash)
            return afterDayWord && !counted && tokens[day + 1].hash == Self.doWord ? month : nil
        }
        let year = month + 2
        if !tokens[year].isWord {
            guard tokens[year].digits == 2 || tokens[year].digits == 4, !masked[year] else { return nil }
            return year
        }
        return spokenYear(at: year)
    }

    /// The last token of a year said in words from token `year`: "noventa e sete", "dois mil e um", "mil novecentos
    /// e noventa". One word is a year only as a decade's tens ("de noventa"): not "um do dois de três".
    func spokenYear(at year: Int) -> Int? {
        func numberWord(_ index: Int) -> Bool {
            index < tokens.count && tokens[index].isWord && !masked[index]
                && (entries[index].facts.intersection([.digitWord, .tensWord, .hundredsWord]) != []
                    || tokens[index].hash == Self.thousandWord)
        }
        guard numberWord(year) else { return nil }
        var last = year
        while last + 1 < tokens.count, tokens[last + 1].gap.isSpaceOnly {
            if numberWord(last + 1) {
                last += 1
            } else if last + 2 < tokens.count, Self.andWords.contains(tokens[last + 1].hash),
                tokens[last + 2].gap.isSpaceOnly, numberWord(last + 2)
            {
                last += 2
            } else {
                break
            }
        }
        guard last > year || has(year, .tensWord) else { return nil }
        return last
    }

    /// Whether her baby's birth is told in the four words before token `day` ("nasceu", "ganhou nenem", "teve o
    /// bebê", "tive menino"): the bare day after it is a birth date ("a consulta é dia 12" stays).
    func bornBefore(_ day: Int) -> Bool {
        var look = day - 1
        var baby = false
        while look >= 0, day - look <= 4, !tokens[look + 1].gap.contains(.stop) {
            let hash = tokens[look].hash
            if Self.birthTellingVerbs.contains(hash) { return true }
            if Self.babyWords.contains(hash) { baby = true }
            if baby, Self.hadVerbs.contains(hash) { return true }
            look -= 1
        }
        return false
    }

    static let birthTellingVerbs = WordSet(
        hashes: [
            "nasceu", "nasceram", "nacio", "nacieron", "born", "ganhou", "ganhei", "pariu", "pari", "delivered",
            "dio", "di",
        ].map { WordFolding.hash($0) })
    static let hadVerbs = WordSet(hashes: ["teve", "tive", "tuvo", "tuve", "had"].map { WordFolding.hash($0) })
    static let babyWords = WordSet(
        hashes: [
            "bebe", "nenem", "nene", "menino", "menina", "baby", "bebito", "bebita", "gemeos", "filho", "filha", "nino",
            "nina",
        ].map { WordFolding.hash($0) })

    static let thousandWord = WordFolding.hash("mil")
    static let monthOfWords = WordSet(hashes: ["do", "de", "del"].map { WordFolding.hash($0) })
    static let doWord = WordFolding.hash("do")
    static let yearOfWords = WordSet(hashes: ["de", "del"].map { WordFolding.hash($0) })
    /// A month's number in one word: "um" to "doze", "uno" to "doce".
    static let monthNumberWords = WordSet(
        hashes: [
            "um", "dois", "tres", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez", "onze", "doze", "uno",
            "dos", "cuatro", "siete", "ocho", "nueve", "diez", "once", "doce",
        ].map { WordFolding.hash($0) })

    /// Masks a date from byte `start` through token `last` and the year after it, as a birth date under a birth cue
    /// within six words before token `cue`; returns the date's last token.
    mutating func addDate(from start: Int, cue: Int, through last: Int) -> Int {
        let end = yearAfter(last)
        add(cueBefore(cue, .birthCue, within: 6) ? .birthdate : .date, start..<tokens[end].end)
        markTokens(start..<tokens[end].end)
        return end
    }

    static let ofWord = WordFolding.hash("of")

    /// English ordinal words of a month's days, and the tens that open "twenty-first" and "thirty first".
    static let englishOrdinals = WordSet(
        hashes: [
            "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth", "thirtieth",
        ].map { WordFolding.hash($0) })
    static let englishOrdinalUnits = WordSet(
        hashes: ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"].map {
            WordFolding.hash($0)
        })
    static let englishDayTens = WordSet(hashes: ["twenty", "thirty"].map { WordFolding.hash($0) })

    /// The last token of an English ordinal day starting at `index` ("third", "twenty-first", "thirty first").
    func englishOrdinalDay(at index: Int) -> Int? {
        let hash = tokens[index].hash
        if Self.englishDayTens.contains(hash) {
            guard index + 1 < tokens.count, tokens[index + 1].isWord,
                Self.englishOrdinalUnits.contains(tokens[index + 1].hash),
                tokens[index + 1].gap.subtracting([.space, .hyphen]) == [], !tokens[index + 1].gap.isEmpty
            else { return nil }
            // "thirty-first" but no "thirty-second" or later day.
            if hash == Self.thirtyWord && tokens[index + 1].hash != Self.firstWord { return nil }
            return index + 1
        }
        return Self.englishOrdinals.contains(hash) ? index : nil
    }
    static let thirtyWord = WordFolding.hash("thirty")
    static let firstWord = WordFolding.hash("first")

    /// The last token of a date whose day and month end at `last`: its year ("de 98", ", 1990") or "deste ano".
    func yearAfter(_ last: Int) -> Int {
        var year = last + 1
        if year < tokens.count, has(year, .particle), tokens[year].gap.isSpaceOnly { year += 1 }
        if year < tokens.count, !tokens[year].isWord, !masked[year],
            tokens[year].digits == 2 || tokens[year].digits == 4,
            tokens[year].gap.subtracting([.space, .comma, .slash]) == [],
            year + 1 >= tokens.count || tokens[year + 1].gap != [],
            // "Tue 3 June 10:40", "12 de maio 10:30": the hour after a date is no year.
            !(year + 1 < tokens.count && !tokens[year + 1].isWord && tokens[year + 1].gap.contains(.colon))
        {
            return year
        }
        for phrase in Self.yearPhrases where matches(phrase, startingAt: last + 1) {
            return last + phrase.count
        }
        // "quatro de abril de dois mil e um": a year said in words after "de", with its thousand or as a decade
        // ("de noventa e oito").
        if year == last + 2, year < tokens.count, tokens[year].isWord, tokens[year].gap.isSpaceOnly,
            Self.yearOfWords.contains(tokens[last + 1].hash), let spoken = spokenYear(at: year),
            (year...spoken).contains(where: { tokens[$0].hash == Self.thousandWord }) || has(year, .tensWord)
        {
            return spoken
        }
        return last
    }
}
