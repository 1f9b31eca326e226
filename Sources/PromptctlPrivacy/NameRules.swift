/// Personal names: a census given name (and the surnames and particles after it) wherever it stands; a name that is
/// also a word (Rosa, Dores, Will) only where its context says it is a name; any capitalised word after a cue.
extension Scan {
    mutating func findNames(known: [UInt64]) {
        protectPlaces()
        var found: [UInt64] = []
        var index = 0
        while index < tokens.count {
            if let end = nameChain(at: index) {
                add(.name, tokens[index].start..<tokens[end].end)
                for part in index...end where !has(part, .particle) {
                    masked[part] = true
                    found.append(tokens[part].hash)
                }
                index = end + 1
            } else {
                index += 1
            }
        }
        // The names found, and the conversation's, are masked wherever else they stand, even at a sentence's start
        // ("Glória ligou" after "minha filha Glória"); in lower case only where they are no ordinary word.
        let names = Set(found + known)
        guard !names.isEmpty else { return }
        index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.isWord, !masked[index], !protected[index], token.end - token.start >= 2,
                names.contains(token.hash)
            else {
                index += 1
                continue
            }
            let word = entry(index)
            if !token.capital && (!word.wordIn.intersection(languages).isEmpty || word.facts.contains(.notName)) {
                index += 1
                continue
            }
            let end = extend(index, lowerCase: !token.capital, cued: false)
            add(.name, token.start..<tokens[end].end)
            for part in index...end { masked[part] = true }
            index = end + 1
        }
    }

    /// Places of several words ("Vitória da Conquista"), and what follows a place's or a saint's prefix ("Vila Rosa",
    /// "Maternidade Santa Joana", "Nossa Senhora"), are never names; nor is a town that is also a name after "em".
    mutating func protectPlaces() {
        for index in tokens.indices where tokens[index].isWord {
            if let places = lexicon.multiWordPlaces[tokens[index].hash],
                let length = places.filter({ matches($0, startingAt: index) }).map(\.count).max()
            {
                for part in index..<(index + length) { protected[part] = true }
            }
            let word = entry(index)
            if word.facts.contains(.place)
                && (!word.facts.contains(.givenName)
                    || (index > 0 && has(index - 1, .placePreposition) && tokens[index].gap.isSpaceOnly))
                && tokens[index].capital
            {
                protected[index] = true
            }
            // "Rosario, Argentina": a word before a comma and a country or state is a town.
            if tokens[index].capital, index + 1 < tokens.count,
                tokens[index + 1].gap.subtracting([.space, .comma]) == [],
                tokens[index + 1].gap.contains(.comma), tokens[index + 1].capital, has(index + 1, .place)
            {
                protected[index] = true
            }
            if cue(in: lexicon.placePrefixes, endingAt: index) {
                var next = index + 1
                var any = false
                while next < tokens.count, tokens[next].isWord, tokens[next].gap.isSpaceOnly {
                    if tokens[next].capital {
                        protected[next] = true
                        any = true
                    } else if !(has(next, .particle) && next + 1 < tokens.count && tokens[next + 1].capital) {
                        break
                    }
                    next += 1
                }
                if any && tokens[index].capital { protected[index] = true }
            }
        }
    }

    /// Whether a cue that makes the next word a name stands right before token `index`: a self-introduction
    /// ("me chamo"), a person word ("minha sogra", "o bebê", "my friend") or a title ("Dr.", "dona").
    func strongCue(before index: Int) -> Bool {
        var previous = index - 1
        // One article between them: "sou a Joana", "mãe da Iracema", "a doula, a Raquel".
        if previous >= 0, has(previous, .article), tokens[index].gap.isSpaceOnly, previous > 0 {
            if has(previous - 1, .relationCue) || has(previous - 1, .title) {
                if tokens[previous].gap.subtracting([.space, .comma, .period, .hyphen]) == [] { return true }
            }
            if cue(in: lexicon.selfCues, endingAt: previous) { return true }
            previous -= 1
            guard previous >= 0, tokens[previous].isWord else { return false }
            let plain = !(tokens[previous + 1].gap.contains(.stop))
            return plain && cue(in: lexicon.selfCues, endingAt: previous)
                && [WordFolding.hash("a"), WordFolding.hash("o"), WordFolding.hash("la"), WordFolding.hash("el")]
                    .contains(tokens[previous + 1].hash)
        }
        guard previous >= 0, tokens[previous].isWord else { return false }
        let gap = tokens[index].gap
        if gap.contains(.stop) || gap.contains(.semicolon) || gap.contains(.dash) { return false }
        if gap.contains(.period) && !(has(previous, .title) || has(previous, .relationCue)) { return false }
        if has(previous, .relationCue) || has(previous, .title) { return true }
        return cue(in: lexicon.selfCues, endingAt: previous)
    }

    /// Whether a greeting or a thanks stands right before token `index` ("Obrigada, Carol", "bjs, Luciana").
    func greeting(before index: Int) -> Bool {
        guard index > 0, !tokens[index].gap.contains(.stop) else { return false }
        return cue(in: lexicon.greetingCues, endingAt: index - 1)
    }

    /// Whether the name ending at token `end` is followed by "aqui", "falando", "here", "de novo".
    func trailingCue(after end: Int) -> Bool {
        let next = end + 1
        guard next < tokens.count, tokens[next].gap.subtracting([.space, .comma]) == [] else { return false }
        return cueLength(in: lexicon.trailingCues, startingAt: next) > 0
    }

    /// Whether nothing but punctuation or emoji follows token `end`: a signature or a vocative closes the message.
    func closesMessage(_ end: Int) -> Bool {
        var next = end + 1
        while next < tokens.count {
            if tokens[next].isWord || tokens[next].digits > 0 { return false }
            next += 1
        }
        return true
    }

    /// Whether token `index` can continue a name: a capitalised given name, surname or unknown word, or in a
    /// lower-case name a given name that is no ordinary word (or, after a cue, a surname).
    func namePart(_ index: Int, lowerCase: Bool, cued: Bool) -> Bool {
        let token = tokens[index]
        guard token.isWord, !masked[index], !protected[index], token.end - token.start >= 2 else { return false }
        let word = entry(index)
        if word.facts.contains(.notName) && !word.facts.contains(.surname) { return false }
        if word.facts.contains(.placePrefix) || word.facts.contains(.relationCue) || word.facts.contains(.title) {
            return false
        }
        if lexicon.selfCues[token.hash] != nil || lexicon.greetingCues[token.hash] != nil
            || lexicon.trailingCues[token.hash] != nil
        {
            return false
        }
        if token.capital {
            return !token.allCaps || word.facts.contains(.givenName) || word.facts.contains(.surname)
        }
        guard lowerCase else { return false }
        if word.facts.contains(.givenName) && word.wordIn.intersection(languages).isEmpty { return true }
        return cued && word.facts.contains(.surname)
    }

    /// The last token of the name that starts at `index`: its further parts, across particles ("das Chagas").
    func extend(_ index: Int, lowerCase: Bool, cued: Bool) -> Int {
        var end = index
        var next = index + 1
        while next < tokens.count, tokens[next].isWord, tokens[next].gap.isSpaceOnly {
            if has(next, .particle) {
                var part = next + 1
                if part < tokens.count && has(part, .particle) && tokens[part].gap.isSpaceOnly { part += 1 }
                guard part < tokens.count, tokens[part].gap.isSpaceOnly,
                    namePart(part, lowerCase: lowerCase, cued: cued)
                else { break }
                end = part
                next = part + 1
                continue
            }
            guard namePart(next, lowerCase: lowerCase, cued: cued) else { break }
            end = next
            next += 1
        }
        return end
    }

    /// The last token of a name starting at `index`, or nil when no name starts there.
    func nameChain(at index: Int) -> Int? {
        let token = tokens[index]
        guard token.isWord, !masked[index], !protected[index], token.end - token.start >= 2 else { return nil }
        let word = entry(index)
        let given = word.facts.contains(.givenName)
        if token.allCaps && !given { return nil }  // SUS, UBS, CPF
        if has(index, .particle) || word.facts.contains(.relationCue) || word.facts.contains(.title) { return nil }
        let capital = token.capital && !token.allCaps  // a word in capitals shouts; it says nothing about names
        if strongCue(before: index) {
            if capital { return extend(index, lowerCase: false, cued: true) }
            // In lower case ("aqui é a sueli") only a given name that is no word of her language.
            if given && word.wordIn.intersection(languages).isEmpty && !word.facts.contains(.notName) {
                return extend(index, lowerCase: true, cued: true)
            }
            return nil
        }
        if word.facts.contains(.notName) || word.facts.contains(.month) || word.facts.contains(.placePrefix) {
            return nil
        }
        if lexicon.selfCues[token.hash] != nil || lexicon.greetingCues[token.hash] != nil
            || lexicon.trailingCues[token.hash] != nil
        {
            return nil
        }
        let start = sentenceStart(index)
        // A surname that the census also gives as a first name (Santos, Lima) is a surname first: it needs a cue.
        if given && !word.facts.contains(.surname) {
            let ambiguous = !word.wordIn.intersection(languages).isEmpty
            if !ambiguous {
                if capital { return extend(index, lowerCase: false, cued: false) }
                if word.people >= PrivacyLexicon.lowerCaseMinimumPeople && !word.facts.contains(.surname) {
                    return extend(index, lowerCase: true, cued: false)
                }
                return nil
            }
            guard capital else { return nil }
            if !start {
                if index > 0 && has(index - 1, .placePreposition) && token.gap.isSpaceOnly { return nil }
                return extend(index, lowerCase: false, cued: false)
            }
            // At a sentence's start a capitalised word says nothing: another name part, a cue or a signature must.
            let end = extend(index, lowerCase: false, cued: false)
            if end > index || trailingCue(after: index) || greeting(before: index) { return end }
            if closesMessage(index) && index > 0
                && tokens[index].gap.intersection([.comma, .dash, .period, .stop]) != []
            {
                return index
            }
            return nil
        }
        // An unknown capitalised word (or a surname alone) is a name only where the message says so.
        guard token.capital, !word.facts.contains(.surname) || greeting(before: index) else { return nil }
        let end = extend(index, lowerCase: false, cued: false)
        if closesMessage(end) && index > 0
            && (tokens[index].gap.intersection([.comma, .dash]) != [] || greeting(before: index))
        {
            return end
        }
        if greeting(before: index)
            && (end + 1 >= tokens.count || tokens[end + 1].gap.intersection([.comma, .stop]) != [])
        {
            return end
        }
        // "Adaeze, 19 semanas": a message that opens with a name and her weeks or age.
        if index == 0 && end + 1 < tokens.count && !tokens[end + 1].isWord && tokens[end + 1].gap.contains(.comma) {
            return end
        }
        if trailingCue(after: end) && (start || greeting(before: index)) && end > index { return end }
        return nil
    }
}
