/// Brazilian identifiers by their shape and check digits: e-mail, URLs with data, CPF, CNS, RG, CEP, phones,
/// addresses and dates of birth. Each rule reads the bytes or the tokens once; none builds a String.
extension Scan {
    mutating func findIdentifiers() {
        findEmailsAndURLs()
        findSpokenEmails()
        if hasDigits { findPartlyHiddenCPFs() }
        findDocuments()
        if presentFacts.contains(.council) { findCouncilRegistrations() }
        if presentFacts.contains(.plateCue) || presentFacts.contains(.cepCue) { findPlatesAndPostcodes() }
        if hasDigits { findBritishPostcodes() }
        findFormAddresses()
        findAddresses()
        findKilometreAddresses()
        findSettlementLots()
        findNumbers()
        if hasDigits { findSplitCPFs() }
        // Rules whose cue words the message lacks are skipped whole (`presentFacts`).
        if hasDigits || presentFacts.contains(.digitWord) || presentFacts.contains(.tensWord) {
            findSpelledNumbers()
        }
        if presentFacts.contains(.millionWord) { findSaidDocumentNumbers() }
        // A date in words has its month, or is a bare day after a birth ("nasceu dia 3", "nasceu dia três").
        if hasDigits || !presentFacts.intersection([.month, .digitWord, .tensWord, .firstDayWord]).isEmpty {
            findTextDates()
        }
        if presentFacts.contains(.addressCue) { findCuedAddresses() }
        if presentFacts.contains(.directionCue) { findDirectionsHome() }
        findWayHere()
        if presentFacts.contains(.livingVerb) {
            findHomeNeighbourhoods()
            findHomePlacesByName()
        }
        joinLetterPrefixes()
    }

    /// A CPF broken over two lines or by a space where it was pasted or typed: "572.653" and "459-08" on the next
    /// line. Two runs of figures whose eleven digits pass the CPF's check (or fall in its 3.3.3-2 groups) are one.
    mutating func findSplitCPFs() {
        // A run of figures joined by "." or "-" alone, from token `first`: its last token, digits and groups.
        func run(from first: Int) -> (last: Int, digits: [Int], groups: [Int]) {
            var last = first
            while last + 1 < tokens.count, !tokens[last + 1].isWord, !masked[last + 1],
                tokens[last + 1].gap == .period || tokens[last + 1].gap == .hyphen
            {
                last += 1
            }
            var digits: [Int] = []
            for index in first...last {
                for byte in tokens[index].start..<tokens[index].end { digits.append(Int(bytes[byte] - 0x30)) }
            }
            return (last, digits, (first...last).map { tokens[$0].digits })
        }
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard !tokens[index].isWord, !masked[index],
                index == 0 || tokens[index].gap.subtracting([.space, .newline, .stop, .colon]) == []
            else { continue }
            let head = run(from: index)
            let second = head.last + 1
            guard head.digits.count < 11, second < tokens.count, !tokens[second].isWord, !masked[second],
                tokens[second].gap == .space || tokens[second].gap.contains(.newline),
                tokens[second].gap.subtracting([.space, .newline, .stop]) == []
            else { continue }
            let tail = run(from: second)
            let digits = head.digits + tail.digits
            let endsAlone = tail.last + 1 >= tokens.count || tokens[tail.last + 1].gap != []
            guard digits.count == 11, endsAlone,
                Self.cpfIsValid(digits) || head.groups + tail.groups == [3, 3, 3, 2]
            else { continue }
            addSpan(.cpf, from: index, through: tail.last)
            index = tail.last
        }
    }

    /// A CPF as bank receipts print it, its first and last digits hidden: "***.481.224-**", "•••.552.183-••",
    /// "xxx.123.456-xx". The six digits left are hers.
    mutating func findPartlyHiddenCPFs() {
        // The length in bytes of one hiding mark at byte `at`: "*", "x", "X" or "•" (three bytes in UTF-8).
        func hidden(_ at: Int) -> Int {
            guard at < bytes.count else { return 0 }
            switch bytes[at] {
            case 0x2A, 0x78, 0x58: return 1
            case 0xE2 where at + 2 < bytes.count && bytes[at + 1] == 0x80 && bytes[at + 2] == 0xA2: return 3
            default: return 0
            }
        }
        func digits(_ at: Int, _ count: Int) -> Bool {
            at + count <= bytes.count && (at..<(at + count)).allSatisfy { (0x30...0x39).contains(bytes[$0]) }
        }
        var start = 0
        while start < bytes.count {
            defer { start += 1 }
            // Three marks, with nothing of a word before them.
            guard hidden(start) > 0, start == 0 || !(bytes[start - 1] >= 0x30 && bytes[start - 1] <= 0x39) else {
                continue
            }
            var at = start
            var marks = 0
            while marks < 3, hidden(at) > 0 {
                at += hidden(at)
                marks += 1
            }
            guard marks == 3, at < bytes.count, bytes[at] == 0x2E, digits(at + 1, 3), at + 4 < bytes.count,
                bytes[at + 4] == 0x2E, digits(at + 5, 3), at + 8 < bytes.count, bytes[at + 8] == 0x2D
            else { continue }
            var end = at + 9
            var tail = 0
            while tail < 2, hidden(end) > 0 {
                end += hidden(end)
                tail += 1
            }
            guard tail == 2 else { continue }
            add(.cpf, start..<end)
            markTokens(start..<end)
            start = end - 1
        }
    }

    /// "member ID XGH 448 201 773", "carteirinha ABX 0012 3345": capitals standing alone between an ID's word and the
    /// number masked after them are the number's first part (a known acronym, "CPF 123…", stays outside).
    mutating func joinLetterPrefixes() {
        for index in tokens.indices.dropFirst() where index + 1 < tokens.count {
            guard tokens[index].isWord, tokens[index].allCaps, (2...4).contains(length(index)), !masked[index],
                !tokens[index + 1].isWord, masked[index + 1], tokens[index + 1].gap == .space,
                entry(index).facts.isEmpty, entry(index).people == 0, entry(index).wordIn.isEmpty,
                Self.identifierWords.contains(tokens[index - 1].hash),
                !Self.documentAcronyms.contains(tokens[index].hash),
                let span = spans.firstIndex(where: { $0.range.contains(tokens[index + 1].start) && $0.kind != .name })
            else { continue }
            spans[span].range = tokens[index].start..<spans[span].range.upperBound
            masked[index] = true
        }
    }

    /// The documents' own names, which say what the number is and stay beside its mask.
    static let documentAcronyms = WordSet(
        hashes: [
            "cpf", "rg", "cns", "cep", "sus", "nis", "pis", "ssn", "nhs", "dni", "nie", "curp", "rut", "cuil", "cuit",
            "ine", "rne", "crm", "mrn", "nit", "ci", "cc", "sip",
        ].map { WordFolding.hash($0) })

    static let identifierWords = WordSet(
        hashes: [
            "id", "member", "membership", "policy", "card", "number", "numero", "cartao", "carteirinha", "tarjeta",
            "carnet", "afiliado", "beneficiario",
        ].map { WordFolding.hash($0) })

    /// Whether a postal code's word stands right before token `index`: "CP", "C.P.", "cep", "zip", "postal",
    /// "código postal".
    func postalCue(before index: Int) -> Bool {
        guard index > 0, tokens[index - 1].isWord else { return false }
        if has(index - 1, .cepCue) || tokens[index - 1].hash == Self.cpWord { return true }
        // "C.P. 44600": two letters and their periods.
        return index > 1 && tokens[index - 1].hash == Self.pLetter && tokens[index - 2].hash == Self.cLetter
            && tokens[index - 1].gap == .period
    }

    static let cpWord = WordFolding.hash("cp")
    static let cLetter = WordFolding.hash("c")
    static let pLetter = WordFolding.hash("p")
    static let australianStates = WordSet(
        hashes: ["nsw", "vic", "qld", "wa", "sa", "tas", "nt", "act"].map { WordFolding.hash($0) })

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

    /// The end of an e-mail address's ending typed after a comma for its dot (",com", ",com.br"), from the comma at
    /// `comma`; nil unless the ending is a common one.
    func commaForDot(after comma: Int) -> Int? {
        var end = comma + 1
        while end < bytes.count, isEmailByte(bytes[end]) { end += 1 }
        while end > comma + 1, bytes[end - 1] == 0x2E { end -= 1 }
        var label = comma + 1
        while label < end, bytes[label] != 0x2E { label += 1 }
        let ending = String(decoding: bytes[(comma + 1)..<label], as: UTF8.self).lowercased()
        return Self.commonEmailEndings.contains(ending) ? end : nil
    }

    static let commonEmailEndings: Set<String> = ["com", "net", "org", "br", "edu", "gov"]

    mutating func findEmailsAndURLs() {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            // Most words hold no dot, "@", bracket or slash: no address or link starts or ends in them, so the word
            // is skipped at once instead of byte by byte.
            if byte != 0x40 && byte != 0x28, index == 0 || isSpace(bytes[index - 1]) {
                var end = index
                var special = false
                while end < count, !isSpace(bytes[end]) {
                    let b = bytes[end]
                    if b == 0x2E || b == 0x40 || b == 0x28 || b == 0x2F || b == 0x3A {
                        special = true
                        break
                    }
                    end += 1
                }
                if !special {
                    index = end + 1
                    continue
                }
            }
            // "enf.patricia.ubs @ saude.pe.gov.br", "adriele.souza(arroba)gmail.com": an address typed apart.
            if byte == 0x40 || byte == 0x28, let spaced = spacedEmail(at: index) {
                add(.email, spaced)
                index = spaced.upperBound
                continue
            }
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
                // "joyce.ferraz87@hotmail,com": a comma typed for the dot before a common ending.
                if start < index, end > index + 1, end + 1 < count, bytes[end] == 0x2C,
                    let typo = commaForDot(after: end)
                {
                    add(.email, start..<typo)
                    index = typo
                    continue
                }
                // A social handle ("@mae.da.helena", "@rafa_gestante") names her as surely as her name does.
                if start == index && (index == 0 || isSpace(bytes[index - 1]) || bytes[index - 1] == 0x28) {
                    var handleEnd = index + 1
                    while handleEnd < count
                        && (WordFolding.isASCIILetter(bytes[handleEnd])
                            || (bytes[handleEnd] >= 0x30 && bytes[handleEnd] <= 0x39) || bytes[handleEnd] == 0x2E
                            || bytes[handleEnd] == 0x5F)
                    {
                        handleEnd += 1
                    }
                    while handleEnd > index + 1 && bytes[handleEnd - 1] == 0x2E { handleEnd -= 1 }
                    // "@SUM(1+1)" is a spreadsheet formula, not a profile.
                    let call = handleEnd < count && bytes[handleEnd] == 0x28
                    if handleEnd - index >= 3 && !call {
                        add(.handle, index..<handleEnd)
                        index = handleEnd
                        continue
                    }
                }
            }
            let atWordStart = index == 0 || isSpace(bytes[index - 1]) || bytes[index - 1] == 0x28
            // A profile link without its scheme ("facebook.com/joana.souza.79") points at her as a handle does.
            if atWordStart, Self.domainFirstBytes[Int(byte | 0x20)],
                let domain = Self.profileDomains.first(where: { startsWith($0, at: index) })
                    ?? Self.linkHosts.first(where: { startsWith($0, at: index) })
            {
                var end = index + domain.utf8CodeUnitCount
                while end < count && !isSpace(bytes[end]) { end += 1 }
                while end > index && [0x2E, 0x2C, 0x29, 0x21, 0x3F, 0x3B, 0x3A].contains(bytes[end - 1]) { end -= 1 }
                if end > index + domain.utf8CodeUnitCount {
                    add(.url, index..<end)
                    index = end
                    continue
                }
            }
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
                if !identifying && urlPathIdentifies(index..<end) { identifying = true }
                if identifying { add(.url, index..<end) }
                index = end
                continue
            }
            index += 1
        }
        for span in spans { markTokens(span.range) }
    }

    /// An e-mail address typed with its "@" set apart by spaces or written "(arroba)"/"(at)": the local part before,
    /// a domain with a dot after. The range covers both parts.
    func spacedEmail(at index: Int) -> Range<Int>? {
        let count = bytes.count
        var separatorEnd = 0
        if bytes[index] == 0x40, index > 0, index + 1 < count, bytes[index - 1] == 0x20, bytes[index + 1] == 0x20 {
            separatorEnd = index + 2
        } else if bytes[index] == 0x28, startsWith("(arroba)", at: index) {
            separatorEnd = index + 8
        } else if bytes[index] == 0x28, startsWith("(at)", at: index) {
            separatorEnd = index + 4
        } else {
            return nil
        }
        var start = bytes[index] == 0x40 ? index - 1 : index
        let localEnd = start
        while start > 0 && isEmailByte(bytes[start - 1]) { start -= 1 }
        guard start < localEnd else { return nil }
        var end = separatorEnd
        var dot = false
        while end < count && isEmailByte(bytes[end]) {
            if bytes[end] == 0x2E && end + 1 < count && isEmailByte(bytes[end + 1]) { dot = true }
            end += 1
        }
        while end > separatorEnd && (bytes[end - 1] == 0x2E || bytes[end - 1] == 0x2D) { end -= 1 }
        guard dot, end > separatorEnd else { return nil }
        return start..<end
    }

    /// Whether a URL's host or path points at one person or one record: a profile, a shortened or shared link
    /// (its target is unknown: a drive folder, a chat invitation), or a path segment with four digits in a row or
    /// with letters and digits mixed ("sala/88213-CLR", "folders/1aB3xYz9QpLm7Kd2", "gestante/4471"). A public page's
    /// words ("gov.br/pt-br/servicos/salario-maternidade") stay readable for the nurse.
    func urlPathIdentifies(_ range: Range<Int>) -> Bool {
        var start = range.lowerBound
        if startsWith("https://", at: start) {
            start += 8
        } else if startsWith("http://", at: start) {
            start += 7
        }
        if startsWith("www.", at: start) { start += 4 }
        if Self.profileDomains.contains(where: { startsWith($0, at: start) })
            || Self.linkHosts.contains(where: { startsWith($0, at: start) })
        {
            return true
        }
        var slash = start
        while slash < range.upperBound && bytes[slash] != 0x2F { slash += 1 }
        var digits = 0
        var letters = 0
        var digitRun = 0
        func segmentIdentifies() -> Bool { (digits > 0 && letters > 0 && digits + letters >= 6) }
        for position in slash..<range.upperBound {
            let byte = bytes[position]
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                digitRun += 1
                if digitRun >= 4 { return true }
            } else {
                digitRun = 0
                if WordFolding.isASCIILetter(byte) {
                    letters += 1
                } else {
                    if segmentIdentifies() { return true }
                    digits = 0
                    letters = 0
                }
            }
        }
        return segmentIdentifies()
    }

    /// Hosts whose links hide or share their target: a shortener, a drive, a chat invitation, a form.
    static let linkHosts: [StaticString] = [
        "bit.ly/", "tinyurl.com/", "t.co/", "goo.gl/", "forms.gle/", "drive.google.com/", "docs.google.com/",
        "chat.whatsapp.com/", "t.me/", "encurtador.com.br/", "linktr.ee/", "meet.google.com/", "zoom.us/j/",
        "teams.microsoft.com/", "us02web.zoom.us/",
        // A fundraiser is for one family: "gofundme.com/f/ayuda-bebe-yaritza-lima", "vakinha.com.br/…".
        "gofundme.com/", "vakinha.com.br/", "kickante.com.br/", "catarse.me/", "leetchi.com/", "gogetfunding.com/",
    ]

    /// The first letters of the profile and link domains: most words start with none of them, and are not compared.
    static let domainFirstBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for domain in profileDomains + linkHosts {
            domain.withUTF8Buffer { table[Int($0[0] | 0x20)] = true }
        }
        return table
    }()

    /// Social networks whose links name a person: a path after them is her profile.
    static let profileDomains: [StaticString] = [
        "facebook.com/", "fb.com/", "m.facebook.com/", "instagram.com/", "tiktok.com/", "twitter.com/", "x.com/",
        "linkedin.com/in/", "youtube.com/@", "kwai.com/",
    ]

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

    /// Whether a word that brings a day stands right before token `first`: "dia 3/4", "el 3/11", "born 9/14",
    /// "desde 2/9", or a weekday.
    func dayCueBefore(_ first: Int) -> Bool {
        let previous = first - 1
        guard previous >= 0, tokens[previous].isWord, !tokens[first].gap.contains(.stop) else { return false }
        if Self.dayCues.contains(tokens[previous].hash) || entries[previous].facts.contains(.birthCue)
            || entries[previous].facts.contains(.weekday)
        {
            return true
        }
        // "minha DUM foi 3/1", "la cita es 5/2", "my LMP was 3/1": a day after "was" and something that has one.
        guard Self.dateCopulas.contains(tokens[previous].hash) else { return false }
        var word = previous - 1
        while word >= 0, previous - word <= 3, tokens[word].isWord, !tokens[word + 1].gap.contains(.stop) {
            if Self.datedThings.contains(tokens[word].hash) { return true }
            word -= 1
        }
        return false
    }

    /// "foi", "é", "was", "fue": between a dated thing and its day.
    static let dateCopulas = WordSet(
        hashes: ["foi", "e", "eh", "era", "sera", "vai", "fue", "es", "sera", "was", "is", "will"].map {
            WordFolding.hash($0)
        })
    /// What has a day: her last period, an appointment, the birth, a scan, a vaccine, a return visit.
    static let datedThings = WordSet(
        hashes: [
            "dum", "menstruacao", "regra", "consulta", "parto", "cesarea", "cesaria", "ultrassom", "ultrasom", "usg",
            "retorno", "vacina", "exame", "fur", "regla", "cita", "control", "lmp", "period", "appointment", "scan",
            "due", "birthday", "aniversario", "cumpleanos", "nascimento", "nacimiento",
        ].map { WordFolding.hash($0) })

    /// Whether a blood pressure word follows token `last`, right after it or after "de"/"of"/"da".
    func pressureAfter(_ last: Int) -> Bool {
        var next = last + 1
        guard next < tokens.count, tokens[next].isWord, !tokens[next].gap.contains(.stop) else { return false }
        if Self.pressureLinks.contains(tokens[next].hash), next + 1 < tokens.count, tokens[next + 1].isWord {
            next += 1
        }
        return entries[next].facts.contains(.pressureCue)
    }

    /// Whether an hour follows token `last`: "às 7h", "as 14:30", "a las 8", "at 9am", "at 10".
    func hourAfter(_ last: Int) -> Bool {
        var next = last + 1
        guard next < tokens.count, tokens[next].isWord, tokens[next].gap.isSpaceOnly,
            Self.atHourWords.contains(tokens[next].hash)
        else { return false }
        next += 1
        if next < tokens.count, tokens[next].isWord, tokens[next].hash == Self.lasWord, tokens[next].gap.isSpaceOnly {
            next += 1  // "a las 8"
        }
        guard next < tokens.count, !tokens[next].isWord, tokens[next].digits <= 2, tokens[next].gap.isSpaceOnly else {
            return false
        }
        // The hour's own mark: "7h", "14:30", "9am", "8 horas"; a bare "at 10" too, at the message's end or before
        // a comma.
        let after = next + 1
        if after >= tokens.count || tokens[after].gap.intersection([.comma, .period, .stop]) != [] { return true }
        if tokens[after].gap.contains(.colon) && !tokens[after].isWord { return true }
        return tokens[after].isWord && (tokens[after].gap == [] || tokens[after].gap.isSpaceOnly)
            && Self.hourMarks.contains(tokens[after].hash)
    }

    static let atHourWords = WordSet(hashes: ["as", "a", "at", "ate"].map { WordFolding.hash($0) })
    static let lasWord = WordFolding.hash("las")
    static let hourMarks = WordSet(
        hashes: ["h", "hs", "hrs", "horas", "hora", "am", "pm", "hr", "min"].map { WordFolding.hash($0) })
    static let pressureLinks = WordSet(hashes: ["de", "da", "of", "la", "na", "mi"].map { WordFolding.hash($0) })

    static let dayCues = WordSet(
        hashes: ["dia", "el", "on", "desde", "since", "hasta", "until", "ate", "data", "date", "fecha", "del", "al"].map
        {
            WordFolding.hash($0)
        })

    /// Whether a cue word (RG, CEP, nascimento) stands in the few words before token `index`.
    func cueBefore(_ index: Int, _ fact: WordFacts, within: Int) -> Bool {
        cueBefore(index, within: within) { entries[$0].facts.contains(fact) }
    }

    /// Whether a word for which `isCue` holds stands in the `within` words before token `index`, in its sentence.
    func cueBefore(_ index: Int, within: Int, where isCue: (Int) -> Bool) -> Bool {
        var seen = 0
        var i = index - 1
        while i >= 0 && seen < within {
            if tokens[i].isWord {
                if isCue(i) { return true }
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
            // A run of digit groups joined by single separators: "+55 (21) 95375-2329", "650.726.482-22"; the
            // carrier prefix "0xx" of a dialled number ("(0xx71) 3245-8890", "0 xx 11 2231-4467") joins too.
            var last = index
            var digits: [Int] = []
            var groups: [Int] = [tokens[index].digits]
            var separators = Gap()
            var next = index + 1
            while next < tokens.count {
                if tokens[next].isWord {
                    guard tokens[next].hash == Self.carrierPrefix, next + 1 < tokens.count, !tokens[next + 1].isWord,
                        !masked[next + 1], tokens[next].gap.subtracting(.space) == [],
                        tokens[next + 1].gap.subtracting([.space, .open, .other]) == []
                    else { break }
                    next += 1
                    groups.append(tokens[next].digits)
                    last = next
                    next += 1
                    continue
                }
                if masked[next] { break }
                let gap = tokens[next].gap
                let joins =
                    gap.subtracting([.space, .period, .hyphen, .dash, .slash, .open, .other]) == []
                    && !(gap.contains(.other) && !isParenthesisGap(before: next))
                guard joins, gap != [] else { break }
                // "dia 24/04 08:00", "12/03/2025 14h": after figures joined by a slash, a space ends them (the time
                // follows the date); no phone or document number joins a slash and a space.
                if separators.contains(.slash) && gap.contains(.space) && !gap.contains(.slash) { break }
                // "(27) 3222-1100 / (27) 99988-7766": a slash between spaces lists two numbers.
                if gap.contains(.slash) && gap.contains(.space) { break }
                separators.formUnion(gap)
                groups.append(tokens[next].digits)
                last = next
                next += 1
            }
            for i in index...last where !tokens[i].isWord {
                for b in tokens[i].start..<tokens[i].end { digits.append(Int(bytes[b] - 0x30)) }
            }
            // A number glued to letters ("800g", "G2P1") is a measure, not an identifier.
            let glued =
                (last + 1 < tokens.count && tokens[last + 1].isWord && tokens[last + 1].gap == [])
                || (index > 0 && tokens[index].gap == [] && tokens[index - 1].isWord
                    && !(tokens[index - 1].allCaps && tokens[index - 1].end - tokens[index - 1].start <= 3))
            var start = tokens[index].start
            var end = tokens[last].end
            if start > 0 && bytes[start - 1] == 0x28 { start -= 1 }  // (
            if start > 0 && bytes[start - 1] == 0x2B { start -= 1 }  // +
            var kind = classify(digits: digits, groups: groups, separators: separators, first: index, glued: glued)
            // "15/10 de pressão", "14/9 of blood pressure": the reading names itself after the figures.
            if kind == .date || kind == .birthdate, groups.count == 2, pressureAfter(last) { kind = nil }
            // A US ZIP code after the state: "Kailua-Kona, HI 96745".
            // "Boston MA 02124" without the comma too, when the code is a state's.
            if kind == nil, groups == [5], index > 0, tokens[index - 1].isWord, tokens[index - 1].allCaps,
                tokens[index - 1].end - tokens[index - 1].start == 2,
                tokens[index - 1].gap.contains(.comma) || Self.usStates.contains(tokens[index - 1].hash),
                tokens[index].gap.isSpaceOnly
            {
                kind = .cep
            }
            // A postal code of four or five digits after its cue ("C.P. 44600", "CP 1425", "código postal 28009"), or
            // beside a large town ("28009 Madrid", "Madrid 28012").
            if kind == nil, groups == [5] || groups == [4],
                postalCue(before: index)
                    || (groups == [5] && index > 0 && tokens[index - 1].isWord && tokens[index - 1].capital
                        && entry(index - 1).townPopulation >= 100_000 && tokens[index].gap.isSpaceOnly)
                    || (groups == [5] && last + 1 < tokens.count && tokens[last + 1].isWord && tokens[last + 1].capital
                        && tokens[last + 1].gap.isSpaceOnly && entry(last + 1).townPopulation >= 100_000)
            {
                kind = .cep
            }
            // An Australian postcode after its state: "Brunswick VIC 3056", "Bondi NSW 2026".
            if kind == nil, groups == [4], index > 0, tokens[index - 1].isWord, tokens[index - 1].allCaps,
                Self.australianStates.contains(tokens[index - 1].hash), tokens[index].gap.isSpaceOnly
            {
                kind = .cep
            }
            // "Hospital number: RJ1 0044871": capitals glued to the first figures are the record's prefix, and
            // no phone number has one.
            let lettered =
                index > 0 && tokens[index].gap == [] && tokens[index - 1].isWord && tokens[index - 1].allCaps
                && tokens[index - 1].end - tokens[index - 1].start <= 3
            if lettered, kind == .phone { kind = .number }
            // "carteirinha 0H4M 0012 7733 0019": a card's first group of letters and digits mixed, a space before the
            // figures, is part of its number.
            var cardGroup: Int?
            if kind != nil, kind != .date, kind != .birthdate, index > 0, tokens[index].gap == [.space] {
                var first = index - 1
                while first > 0, tokens[first].gap == [], index - first <= 8 { first -= 1 }
                if first == 0 || tokens[first].gap.isSpaceOnly, let group = mixedGroup(from: first, limit: 8),
                    group.last == index - 1, group.characters >= 3
                {
                    cardGroup = first
                    if kind == .phone { kind = .number }
                }
            }
            // "Registration No: BBMP/2024/0012345": an office's capitals and the year before the number are its parts.
            var officePrefix: Int?
            if kind == .number || kind == .phone, separators.contains(.slash), index > 0, tokens[index].gap == .slash,
                tokens[index - 1].isWord, tokens[index - 1].allCaps,
                tokens[index - 1].end - tokens[index - 1].start >= 2
            {
                officePrefix = index - 1
                kind = .number
            }
            if let kind {
                if lettered { start = tokens[index - 1].start }
                if let officePrefix { start = tokens[officePrefix].start }
                if let cardGroup { start = tokens[cardGroup].start }
                // "rg mg 18.456.002": the issuing state's code between the document's name and its number.
                if kind == .rg, index >= 2, tokens[index - 1].isWord, tokens[index].gap.isSpaceOnly,
                    tokens[index - 1].gap.isSpaceOnly, Self.stateCodes.contains(tokens[index - 1].hash),
                    tokens[index - 1].end - tokens[index - 1].start == 2, has(index - 2, .rgCue)
                {
                    start = tokens[index - 1].start
                }
                // A state or a series letter before a document ("SP-84.704.111", "V-24.567.890") belongs to it.
                if kind == .rg || kind == .number, index > 0, tokens[index - 1].isWord, tokens[index - 1].capital,
                    tokens[index - 1].end - tokens[index - 1].start <= 2,
                    tokens[index - 1].allCaps || tokens[index - 1].end - tokens[index - 1].start == 1,
                    tokens[index].gap.contains(.hyphen) || tokens[index].gap == .dash
                {
                    start = tokens[index - 1].start
                }
                // "dia 10/06", "el 22/01/2025": the word before a date belongs to it.
                if kind == .date || kind == .birthdate, index > 0, Self.dayIntroducers.contains(tokens[index - 1].hash),
                    tokens[index].gap.isSpaceOnly, !masked[index - 1]
                {
                    start = tokens[index - 1].start
                }
                var after = last + 1
                // A check letter after an RG ("12.345.678-X").
                if kind == .rg, after < tokens.count, tokens[after].isWord,
                    tokens[after].end - tokens[after].start == 1, tokens[after].gap.contains(.hyphen)
                {
                    end = tokens[after].end
                    after += 1
                }
                // The issuer after a document number: "SSP/BA", "SSP-PE", "Detran RJ", a Bolivian "LP".
                if kind == .rg || kind == .number, after < tokens.count, tokens[after].isWord,
                    tokens[after].gap.isSpaceOnly,
                    tokens[after].allCaps || tokens[after].hash == Self.detran,
                    (2...6).contains(tokens[after].end - tokens[after].start)
                {
                    end = tokens[after].end
                    after += 1
                    if after < tokens.count, tokens[after].isWord, tokens[after].allCaps,
                        tokens[after].end - tokens[after].start == 2,
                        tokens[after].gap.subtracting([.space, .slash, .hyphen, .dash]) == []
                    {
                        end = tokens[after].end
                        after += 1
                    } else if after < tokens.count, tokens[after].isWord, tokens[after].capital,
                        tokens[after].gap.isSpaceOnly, has(after, .country), !masked[after]
                    {
                        // "SSP Piauí": the issuer's state by its name.
                        end = tokens[after].end
                        after += 1
                    }
                }
                // An extension after a phone: "(11) 3456-7788 ramal 214".
                if kind == .phone, after + 1 < tokens.count, tokens[after].isWord,
                    Self.extensionWords.contains(tokens[after].hash), !tokens[after + 1].isWord,
                    tokens[after + 1].gap.subtracting([.space, .period, .colon]) == []
                {
                    end = tokens[after + 1].end
                }
                add(kind, start..<end)
                markTokens(start..<end)
            }
            index = last + 1
        }
    }

    static let carrierPrefix = WordFolding.hash("xx")
    static let detran = WordFolding.hash("detran")
    static let extensionWords = WordSet(
        hashes: ["ramal", "ext", "extensao", "extension", "extension"].map {
            WordFolding.hash($0)
        })

    func isParenthesisGap(before index: Int) -> Bool {
        // "(21) 9..." puts ") " between the groups: a closing bracket is the only symbol a phone number carries.
        var b = tokens[index].start - 1
        while b >= tokens[index - 1].end {
            if bytes[b] != 0x29 && bytes[b] != 0x20 && bytes[b] != 0x28 { return false }
            b -= 1
        }
        return true
    }

    /// The value of the digits `digits[range]`.
    static func value(_ digits: ArraySlice<Int>) -> Int { digits.reduce(0) { $0 * 10 + $1 } }

    /// A calendar date written in figures: day/month ("30/12", both of two digits), month/year ("05/2023"),
    /// day/month/year with slashes, dots or hyphens ("1/4/89", "23.8.01", "14-02-2025"), or year-month-day.
    func numericDate(digits: [Int], groups: [Int], separators: Gap, first: Int) -> Bool {
        let single = separators == .slash || separators == .period || separators == .hyphen
        guard single else { return false }
        var offsets: [Int] = []
        var offset = 0
        for group in groups {
            offsets.append(offset)
            offset += group
        }
        func number(_ index: Int) -> Int { Self.value(digits[offsets[index]..<(offsets[index] + groups[index])]) }
        if groups.count == 2 {
            guard separators == .slash else { return false }
            let dayMonth = (1...31).contains(number(0)) && (1...12).contains(number(1))
            // "scheduled for 09/22": month/day, the order of the United States, when the second cannot be a month.
            let monthDay = (1...12).contains(number(0)) && (13...31).contains(number(1))
            if groups == [2, 2] { return dayMonth || monthDay }
            // "dia 3/4", "el 3/11", "born 9/14": one digit on a side is a date only after a word that brings a day
            // ("1/2 copo" and "24/7" stay).
            // "marcada pra 3/9 às 7h", "el 5/2 a las 8": the hour after it makes it a day too (not a reading: "deu
            // 12/8 às 7h" has its pressure word before it).
            if groups[0] <= 2 && groups[1] <= 2 {
                return (dayMonth || monthDay)
                    && (dayCueBefore(first)
                        || (hourAfter(first + 1) && !cueBefore(first, .pressureCue, within: 4)))
            }
            return groups[0] <= 2 && groups[1] == 4 && (1...12).contains(number(0))
                && (1900...2100).contains(number(1))
        }
        guard groups.count == 3 else { return false }
        if groups[0] == 4 {
            return separators != .period && (1...12).contains(number(1)) && (1...31).contains(number(2))
        }
        return groups[0] <= 2 && groups[1] <= 2 && (groups[2] == 2 || groups[2] == 4)
            && (1...31).contains(number(0)) && (1...12).contains(number(1))
    }

    func classify(digits: [Int], groups: [Int], separators: Gap, first: Int, glued: Bool) -> PersonalDataKind? {
        let count = digits.count
        // Every calendar date with its day is masked (the date of a birth, a last period, a due date or a visit
        // dates her pregnancy): of birth when a cue stands near.
        // "pressão 16/11", "presión con el aparatito … salió 16/11": a blood pressure reading in the same sentence,
        // not a date.
        if numericDate(digits: digits, groups: groups, separators: separators, first: first)
            && !(groups.count == 2 && cueBefore(first, .pressureCue, within: 10))
        {
            return cueBefore(first, .birthCue, within: 6) ? .birthdate : .date
        }
        if separators.contains(.slash) { return count >= 7 ? .number : nil }
        if glued && count < 8 { return nil }
        // "Prontuário nº 458.221", "MRN 88412": a record number after its name, however short.
        if count >= 4 && !separators.contains(.slash) && cueBefore(first, .recordCue, within: 3) { return .number }
        // "45782-0", "12345-6": a record's or an account's number and its check digit ("2023-2", a term, stays).
        if groups.count == 2 && groups[0] >= 5 && groups[1] == 1 && separators == .hyphen { return .number }
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
}
