/// Brazilian identifiers by their shape and check digits: e-mail, URLs with data, CPF, CNS, RG, CEP, phones,
/// addresses and dates of birth. Each rule reads the bytes or the tokens once; none builds a String.
extension Scan {
    mutating func findIdentifiers() {
        findEmailsAndURLs()
        findNumbers()
        findAddresses()
        findTextDates()
    }

    // MARK: e-mail and URLs

    @inline(__always) func isEmailByte(_ byte: UInt8) -> Bool {
        WordFolding.isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x5F
            || byte == 0x25 || byte == 0x2B || byte == 0x2D
    }

    @inline(__always) func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    func startsWith(_ prefix: StaticString, at index: Int) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard index + length <= bytes.count else { return false }
        return prefix.withUTF8Buffer { p in
            for offset in 0..<length where bytes[index + offset] | 0x20 != p[offset] | 0x20 { return false }
            return true
        }
    }

    mutating func findEmailsAndURLs() {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte == 0x40 {  // @
                var start = index
                while start > 0 && isEmailByte(bytes[start - 1]) { start -= 1 }
                var end = index + 1
                var dot = false
                while end < count && isEmailByte(bytes[end]) {
                    if bytes[end] == 0x2E && end + 1 < count && isEmailByte(bytes[end + 1]) { dot = true }
                    end += 1
                }
                while end > index + 1 && (bytes[end - 1] == 0x2E || bytes[end - 1] == 0x2D) { end -= 1 }
                if start < index && dot {
                    add(.email, start..<end)
                    index = end
                    continue
                }
            }
            let atWordStart = index == 0 || isSpace(bytes[index - 1]) || bytes[index - 1] == 0x28
            if atWordStart && (byte | 0x20 == 0x68 || byte | 0x20 == 0x77)
                && (startsWith("http://", at: index) || startsWith("https://", at: index)
                    || startsWith("www.", at: index) || startsWith("wa.me/", at: index))
            {
                var end = index
                var identifying = startsWith("wa.me/", at: index)
                var digitRun = 0
                while end < count && !isSpace(bytes[end]) {
                    let b = bytes[end]
                    if b == 0x3F || b == 0x3D || b == 0x40 || b == 0x23 { identifying = true }
                    if b >= 0x30 && b <= 0x39 {
                        digitRun += 1
                        if digitRun >= 6 { identifying = true }
                    } else {
                        digitRun = 0
                    }
                    end += 1
                }
                // A sentence's full stop or a closing bracket after the URL is not part of it.
                while end > index && [0x2E, 0x2C, 0x29, 0x21, 0x3F, 0x3B, 0x3A].contains(bytes[end - 1]) { end -= 1 }
                if startsWith("wa.me/", at: index + (startsWith("https://", at: index) ? 8 : 0))
                    || startsWith("api.whatsapp", at: index + (startsWith("https://", at: index) ? 8 : 0))
                {
                    identifying = true
                }
                if identifying { add(.url, index..<end) }
                index = end
                continue
            }
            index += 1
        }
        for span in spans { markTokens(span.range) }
    }

    // MARK: numbers

    static func cpfIsValid(_ d: [Int]) -> Bool {
        guard d.count == 11, Set(d).count > 1 else { return false }
        for (length, check) in [(9, 9), (10, 10)] {
            var sum = 0
            for i in 0..<length { sum += d[i] * (length + 1 - i) }
            let digit = (sum * 10) % 11 % 10
            if digit != d[check] { return false }
        }
        return true
    }

    /// The Cartão Nacional de Saúde check: a weighted sum (15 down to 1) divisible by 11, for cards starting 1, 2,
    /// 7, 8 or 9.
    static func cnsIsValid(_ d: [Int]) -> Bool {
        guard d.count == 15, [1, 2, 7, 8, 9].contains(d[0]) else { return false }
        var sum = 0
        for (i, digit) in d.enumerated() { sum += digit * (15 - i) }
        return sum % 11 == 0
    }

    /// Whether a cue word (RG, CEP, nascimento) stands in the few words before token `index`.
    func cueBefore(_ index: Int, _ fact: WordFacts, within: Int) -> Bool {
        var seen = 0
        var i = index - 1
        while i >= 0 && seen < within {
            if tokens[i].isWord {
                if lexicon.entry(tokens[i].hash).facts.contains(fact) { return true }
                seen += 1
            }
            if tokens[i + 1].gap.contains(.stop) { return false }
            i -= 1
        }
        return false
    }

    mutating func findNumbers() {
        var index = 0
        while index < tokens.count {
            guard !tokens[index].isWord, !masked[index] else {
                index += 1
                continue
            }
            // A run of digit groups joined by single separators: "+55 (21) 95375-2329", "650.726.482-22".
            var last = index
            var digits: [Int] = []
            var groups: [Int] = [tokens[index].digits]
            var separators = Gap()
            var next = index + 1
            while next < tokens.count && !tokens[next].isWord {
                let gap = tokens[next].gap
                let joins =
                    gap.subtracting([.space, .period, .hyphen, .dash, .slash, .open, .other]) == []
                    && !(gap.contains(.other) && !isParenthesisGap(before: next))
                guard joins, gap != [] else { break }
                separators.formUnion(gap)
                groups.append(tokens[next].digits)
                last = next
                next += 1
            }
            for i in index...last {
                for b in tokens[i].start..<tokens[i].end { digits.append(Int(bytes[b] - 0x30)) }
            }
            // A number glued to letters ("800g", "G2P1") is a measure, not an identifier.
            let glued =
                (last + 1 < tokens.count && tokens[last + 1].isWord && tokens[last + 1].gap == [])
                || (index > 0 && tokens[index].gap == [] && tokens[index - 1].isWord
                    && !(tokens[index - 1].allCaps && tokens[index - 1].end - tokens[index - 1].start <= 3))
            var start = tokens[index].start
            let end = tokens[last].end
            if start > 0 && bytes[start - 1] == 0x28 { start -= 1 }  // (
            if start > 0 && bytes[start - 1] == 0x2B { start -= 1 }  // +
            let kind = classify(digits: digits, groups: groups, separators: separators, first: index, glued: glued)
            if let kind {
                var range = start..<end
                // A state before an RG ("SP-84.704.111") belongs to it.
                if kind == .rg, index > 0, tokens[index - 1].isWord, tokens[index - 1].allCaps,
                    tokens[index - 1].end - tokens[index - 1].start == 2,
                    tokens[index].gap.contains(.hyphen) || tokens[index].gap == .dash
                {
                    range = tokens[index - 1].start..<end
                }
                // A check letter after an RG ("12.345.678-X").
                if kind == .rg, last + 1 < tokens.count, tokens[last + 1].isWord,
                    tokens[last + 1].end - tokens[last + 1].start == 1, tokens[last + 1].gap.contains(.hyphen)
                {
                    range = range.lowerBound..<tokens[last + 1].end
                }
                add(kind, range)
                markTokens(range)
            }
            index = last + 1
        }
    }

    func isParenthesisGap(before index: Int) -> Bool {
        // "(21) 9..." puts ") " between the groups: a closing bracket is the only symbol a phone number carries.
        var b = tokens[index].start - 1
        while b >= tokens[index - 1].end {
            if bytes[b] != 0x29 && bytes[b] != 0x20 && bytes[b] != 0x28 { return false }
            b -= 1
        }
        return true
    }

    func classify(digits: [Int], groups: [Int], separators: Gap, first: Int, glued: Bool) -> PersonalDataKind? {
        let count = digits.count
        // A date: d/m/y or y-m-d; of birth when a cue is near or the year is one a mother or a grandmother was born in.
        if separators.contains(.slash) || (groups.count == 3 && groups[0] == 4 && separators == .hyphen) {
            guard groups.count == 3 else { return count >= 7 ? .number : nil }
            let yearDigits = groups[0] == 4 ? groups[0] : groups[2]
            let yearStart = groups[0] == 4 ? 0 : count - yearDigits
            let year = digits[yearStart..<(yearStart + yearDigits)].reduce(0) { $0 * 10 + $1 }
            if cueBefore(first, .birthCue, within: 6) { return .birthdate }
            if yearDigits == 4 && (1930...2012).contains(year) { return .birthdate }
            return nil
        }
        if glued && count < 8 { return nil }
        if count < 7 {
            // A CEP is the shortest identifier: "cep 05023" is already a place.
            return count >= 5 && cueBefore(first, .cepCue, within: 2) ? .cep : nil
        }
        if count == 15 { return .cns }
        if count == 11 && (Self.cpfIsValid(digits) || groups == [3, 3, 3, 2]) { return .cpf }
        if cueBefore(first, .rgCue, within: 3) && count <= 10 { return .rg }
        if cueBefore(first, .cepCue, within: 3) && count == 8 { return .cep }
        if count == 8 && groups == [5, 3] { return .cep }
        if separators.contains(.period) && !separators.contains(.space) && (groups.first ?? 0) <= 2 && count <= 9 {
            return .rg
        }
        if (8...13).contains(count) { return .phone }
        return .number
    }

    // MARK: addresses

    mutating func findAddresses() {
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.isWord, !masked[index], has(index, .streetType) else {
                index += 1
                continue
            }
            let abbreviation = token.end - token.start <= 3
            // "R." and "Av." need their period; "rua" in lower case needs a number to be an address.
            var next = index + 1
            var nameWords = 0
            var capitalisedNames = 0
            while next < tokens.count && nameWords < 8 {
                let candidate = tokens[next]
                let gap = candidate.gap.subtracting([.space, .period])
                guard gap == [] else { break }
                if candidate.isWord {
                    if candidate.capital {
                        capitalisedNames += 1
                    } else if !has(next, .particle) {
                        break
                    }
                } else if candidate.digits > 2 || !(next + 1 < tokens.count && has(next + 1, .particle)) {
                    break  // "Rua 15 de Novembro" keeps its day; any other number is the house number
                }
                nameWords += 1
                next += 1
            }
            guard capitalisedNames > 0, !(abbreviation && !token.capital) else {
                index += 1
                continue
            }
            var end = tokens[next - 1].end
            // The house number: ", 123", " 123", " nº 123", ", n. 123".
            var cursor = next
            if cursor < tokens.count, tokens[cursor].isWord, tokens[cursor].gap.subtracting([.space, .comma]) == [] {
                let word = tokens[cursor]
                let length = word.end - word.start
                if length <= 6 && (bytes[word.start] | 0x20 == 0x6E) && cursor + 1 < tokens.count
                    && !tokens[cursor + 1].isWord
                {
                    cursor += 1  // nº, n., no, num, numero
                }
            }
            var hasNumber = false
            if cursor < tokens.count, !tokens[cursor].isWord, tokens[cursor].digits <= 5,
                tokens[cursor].gap.subtracting([.space, .comma, .period, .other]) == []
            {
                hasNumber = true
                end = tokens[cursor].end
                cursor += 1
                // Complements: "fundos", "casa 1", "apto 276", "- bloco C ap 300".
                while cursor < tokens.count {
                    let gap = tokens[cursor].gap.subtracting([.space, .comma, .dash, .hyphen, .period])
                    guard gap == [] else { break }
                    if has(cursor, .addressComplement) {
                        end = tokens[cursor].end
                        cursor += 1
                        if cursor < tokens.count, tokens[cursor].gap.subtracting([.space, .period]) == [],
                            !tokens[cursor].isWord || tokens[cursor].end - tokens[cursor].start == 1
                        {
                            end = tokens[cursor].end
                            cursor += 1
                        }
                    } else {
                        break
                    }
                }
            }
            if hasNumber || token.capital {
                add(.address, token.start..<end)
                markTokens(token.start..<end)
                index = cursor
            } else {
                index += 1
            }
        }
    }

    // MARK: dates written out

    /// "25 de junho de 1994", "9 de maio de 1985": a date of birth when a cue is near or the year is an adult's.
    mutating func findTextDates() {
        var index = 0
        while index + 2 < tokens.count {
            defer { index += 1 }
            let day = tokens[index]
            guard !day.isWord, day.digits <= 2, !masked[index] else { continue }
            var month = index + 1
            if has(month, .particle) { month += 1 }
            guard has(month, .month) else { continue }
            var year = month + 1
            if has(year, .particle) { year += 1 }
            guard year < tokens.count, !tokens[year].isWord, tokens[year].digits == 4 else { continue }
            var value = 0
            for b in tokens[year].start..<tokens[year].end { value = value * 10 + Int(bytes[b] - 0x30) }
            guard cueBefore(index, .birthCue, within: 6) || (1930...2012).contains(value) else { continue }
            let range = day.start..<tokens[year].end
            add(.birthdate, range)
            markTokens(range)
        }
    }
}
