/// Personal names: a census given name (and the surnames and particles after it) wherever it stands; a name that is
/// also a word (Rosa, Dores, Will) only where its context says it is a name; any capitalised word after a cue.
extension Scan {
    mutating func findNames(known: [UInt64]) {
        protectPlaces()
        if hasLetterRun { findSpelledOutNames() }
        var found: [UInt64] = []
        var foundInLowerCase: Set<UInt64> = Set(known)
        var index = 0
        while index < tokens.count {
            // "falei com Yurani Silva", "Buenas, Xiomara Hernández Ruiz": a capitalised word no list knows (no word,
            // name or place) right before a common surname is the first name the census lacks.
            if index + 1 < tokens.count, tokens[index].isWord, tokens[index].capital, !tokens[index].allCaps,
                !masked[index], !protected[index], length(index) >= 3, tokens[index + 1].isWord,
                tokens[index + 1].capital, tokens[index + 1].gap.isSpaceOnly, !masked[index + 1],
                !protected[index + 1], has(index + 1, .surname)
            {
                let word = entry(index)
                let end = extend(index + 1, lowerCase: false, cued: false)
                // Not where a place stands: "trabalho na Faria Lima" is an avenue.
                if word.facts.isEmpty, word.wordIn.isEmpty, word.placePopulation == 0, !placeContext(index, end) {
                    maskName(index, end, found: &found)
                    index = end + 1
                    continue
                }
            }
            if tokens[index].capital,
                let end = questionSubject(at: index) ?? modalQuestionSubject(at: index) ?? dativePerson(at: index)
                    ?? familyName(at: index)
            {
                maskName(index, end, found: &found)
                index = end + 1
                continue
            }
            if let end = nameChain(at: index) {
                var first = index
                // "Yokasta Féliz": an unknown capitalised word right before a name, away from a sentence's start, is
                // its first name.
                if index > 0, tokens[index].gap.isSpaceOnly, tokens[index - 1].isWord, tokens[index - 1].capital,
                    !tokens[index - 1].allCaps, !masked[index - 1], !protected[index - 1], length(index - 1) >= 3,
                    entry(index - 1).facts.isEmpty, entry(index - 1).placePopulation == 0, !sentenceStart(index - 1)
                {
                    first = index - 1
                } else if index > 0, tokens[index].gap.isSpaceOnly, tokens[index - 1].isWord, !masked[index - 1],
                    // A town kept by its context is a first name when a name follows it ("pra Mariana Akemi").
                    !protected[index - 1] || entry(index - 1).people >= PrivacyLexicon.firstNameFirstMinimumPeople,
                    tokens[index - 1].allCaps == tokens[index].allCaps,
                    tokens[index - 1].capital == tokens[index].capital, has(index - 1, .givenName),
                    entry(index - 1).people >= PrivacyLexicon.lowerCaseMinimumPeople,
                    entry(index - 1).facts.intersection([.notName, .month, .weekday, .placePrefix, .title]).isEmpty,
                    !Self.sacredNames.contains(tokens[index - 1].hash)
                {
                    // "A MARIA CECÍLIA NASCEU", "ANA PAULA DOS SANTOS": a common first name right before a name,
                    // written the same way, is the first part of it (alone it was a word too).
                    first = index - 1
                }
                // "Nguyen Thi Lan", "Kim Min-ji": a family name written first, that no word list or place knows,
                // belongs to the name after it.
                if first > 0, tokens[first].gap.isSpaceOnly, tokens[first - 1].isWord, tokens[first - 1].capital,
                    tokens[first - 1].allCaps == tokens[first].allCaps, !masked[first - 1], !protected[first - 1],
                    has(first - 1, .surname), entry(first - 1).wordIn.isEmpty, entry(first - 1).placePopulation == 0,
                    entry(first - 1).facts.intersection([.notName, .month, .weekday, .placePrefix, .title, .place])
                        .isEmpty
                {
                    first -= 1
                }
                add(.name, tokens[first].start..<tokens[end].end)
                for part in index...end where !has(part, .particle) {
                    masked[part] = true
                    found.append(tokens[part].hash)
                    if !tokens[part].capital { foundInLowerCase.insert(tokens[part].hash) }
                }
                index = end + 1
            } else {
                index += 1
            }
        }
        maskLowerCasePairs(found: &found)
        maskCoordinatedNames(found: &found)
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
            // "in June" after "my wife June", "Jesus" after "Maria de Jesus", a shouted "SOCORRO" after "dona
            // Socorro": a month, a saint or an ordinary word in capitals stays what it is.
            let ordinary = !word.wordIn.intersection(languages).isEmpty || word.facts.contains(.notName)
            // "We named her Summer because she was born in summer": a name written with a capital is masked in
            // lower case only when the conversation wrote it so too.
            // A not-name the message itself named ("Hope and Summer are my twins … Hope doesn't") is her again away
            // from a sentence's start; God and Christ stay, and so does a thing she owns ("mi cuñada Mercedes … su
            // Mercedes viejito").
            let notName =
                word.facts.contains(.notName)
                && (sentenceStart(index) || Self.sacredNames.contains(token.hash) || !found.contains(token.hash)
                    || (index > 0 && Self.possessiveDeterminers.contains(tokens[index - 1].hash)))
            if (!token.capital && (ordinary || !foundInLowerCase.contains(token.hash)))
                || notName || word.facts.contains(.month)
                || (token.allCaps && ordinary)
            {
                index += 1
                continue
            }
            let end = extend(index, lowerCase: !token.capital, cued: false)
            add(.name, token.start..<tokens[end].end)
            for part in index...end { masked[part] = true }
            index = end + 1
        }
    }

    /// Masks the name from token `first` to `end` and remembers its words (not its particles) for their other
    /// mentions.
    mutating func maskName(_ first: Int, _ end: Int, found: inout [UInt64]) {
        add(.name, tokens[first].start..<tokens[end].end)
        for part in first...end where !has(part, .particle) {
            masked[part] = true
            found.append(tokens[part].hash)
        }
    }

    /// Keeps the capitalised word at `index` and the capitalised words right after it, `words` at most, across a
    /// particle when asked ("Morro do Borel"): a brand or a place read from the word before it.
    mutating func protectCapitalisedRun(from index: Int, words: Int, acrossParticles: Bool) {
        var last = index
        protected[index] = true
        while last + 1 < tokens.count, last - index < words - 1, tokens[last + 1].gap.isSpaceOnly,
            tokens[last + 1].capital
                || (acrossParticles && has(last + 1, .particle) && last + 2 < tokens.count && tokens[last + 2].capital)
        {
            last += 1
            protected[last] = true
        }
    }

    /// "Bauti y Benja", "Efua and Adjoa", "a Ana e a Kemilly": a capitalised word joined by "and" to a name already
    /// found, before it or after it, is a name too when no list knows it as anything else (a word, a place, a cue)
    /// or the census knows it as a name only. Repeated, so a list of three ("Gi, a Nayara e a Bruna") is read whole.
    mutating func maskCoordinatedNames(found: inout [UInt64]) {
        // Most messages name nobody, or join nothing with "and": nothing to read then.
        guard !found.isEmpty,
            tokens.contains(where: { $0.isWord && Self.coordinators.contains($0.hash) })
                || bytes.contains(UInt8(ascii: "&"))
        else {
            return
        }
        // Whether only " & " stands before token `index` ("Chioma & Tobi"): the ampersand is no token of its own.
        func ampersand(before index: Int) -> Bool {
            guard index > 0, tokens[index].gap == [.space, .other] else { return false }
            let between = bytes[tokens[index - 1].end..<tokens[index].start].filter { $0 != UInt8(ascii: " ") }
            return between.elementsEqual([UInt8(ascii: "&")])
        }
        func candidate(_ index: Int) -> Bool {
            guard index >= 0, index < tokens.count, tokens[index].isWord, !masked[index], !protected[index],
                tokens[index].capital, !tokens[index].allCaps, length(index) >= 2,
                // "Valentine's Day and Oliver arrived": the feast's day is no one.
                !(index > 0 && tokens[index - 1].possessive && Self.dayWords.contains(tokens[index].hash))
            else { return false }
            let word = entry(index)
            let unknown = word.facts.isEmpty && word.placePopulation == 0
            // A name that is also a word ("Aurora ou Helena", "Rosa e Davi") is one beside a name: a name's
            // capital, not the word's, unless it stands at a sentence's start (see below).
            let nameOnly =
                word.facts.contains(.givenName)
                && (word.wordIn.intersection(languages).isEmpty || word.people >= Self.shoutedNameMinimumPeople)
                && word.facts.intersection([.notName, .month, .weekday, .placePrefix, .title, .relationCue]).isEmpty
                && word.placePopulation == 0
            return (unknown || nameOnly) && !Self.sacredNames.contains(tokens[index].hash)
        }
        // The word on the other side of a coordinator from `index` (skipping an article), if any.
        func joined(after index: Int) -> Int? {
            var next = index + 1
            if next < tokens.count, ampersand(before: next) { return next }
            guard next + 1 < tokens.count, Self.coordinators.contains(tokens[next].hash), tokens[next].gap.isSpaceOnly
            else { return nil }
            next += 1
            if Self.definiteArticles.contains(tokens[next].hash), next + 1 < tokens.count,
                tokens[next].gap.isSpaceOnly
            {
                next += 1
            }
            return tokens[next].gap.isSpaceOnly ? next : nil
        }
        var changed = true
        while changed {
            changed = false
            for index in tokens.indices where masked[index] && tokens[index].isWord {
                // "Kimoya, Efua and Adjoa", "Bisi, Tobi, Chioma & her twins": a list goes on past its commas when
                // it closes with "and".
                func closesWithAnd(from first: Int) -> Bool {
                    var item = first
                    while item < tokens.count, item - first < 6, candidate(item),
                        tokens[item].gap.subtracting([.space, .comma]) == [], tokens[item].gap.contains(.comma)
                    {
                        if joined(after: item) != nil { return true }
                        item += 1
                    }
                    return false
                }
                let listed = index + 2 < tokens.count && closesWithAnd(from: index + 1)
                if let other = listed ? index + 1 : joined(after: index), candidate(other) {
                    masked[other] = true
                    add(.name, tokens[other].start..<tokens[other].end)
                    found.append(tokens[other].hash)
                    changed = true
                }
            }
            for index in tokens.indices where candidate(index) {
                // At a sentence's start its capital says nothing: a person word after the pair must ("Thiaguinho e
                // Davi, meus sobrinhos,").
                if let other = joined(after: index), masked[other], tokens[other].isWord, tokens[other].capital,
                    !sentenceStart(index) || apposition(after: other)
                {
                    masked[index] = true
                    add(.name, tokens[index].start..<tokens[index].end)
                    found.append(tokens[index].hash)
                    changed = true
                }
            }
        }
    }

    /// Places of several words ("Vitória da Conquista"), and what follows a place's or a saint's prefix ("Vila Rosa",
    /// "Maternidade Santa Joana", "Nossa Senhora"), are never names; nor is a town that is also a name after "em".
    /// Whether the words from `first` to `last` stand where a place stands: after "em"/"en"/"in"/"from"/"no"/"na",
    /// after "sou de"/"soy de"/"vim de", or before a state ("Lorena-SP", "Moreno PE", "Brooklyn, NY",
    /// "Esperança, na Paraíba").
    func placeContext(_ first: Int, _ last: Int) -> Bool {
        // "Rua X 22, Petrolina.": a town of the gazetteer right after an address, past a comma or a dash.
        if first > 0, masked[first - 1], tokens[first].gap.intersection([.comma, .dash]) != [],
            entry(first).townPopulation > 0,
            spans.contains(where: { $0.kind == .address && $0.range.upperBound == tokens[first - 1].end })
        {
            return true
        }
        // "Cidade: Vitória/ES", "Bairro: Centro": a form's place field.
        if first > 0, tokens[first - 1].isWord, tokens[first].gap.contains(.colon),
            Self.placeFieldLabels.contains(tokens[first - 1].hash)
        {
            return true
        }
        if first > 0, tokens[first].gap.isSpaceOnly, tokens[first - 1].isWord {
            let before = tokens[first - 1].hash
            if has(first - 1, .placePreposition) || Self.placeArticles.contains(before) { return true }
            // Spanish "cruzo a Santana do Livramento", "se fue a Chile"; in Portuguese "a" is her article.
            if before == Self.aWord && languages == [.portuguese, .spanish] { return true }
            if before == Self.deWord, first > 1, Self.originVerbs.contains(tokens[first - 2].hash) { return true }
        }
        let next = last + 1
        guard next < tokens.count, tokens[next].isWord else { return false }
        let gap = tokens[next].gap
        // "ANA CLAUDIA DE OLIVEIRA": in capitals "DE" before a surname is her name's particle, not Delaware.
        if tokens[next].allCaps && length(next) == 2 && Self.stateCodes.contains(tokens[next].hash)
            && gap.subtracting([.hyphen, .space, .dash, .comma, .slash]) == []
            && !(has(next, .particle) && gap.isSpaceOnly && next + 1 < tokens.count
                && tokens[next + 1].gap.isSpaceOnly && (has(next + 1, .surname) || has(next + 1, .givenName)))
        {
            return true  // "-SP", " PE", ", NY", "/ES"
        }
        if gap.subtracting([.space, .comma]) == [], gap.contains(.comma) {
            var place = next
            if Self.placeArticles.contains(tokens[place].hash), place + 1 < tokens.count { place += 1 }
            return tokens[place].capital && (has(place, .country) || has(place, .place))
        }
        return false
    }

    /// What a baby's or a mother's shopping is called before its brand, in the three languages.
    static let productNouns = WordSet(
        hashes: [
            "carrinho", "bebeconforto", "mamadeira", "mamadeiras", "chupeta", "fralda", "fraldas", "pomada", "creme",
            "sabonete", "shampoo", "lenco", "lencos", "xarope", "remedio", "comprimido", "suplemento", "vitamina",
            "formula", "bomba", "bombinha", "sling", "berco", "cadeirinha", "mordedor", "termometro", "coletor",
            "absorvente", "cinta", "sutia", "leite", "panal", "panales", "biberon", "chupon", "crema",
            "jarabe", "pastilla", "pastillas", "leche", "carriola", "cochecito", "stroller", "pram", "diapers",
            "nappies", "wipes", "cream", "ointment", "bottle", "bottles", "pump", "syrup", "tablets",
            "pacifier",
            "dummy", "carseat", "bassinet", "crib", "cot", "teether", "monitor",
            // Her food and her shops: "arroz Tio João", "biscoito Maria", "bolinho Ana Maria", "loja Marisa".
            "arroz", "feijao", "biscoito", "biscoitos", "bolacha", "bolachas", "bolinho", "farinha", "mingau",
            "papinha",
            "iogurte", "cereal", "loja", "galletas", "galleta", "harina", "conchas", "tienda", "lotion", "shop",
        ].map { WordFolding.hash($0) })
    static let fromParticles = WordSet(hashes: ["de", "do", "da"].map { WordFolding.hash($0) })
    /// "aqui", "lá", "aquí", "acá", "here", "there": before "na"/"no"/"en"/"in" and a place.
    static let hereWords = WordSet(
        hashes: ["aqui", "la", "daqui", "ali", "aca", "alla", "here", "there", "ahi"].map { WordFolding.hash($0) })
    /// Honorifics of pt and es after which a lower-case common given name is a person's ("dona rosa").
    static let lowerCaseHonorifics = WordSet(
        hashes: [
            "dona", "doutora", "doutor", "doctora", "dra", "enfermeira", "enfermera", "senhora", "sra", "profa",
            "professora", "maestra",
        ].map { WordFolding.hash($0) })
    /// Spanish titles before a first name: "doña" (folded "dona"), "señora", "doctora".
    static let spanishHonorifics = WordSet(
        hashes: ["dona", "senora", "sra", "doctora", "dra", "enfermera", "maestra", "profe"].map {
            WordFolding.hash($0)
        })
    /// Adjectives that follow a noun in Portuguese and Spanish and that the census also lists as names: "mi bebé
    /// hermosa", "minha filha linda", "mi hijo mayor".
    static let adjectivesAfterNouns = WordSet(
        hashes: [
            "linda", "lindo", "bela", "belo", "bella", "bello", "bonita", "bonito", "hermosa", "hermoso", "preciosa",
            "precioso", "querida", "querido", "amada", "amado", "santa", "santo", "nova", "novo", "nueva", "nuevo",
            "mayor", "menor", "chiquita", "chiquito", "pequena", "pequeno", "grande", "gorda", "gordo", "flaca",
            "dulce", "bendita", "bendito", "divina", "divino", "perfecta", "perfeita",
        ].map { WordFolding.hash($0) })
    /// What follows a person's name in Spanish: a pronoun, an adverb or one of the commonest verbs ("la bebé rocío
    /// ella tiene…", "mi mamá dolores dice…", "la comadre rocío me dijo…"). The census lists some of them as
    /// names too, so they are never the name themselves.
    static let afterSpanishName = WordSet(
        hashes: [
            "ella", "el", "me", "le", "les", "se", "nos", "te", "lo", "la", "ya", "no", "nunca", "siempre", "tambien",
            "todavia", "aun", "y", "que", "esta", "estaba", "estuvo", "tiene", "tenia", "tuvo", "dice", "dijo", "decia",
            "quiere", "queria", "puede", "podia", "va", "iba", "fue", "es", "era", "hace", "hizo", "anda", "vino",
            "viene", "nacio", "cumple", "cumplio", "llora", "lloro", "duerme", "durmio", "come", "comio", "toma",
            "tomo", "sigue", "siguio", "trabaja", "vive", "llego", "llega", "sale", "salio", "paso", "pasa", "ha",
            "habia", "de", "del", "con", "en", "por", "para",
        ].map { WordFolding.hash($0) })
    /// Birth order between a person word and her name: "mi hijo mayor santiago", "minha filha caçula ana".
    static let birthOrderWords = WordSet(
        hashes: ["mayor", "menor", "cacula", "pequeno", "pequena", "chiquito", "chiquita"].map {
            WordFolding.hash($0)
        })
    /// "nossa senhora aparecida": the possessive before a saint's title.
    static let ourWords = WordSet(hashes: ["nossa", "nuestra", "nosso", "nuestro"].map { WordFolding.hash($0) })
    /// Honorifics that stand before a first name or a nickname, never before a person word: "Dona", "Seu", "Doña".
    static let firstNameHonorifics = WordSet(hashes: ["dona", "seu", "dom", "don", "dna"].map { WordFolding.hash($0) })
    /// A form's fields whose value is a place, in the three languages.
    static let placeFieldLabels = WordSet(
        hashes: [
            "cidade", "municipio", "naturalidade", "localidade", "bairro", "estado", "city", "town", "county",
            "state", "country", "neighborhood", "ciudad", "localidad", "barrio", "provincia", "pais", "colonia",
        ].map { WordFolding.hash($0) })
    static let placeArticles = WordSet(
        hashes: ["en", "no", "na", "nos", "nas", "desde", "from", "in"].map {
            WordFolding.hash($0)
        })
    static let originVerbs = WordSet(
        hashes: [
            "sou", "soy", "somos", "vim", "venho", "vengo", "vine", "natural", "viemos", "vinimos", "moro", "vivo",
            "es",
            "era", "eres", "son",
            // "nós aqui de Antônio Prado", "daqui de Garibaldi": here, where she lives.
            "aqui", "daqui", "aca",
        ].map {
            WordFolding.hash($0)
        })
    static let deWord = WordFolding.hash("de")
    /// Brazil's 27 state codes and the US states' (where en speakers write "Brooklyn, NY"); "RG" and "CPF" are none.
    static let stateCodes = WordSet(
        hashes: [
            "ac", "al", "ap", "am", "ba", "ce", "df", "es", "go", "ma", "mt", "ms", "mg", "pa", "pb", "pr", "pe", "pi",
            "rj", "rn", "rs", "ro", "rr", "sc", "sp", "se", "to",
        ].map { WordFolding.hash($0) }
    ).union(usStates)
    /// The United States' two-letter codes (a place before them, a ZIP code after them).
    static let usStates = WordSet(
        hashes: [
            "ak", "al", "ar", "az", "ca", "co", "ct", "dc", "de", "fl", "ga", "hi", "ia", "id", "il", "in", "ks", "ky",
            "la", "ma", "md", "me", "mi", "mn", "mo", "ms", "mt", "nc", "nd", "ne", "nh", "nj", "nm", "nv", "ny", "oh",
            "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "va", "vt", "wa", "wi", "wv", "wy",
        ].map { WordFolding.hash($0) })
    static let aWord = WordFolding.hash("a")

    /// Whether token `index` is a GeoNames place of one word.
    /// Whether token `index` is a town of 20,000 people or more right after "de" and no surname: "Ingrid Schmitt de
    /// Pomerode", "soy Florencia, de Rosario" say where she is from ("Maria de Lourdes", "Ana de Souza" go on).
    func townAfterDe(_ index: Int) -> Bool {
        guard index > 0, tokens[index - 1].hash == Self.deWord, tokens[index].capital, !tokens[index].allCaps,
            !has(index, .surname)
        else { return false }
        // A single-word given name that is also a town ("de Fátima") stays a name unless the town is large.
        let population = entry(index).townPopulation
        return has(index, .givenName) ? population >= 500_000 : population >= 20_000
    }

    /// Whether a town that is no given name or surname starts at `index`, right after "do"/"da"/"de": a town of
    /// 20,000 people in one word, or a gazetteer place of several words ("de Sena Madureira").
    func townAfterParticle(_ index: Int) -> Bool {
        guard tokens[index].capital, !tokens[index].allCaps else { return false }
        if !has(index, .givenName) && !has(index, .surname) && entry(index).townPopulation >= 20_000 { return true }
        return lexicon.placeNames[tokens[index].hash]?.contains { place in
            place.parts.count >= 2 && matches(place.parts, startingAt: index)
        } ?? false
    }

    /// "dei banho na Helena", "a mãe da Helena": Portuguese puts no article before a town abroad ("em Helena", "de
    /// Paris"), so after "na"/"da" a common given name that is no Brazilian town or district is a person. ("pra"
    /// stands for "para" as well as "para a": "vou pra Paris".)
    func personAfterArticle(_ index: Int) -> Bool {
        let word = entry(index)
        return languages.contains(.portuguese) && index > 0 && tokens[index].gap.isSpaceOnly
            && Self.articleContractions.contains(tokens[index - 1].hash) && has(index, .givenName)
            && word.people >= 20_000 && word.brazilianTownPopulation == 0 && word.districtPopulation == 0
            && !has(index, .country) && !has(index, .place)
            // "parto no Sofia Feldman": a capitalised run after it names an institution.
            && (index + 1 >= tokens.count || !tokens[index + 1].isWord || !tokens[index + 1].capital)
    }

    /// The last token of a hospital called after its patron whose given name is at `index`: a given name and a
    /// surname said whole after "no"/"pro" ("ganhei no Januário Cicco", "indo pro Climério de Oliveira"), after
    /// Spanish "en el"/"al" ("en el Gregorio Marañón"), or after "do"/"da" that follows a clinician or a ward ("o
    /// médico do César Cals", "a enfermeira Lúcia do Cândida Vargas", "na UTI da Evangelina Rosa"). A person after
    /// these words goes by a given name alone ("dei banho no Pedro") or by two ("pro Davi Lucca", "no Pedro
    /// Henrique"), not by a given name and a surname.
    func patronInstitution(at index: Int) -> Int? {
        guard index >= 1, tokens[index].gap.isSpaceOnly, has(index, .givenName), !tokens[index].allCaps,
            !masked[index]
        else { return nil }
        let capital = tokens[index].capital
        let before = tokens[index - 1].hash
        var cued = false
        if languages.contains(.portuguese), Self.patronArticles.contains(before) {
            // "moro no Valentina Figueiredo": where she lives is her neighbourhood, named after its patron too.
            cued = capital && !(index >= 2 && has(index - 2, .livingVerb))
        } else if languages.contains(.spanish), capital,
            before == Self.alWord
                || (before == Self.elWord && index >= 2
                    && Self.spanishPlacePrepositions.contains(tokens[index - 2].hash))
        {
            cued = true
        } else if languages.contains(.portuguese), Self.patronOfArticles.contains(before) {
            // The clinician or the ward is one to three words before: "médico do", "enfermeira Lúcia do", "dra. Pérola do".
            var back = index - 2
            while back >= 0, back >= index - 4, !cued {
                cued = Self.clinicianWords.contains(tokens[back].hash) && !tokens[back + 1].gap.contains(.comma)
                back -= 1
            }
        }
        guard cued else { return nil }
        // The surname, past a particle ("Climério de Oliveira", "Victor Ferreira do Amaral").
        var surname = index + 1
        if surname + 1 < tokens.count, has(surname, .particle), tokens[surname].gap.isSpaceOnly { surname += 1 }
        guard surname < tokens.count, tokens[surname].isWord, tokens[surname].gap.isSpaceOnly,
            tokens[surname].capital == capital, !tokens[surname].allCaps, !has(surname, .title)
        else { return nil }
        // A surname, a rare given name, or a capitalised word no list knows ("Sofia Feldman"); in lower case, a
        // surname or a word no language knows ("médico do césar cals"; not "a pediatra do miguel falou").
        let word = entry(surname)
        let givenOnly = has(surname, .givenName) && !has(surname, .surname)
        guard !(givenOnly && word.people >= Self.patronSecondGivenNamePeople) else { return nil }
        guard capital || has(surname, .surname) || (word.wordIn.isEmpty && word.facts.isEmpty && word.people == 0)
        else { return nil }
        // More of its name: capitalised words, a particle between them ("Victor Ferreira do Amaral"); in lower case
        // only surnames ("césar cals" is the name's end).
        var last = surname
        while last + 1 < tokens.count, last - index < 4, tokens[last + 1].isWord, tokens[last + 1].gap.isSpaceOnly {
            let next = last + 1
            if capital, has(next, .particle), next + 1 < tokens.count, tokens[next + 1].capital,
                tokens[next + 1].gap.isSpaceOnly
            {
                last = next + 1
            } else if tokens[next].capital == capital, capital || has(next, .surname), !has(next, .particle) {
                last = next
            } else {
                break
            }
        }
        return last
    }

    static let maeWord = WordFolding.hash("mae")
    /// A word after "Mãe" carried by fewer people than this is no given name: a programme's ("Coruja", "Cearense").
    static let programmeWordMaximumPeople: UInt32 = 1_000
    /// A second given name this common makes two given names, a person ("pro Davi Lucca" is below it, "no Pedro
    /// Henrique" above).
    static let patronSecondGivenNamePeople = 1_000
    /// "no", "pro": where she goes or gave birth, before a hospital's name.
    static let patronArticles = WordSet(hashes: ["no", "pro"].map { WordFolding.hash($0) })
    /// "do", "da": whose clinician or ward it is.
    static let patronOfArticles = WordSet(hashes: ["do", "da"].map { WordFolding.hash($0) })
    static let elWord = WordFolding.hash("el")
    static let spanishPlacePrepositions = WordSet(hashes: ["en", "para", "hacia", "del"].map { WordFolding.hash($0) })
    /// Clinicians and wards that belong to a hospital ("o médico do …", "a UTI da …").
    static let clinicianWords = WordSet(
        hashes: [
            "medico", "medica", "enfermeira", "enfermeiro", "obstetra", "pediatra", "doutor", "doutora", "dr", "dra",
            "uti", "utin", "equipe", "plantonista", "residente", "recepcao", "triagem", "maternidade", "ala",
        ].map { WordFolding.hash($0) })

    /// Portuguese prepositions fused with the article "a"/"o": "na", "no", "da", "do".
    static let articleContractions = WordSet(
        hashes: ["na", "no", "da", "do", "nas", "nos", "das", "dos"].map { WordFolding.hash($0) })

    func gazetteerPlace(_ index: Int) -> Bool {
        tokens[index].isWord && (entry(index).placePopulation > 0 || entry(index).facts.contains(.place))
    }

    static let institutionSuffixes = WordSet(
        hashes: [
            "hospital", "clinic", "maternity", "church", "school", "university", "college", "institute", "foundation",
            "disease", "syndrome", "center", "centre", "medical", "children", "women", "health", "lab", "labs",
            "laboratory", "pharmacy", "drugstore", "store", "mall", "park", "cathedral", "chapel", "parish",
            "academy", "daycare", "nursery", "memorial", "hall", "heights", "hills", "gardens", "village", "springs",
            "beach",
        ].map { WordFolding.hash($0) })

    /// A name spelled out letter by letter ("J E S S I C A", "H E L O Í S A", "n a y e l i"): four single letters or
    /// more, one space apart, whose letters make a given name the census or the name lists know and no word of the
    /// message's language.
    mutating func findSpelledOutNames() {
        var index = 0
        while index < tokens.count {
            guard tokens[index].isWord, !masked[index], singleLetter(index) else {
                index += 1
                continue
            }
            var last = index
            // A name has at most 20 letters; the bound keeps a line of "a a a a …" linear.
            while last + 1 < tokens.count, last - index < 20, tokens[last + 1].isWord, !masked[last + 1],
                tokens[last + 1].gap == .space, singleLetter(last + 1)
            {
                last += 1
            }
            // Portuguese has one-letter words ("a", "e", "o", "é"): most runs are one or two long, and cost nothing.
            if last - index >= 3 {
                var hash = WordFolding.basis
                for part in index...last {
                    for byte in WordFolding.folded(Array(bytes[tokens[part].start..<tokens[part].end])) {
                        hash = WordFolding.mix(hash, byte)
                    }
                }
                let word = lexicon.entry(hash)
                // "S O C O R R O": a word spelled out to shout it is the word.
                if word.facts.contains(.givenName), !word.facts.contains(.notName),
                    word.wordIn.intersection(languages).isEmpty
                {
                    let range = tokens[index].start..<tokens[last].end
                    add(.name, range)
                    markTokens(range)
                    index = last + 1
                    continue
                }
            }
            // "aqui é a J E S S I C A": the run may start with words of the sentence; try from the next letter.
            index += 1
        }
    }

    /// Whether token `index` is one letter (an accented one is two bytes in UTF-8).
    func singleLetter(_ index: Int) -> Bool {
        let count = length(index)
        return count == 1 || (count == 2 && bytes[tokens[index].start] >= 0xC3 && bytes[tokens[index].start] <= 0xC5)
    }

    mutating func protectPlaces() {
        // "…, casa 4, Centro, Teresina/PI", "[address], Francisco Morato": the words right after an address, past a
        // comma or a dash, are its town.
        let addressEnds = Set(spans.filter { $0.kind == .address }.map(\.range.upperBound))
        if !addressEnds.isEmpty {
            for index in tokens.indices.dropFirst() where tokens[index].isWord && tokens[index].capital {
                guard addressEnds.contains(tokens[index - 1].end), masked[index - 1],
                    tokens[index].gap.contains(.comma) || tokens[index].gap.contains(.dash),
                    tokens[index].gap.subtracting([.comma, .dash, .space]) == []
                else { continue }
                var last = index
                while last + 1 < tokens.count, last - index < 3, tokens[last + 1].isWord,
                    tokens[last + 1].gap.isSpaceOnly, tokens[last + 1].capital || has(last + 1, .particle)
                {
                    last += 1
                }
                // Only a town that says so: its state right after it ("Teresina/PI", "Pomerode SC") or a city of half
                // a million. A district at the very end ("…, apto 12, Sacomã") may be the neighbourhood the address
                // rules left out, and stays masked as a name would mask it.
                let next = last + 1
                let stateFollows =
                    next < tokens.count && tokens[next].allCaps && length(next) == 2
                    && Self.stateCodes.contains(tokens[next].hash)
                // A city of half a million in several words too ("…, rua 4 casa 18, São Luís").
                let largeTown =
                    entry(index).placePopulation >= 500_000
                    || (lexicon.placeNames[tokens[index].hash]?.contains { place in
                        place.population >= 500_000 && place.parts.count <= last - index + 1
                            && place.parts.enumerated().allSatisfy { tokens[index + $0.offset].hash == $0.element }
                    } ?? false)
                guard stateFollows || largeTown else { continue }
                for part in index...last { protected[part] = true }
            }
        }
        for index in tokens.indices where tokens[index].isWord {
            // "Costa Rica", "El Salvador", "Puerto Rico": a country of several words is a place wherever it stands.
            if has(index, .countryOpening),
                let country = lexicon.placeNames[tokens[index].hash]?.first(where: {
                    $0.country && matches($0.parts, startingAt: index)
                })
            {
                for part in index..<(index + country.parts.count) { protected[part] = true }
            }
            // "lá em frederico westphalen", "moro em joão pessoa": in lower case, a town of several words right after
            // a place's preposition is the town, though its words are a given name and a surname.
            if !tokens[index].capital, index > 0, tokens[index].gap.isSpaceOnly, has(index - 1, .placePreposition),
                let town = lexicon.placeNames[tokens[index].hash]?.first(where: {
                    $0.town && $0.parts.count >= 2 && $0.population >= Self.lowerCaseTownMinimumPopulation
                        && matches($0.parts, startingAt: index)
                })
            {
                for part in index..<(index + town.parts.count) { protected[part] = true }
            }
            // "Mãe Coruja Pernambucana", "consulta da Mãe Cearense", "o kit da Mãe Paulistana": a state's or a city's
            // programme for mothers, "Mãe" and a word that is no given name ("a Mãe Maria" is a person).
            // (Not after a person word, "a parteira Mãe Toinha", nor a name's: "Lily Mae Thornton".)
            if tokens[index].hash == Self.maeWord, tokens[index].capital, !tokens[index].allCaps,
                !strongCue(before: index),
                index == 0 || !tokens[index - 1].capital || entry(index - 1).people < Self.programmeWordMaximumPeople,
                index + 1 < tokens.count, tokens[index + 1].gap.isSpaceOnly, tokens[index + 1].capital,
                !tokens[index + 1].allCaps, !masked[index + 1],
                entry(index + 1).people < Self.programmeWordMaximumPeople
            {
                var last = index + 1
                while last + 1 < tokens.count, last - index < 3, tokens[last + 1].gap.isSpaceOnly,
                    tokens[last + 1].capital, !tokens[last + 1].allCaps,
                    entry(last + 1).people < Self.programmeWordMaximumPeople
                {
                    last += 1
                }
                for part in index...last { protected[part] = true }
            }
            // "nasceu no Januário Cicco", "tô indo pro Climério de Oliveira", "o médico do César Cals", "en el
            // Gregorio Marañón": a hospital called after its patron.
            if let last = patronInstitution(at: index) {
                for part in index...last { protected[part] = true }
            }
            // "Mercy Hospital", "Chagas disease": an English name before its institution or its disease.
            // ("Noah's health": what a person has is no institution; "Children's Hospital" is one.)
            if tokens[index].capital, !tokens[index].possessive || entry(index).people == 0, index + 1 < tokens.count,
                tokens[index + 1].gap.isSpaceOnly,
                Self.institutionSuffixes.contains(tokens[index + 1].hash), !strongCue(before: index)
            {
                protected[index] = true
                // The whole name before it: "Albert Einstein hospital", "Mount Sinai Medical".
                var first = index
                while first > 0, index - first < 3, tokens[first - 1].isWord, tokens[first - 1].capital,
                    tokens[first].gap.isSpaceOnly, !strongCue(before: first - 1)
                {
                    first -= 1
                    protected[first] = true
                }
            }
            // A city of half a million people that few Brazilians carry as a first name is a place wherever it stands
            // ("drive to Dallas", "es de Rosario", "…, Bogotá", "Brasília é longe": 2.2 million people live there,
            // 1,381 carry its name); Salvador and Santiago are names too and need context.
            // A surname ("Fernanda Lima", "Sônia Albuquerque") is not: nor is a word right after a capitalised one.
            if tokens[index].capital, entry(index).placePopulation >= 500_000,
                entry(index).people < 1_000
                    || (entry(index).wordIn.isEmpty
                        && UInt64(entry(index).people) * Self.cityToNameRatio
                            <= UInt64(entry(index).brazilianTownPopulation)),
                !has(index, .surname), !strongCue(before: index),
                // "Asunción, la partera del pueblo, me revisó": a person word in apposition says she is one.
                !apposition(after: index),
                index == 0 || !(tokens[index - 1].isWord && tokens[index - 1].capital && tokens[index].gap.isSpaceOnly)
            {
                protected[index] = true
            }
            // "um kit da Johnson's", "comprei na Carter's": Portuguese and Spanish have no "'s"; in their messages a
            // word with it is a brand's or a shop's English name.
            if tokens[index].possessive, tokens[index].capital, !languages.contains(.english) {
                protected[index] = true
            }
            // "St. Luke's", "St Mary's": a saint's possessive is a hospital or a church.
            if tokens[index].possessive, index > 0, Self.saintAbbreviations.contains(tokens[index - 1].hash) {
                protected[index] = true
            }
            // A country or a state is a place whatever its context ("se fue a Chile", "en Roraima").
            // A country that is also a common given name is the person where a person's context says so ("Jordan and
            // I are so grateful", "Georgia is teething", "thanks Jordan").
            if tokens[index].capital && has(index, .country) && !strongCue(before: index)
                && !(has(index, .givenName) && entry(index).people >= Self.countryNameMinimumPeople
                    && (greeting(before: index)
                        || ((sentenceStart(index) || clauseStart(index))
                            && (personPredicate(after: index) || coordinatedPerson(after: index)))))
            {
                protected[index] = true
            }
            // "Mercedes, Soriano." and "Atlanta, Georgia,": the region after a place closes the phrase.
            if tokens[index].capital, index > 0, protected[index - 1], tokens[index].gap.contains(.comma),
                tokens[index].gap.subtracting([.comma, .space]) == [],
                index + 1 >= tokens.count || tokens[index + 1].gap.intersection([.period, .stop, .comma]) != [],
                !strongCue(before: index)
            {
                protected[index] = true
            }
            // "carrinho Galzerano", "pomada Bepantol", "leche Nido", "bomba Medela", "a stroller Graco": a capitalised
            // word right after a product's name is its brand ("o carrinho da Ana" has her article between them).
            if tokens[index].capital, index >= 1, tokens[index].gap.isSpaceOnly, tokens[index - 1].isWord,
                !tokens[index - 1].capital, Self.productNouns.contains(tokens[index - 1].hash),
                !strongCue(before: index)
            {
                protectCapitalisedRun(from: index, words: 3, acrossParticles: false)
            }
            // "aqui na Rocinha", "lá no Jacarezinho", "aquí en Petare": where she is, even a place no list knows.
            if tokens[index].capital, !tokens[index].allCaps, index >= 2, tokens[index].gap.isSpaceOnly,
                tokens[index - 1].gap.isSpaceOnly, Self.hereWords.contains(tokens[index - 2].hash),
                Self.placeArticles.contains(tokens[index - 1].hash), !has(index, .givenName) || gazetteerPlace(index)
            {
                protectCapitalisedRun(from: index, words: 4, acrossParticles: true)
            }
            // A GeoNames place of one word where a place stands ("moro no Brás", "Lorena-SP", "sou de Esperança").
            if tokens[index].capital && gazetteerPlace(index) && placeContext(index, index) && !strongCue(before: index)
                && !personAfterArticle(index)
            {
                protected[index] = true
            }
            // A GeoNames place of several words: anywhere when it does not start with a given name or ends with a
            // place ("Aparecida de Goiânia", "Belém do Pará"), else where a place stands ("zona rural de Teófilo
            // Otoni").
            if tokens[index].capital, let places = lexicon.placeNames[tokens[index].hash] {
                for place in places where matches(place.parts, startingAt: index) {
                    let last = index + place.parts.count - 1
                    let nameLike = has(index, .givenName)
                    let endsInPlace = has(last, .place) || entry(last).placePopulation >= 100_000
                    // "Francisco Morato não tem maternidade?", "Teófilo Otoni": a town of a hundred thousand named after
                    // a person is the town, unless a cue says a person ("Dr. João Pessoa").
                    // (A form's line in capitals is left to its cues: "NOMBRE: MARÍA DE LOS ÁNGELES".)
                    let largeTown =
                        place.population >= 100_000 && !tokens[index].allCaps && !strongCue(before: index)
                    // "Lavínia de Sena Madureira": a place of several words after a first name and "de" is where
                    // she is from.
                    let fromAfterName =
                        index >= 2 && Self.fromParticles.contains(tokens[index - 1].hash)
                        && tokens[index - 1].gap.isSpaceOnly && tokens[index].gap.isSpaceOnly
                        && tokens[index - 2].capital && has(index - 2, .givenName) && !tokens[index].allCaps
                    if !nameLike || endsInPlace || largeTown || fromAfterName || placeContext(index, last) {
                        for part in index...last { protected[part] = true }
                    }
                }
            }
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
            // "a secretaria Rose q me passou": in lower case before a given name, the secretary is a person
            // ("Secretaria de Saúde", "Secretaria Municipal" name the body).
            let secretaryNamed =
                tokens[index].hash == Self.secretariaWord && !tokens[index].capital && index + 1 < tokens.count
                && tokens[index + 1].isWord && tokens[index + 1].capital && tokens[index + 1].gap.isSpaceOnly
                && has(index + 1, .givenName)
            if !secretaryNamed, cue(in: lexicon.placePrefixes, endingAt: index) || namesAStreet(index) {
                var next = index + 1
                var any = false
                // "o hospital januario cicco": an institution written in lower case keeps its patron's names too.
                let lowerInstitution =
                    !tokens[index].capital && Self.institutionWords.contains(tokens[index].hash)
                // An abbreviation's period before the first name: "Av. Getúlio Vargas", "St. Mary's", "Jd. Ângela"
                // (not a single letter: "Kelly Cristina R. Alves" has an initial, not a street).
                let abbreviated = length(index) >= 2 && length(index) <= 3
                while next < tokens.count, tokens[next].isWord,
                    tokens[next].gap.isSpaceOnly
                        // "Policlínica Dr. Gilberto": a title with its period inside the institution's name.
                        || (any && has(next - 1, .title) && tokens[next].gap == [.period, .space])
                        || (abbreviated && next == index + 1 && tokens[next].gap == [.period, .space])
                {
                    if tokens[next].capital
                        || (lowerInstitution && next - index <= 3
                            && (has(next, .givenName) || has(next, .surname)))
                        // "o são luiz não deixa doula entrar": a saint's name, written in lower case.
                        // ("os gêmeos são pedro e ana": the verb, after its subject, not after an article).
                        || (next == index + 1 && Self.saintWords.contains(tokens[index].hash) && has(next, .givenName)
                            && (tokens[index].hash != Self.saoWord
                                || (index > 0 && Self.saintArticles.contains(tokens[index - 1].hash))))
                    {
                        protected[next] = true
                        any = true
                    } else if next == index + 1, Self.institutionAdjectives.contains(tokens[next].hash) {
                        // "hospital infantil Lucídio Portella", "maternidade estadual Dona X": its kind, then its name.
                        next += 1
                        continue
                    } else if !((has(next, .particle) || (any && Self.andWords.contains(tokens[next].hash)))
                        && next + 1 < tokens.count
                        && (tokens[next + 1].capital
                            // "Nuestra Señora de la Paz": "de" and the article before the title (not "y la Flor",
                            // nor "de la Dra. Paz").
                            || (tokens[next].hash == Self.deWord && Self.titleArticles.contains(tokens[next + 1].hash)
                                && next + 2 < tokens.count && tokens[next + 2].capital && !has(next + 2, .title)
                                && tokens[next + 1].gap.isSpaceOnly && tokens[next + 2].gap.isSpaceOnly)))
                    {
                        break  // "São Cosme e Damião" goes on across "e"; "Vila Rosa e" does not
                    }
                    next += 1
                }
                if any && tokens[index].capital { protected[index] = true }
            }
        }
    }

    /// What kind of institution it is, between its word and its name: "hospital infantil", "escola municipal".
    static let institutionAdjectives = WordSet(
        hashes: [
            "infantil", "municipal", "estadual", "federal", "regional", "geral", "general", "universitario",
            "universitaria", "materno", "publico", "publica", "estatal", "provincial", "distrital",
        ].map { WordFolding.hash($0) })

    /// Institutions named after a person, whose name stays in lower case too ("hospital januario cicco").
    static let institutionWords = WordSet(
        hashes: [
            "hospital", "maternidade", "maternidad", "clinica", "policlinica", "ubs", "upa", "usf", "esf", "escola",
            "creche", "colegio", "instituto", "fundacao", "fundacion",
        ].map { WordFolding.hash($0) })

    /// Whether token `index` is a street's, a settlement's or a building's type written before its name ("Rua
    /// Augusta", "calle Hidalgo", "Av. Francisco de Miranda", "Edificio Los Samanes"): what follows names the
    /// place, never a person she speaks of. Short forms count with their period ("R. Augusta"); "al" never does.
    func namesAStreet(_ index: Int) -> Bool {
        // "esquina con Hidalgo", "esquina com a Brasil": the corner's other street.
        if index > 0, index + 1 < tokens.count, Self.cornerLinks.contains(tokens[index].hash),
            Self.cornerWords.contains(tokens[index - 1].hash), tokens[index + 1].gap.isSpaceOnly
        {
            return true
        }
        guard tokens[index].isWord, index + 1 < tokens.count,
            has(index, .streetType) || has(index, .settlementType) || Self.buildingWords.contains(tokens[index].hash)
        else { return false }
        let gap = tokens[index + 1].gap
        if length(index) >= 3 && gap.isSpaceOnly { return true }
        return gap == [.period, .space] && tokens[index].hash != Self.alHash
    }

    static let alHash = WordFolding.hash("al")
    static let titleArticles = WordSet(hashes: ["la", "las", "los"].map { WordFolding.hash($0) })
    static let cornerWords = WordSet(hashes: ["esquina", "esq", "corner"].map { WordFolding.hash($0) })
    static let cornerLinks = WordSet(
        hashes: ["con", "com", "de", "da", "do", "of", "y", "e"].map { WordFolding.hash($0) })
    static let buildingWords = WordSet(
        hashes: ["edificio", "edf", "ed", "condominio", "cond", "predio", "residencial"].map { WordFolding.hash($0) })

    /// Whether "of/from the" and a workplace follow token `end`, then a verb of speech: "da recepção disse", "do
    /// posto falou", "from the front desk said", "de la farmacia me dijo".
    func workplaceThenVerb(after end: Int) -> Bool {
        var next = end + 1
        guard next + 1 < tokens.count, tokens[next].gap.isSpaceOnly,
            has(next, .particle) || Self.workplaceLinks.contains(tokens[next].hash)
        else { return false }
        // Only "from"/"at" link a person to a team of any name: "de" links everything ("Día de las Madres dice").
        let anyTeam = Self.workplaceLinks.contains(tokens[next].hash)
        next += 1
        if Self.definiteArticles.contains(tokens[next].hash),
            next + 1 < tokens.count, tokens[next + 1].gap.isSpaceOnly
        {
            next += 1
        }
        guard tokens[next].gap.isSpaceOnly, tokens[next].isWord else { return false }
        if Self.workplaces.contains(tokens[next].hash) && !anyTeam {
            // "do posto de saúde": one more word of the place's name.
            if next + 1 < tokens.count, tokens[next + 1].gap.isSpaceOnly, !has(next + 1, .personVerb),
                !has(next + 1, .predicateFiller), Self.workplaces.contains(tokens[next + 1].hash)
            {
                next += 1
            }
        } else {
            // "Dawn from the lactation team said": any team's name of up to four words, when what follows is what she
            // said, after a name ("Someone from the team said", "Nurse from the ward told me" name no one).
            guard anyTeam, !Self.nobodyInParticular.contains(tokens[end].hash) else { return false }
            var last = next
            while last - next < 3, last + 1 < tokens.count, tokens[last + 1].isWord, tokens[last + 1].gap.isSpaceOnly,
                !Self.speechVerbs.contains(tokens[last + 1].hash), !Self.speechObjects.contains(tokens[last + 1].hash),
                !Self.bringingVerbs.contains(tokens[last + 1].hash),
                !Self.possessionVerbs.contains(tokens[last + 1].hash),
                !has(last + 1, .personVerb), !has(last + 1, .predicateFiller)
            {
                last += 1
            }
            next = last
        }
        // What she said, not what came: "Bill from the hospital came today" is an invoice.
        var verb = next + 1
        if verb < tokens.count, Self.speechObjects.contains(tokens[verb].hash), tokens[verb].gap.isSpaceOnly {
            verb += 1
        }
        guard verb < tokens.count, tokens[verb].gap.isSpaceOnly else { return false }
        if Self.speechVerbs.contains(tokens[verb].hash) { return true }
        // "Holly from antenatal class had her baby", "Faith from the church group brought soup": what a person
        // brings, or a person's own, after "had"/"got" (an invoice brings nothing and has no "her").
        if Self.bringingVerbs.contains(tokens[verb].hash) { return true }
        return Self.possessionVerbs.contains(tokens[verb].hash) && verb + 1 < tokens.count
            && tokens[verb + 1].gap.isSpaceOnly && Self.personalPossessives.contains(tokens[verb + 1].hash)
    }

    /// What a person known by her team or group brings to her ("brought soup", "trouxe um bolo", "me trajo ropa").
    static let bringingVerbs = WordSet(
        hashes: ["brought", "brings", "trouxe", "trouxeram", "traz", "trajo", "trajeron", "trae"].map {
            WordFolding.hash($0)
        })

    /// Who speaks without a name: "Someone from the team said", "Nurse from the ward told me".
    static let nobodyInParticular = WordSet(
        hashes: [
            "someone", "somebody", "anyone", "anybody", "everyone", "everybody", "nobody", "nurse", "doctor", "midwife",
            "doula", "mom", "mum", "dad", "grandma", "alguem", "ninguem", "alguien", "nadie", "todos", "todas",
            "enfermeira", "enfermera", "medica", "medico", "doutora", "doctora", "parteira", "partera", "matrona",
            "mae", "mama", "pai", "papa", "vovo", "abuela", "gente", "pessoal", "staff", "team", "equipe", "equipo",
            "the", "a", "an", "my", "our", "her", "his", "their", "this", "that", "one",
        ].map { WordFolding.hash($0) })
    static let speechVerbs = WordSet(
        hashes: [
            "disse", "falou", "fala", "diz", "explicou", "pediu", "mandou", "avisou", "ligou", "orientou", "dijo",
            "dice", "explico", "pidio", "aviso", "llamo", "said", "says", "told", "asked", "explained", "called",
        ]
        .map { WordFolding.hash($0) })
    static let speechObjects = WordSet(
        hashes: ["me", "te", "nos", "le", "lhe", "que", "pra", "para", "us"].map { WordFolding.hash($0) })
    static let workplaceLinks = WordSet(hashes: ["from", "at"].map { WordFolding.hash($0) })
    static let workplaces = WordSet(
        hashes: [
            "recepcao", "posto", "ubs", "farmacia", "clinica", "hospital", "maternidade", "escola", "creche", "igreja",
            "upa", "cras", "caps", "laboratorio", "lab", "recepcion", "consultorio", "guarderia", "front", "desk",
            "office", "pharmacy", "clinic", "daycare", "church", "school", "wic", "reception", "unidade", "postinho",
        ]
        .map { WordFolding.hash($0) })

    /// A census name written in capitals in a message in capitals is read as a name from this many bearers: rarer
    /// entries are often words the word lists miss.
    static let shoutedNameMinimumPeople: UInt32 = 1_000
    /// A census name in lower case after her article and before a person's verb needs this many bearers: rarer
    /// entries are often clipped words ("la gine dijo", the gynaecologist).
    static let articleNameMinimumPeople: UInt32 = 300

    static let itHash = WordFolding.hash("it")
    static let itsHash = WordFolding.hash("its")
    /// Nationalities, origins and faiths, capitalised in English after "is" ("my husband is Polish"): a closed set
    /// of the language.
    static let demonyms = WordSet(
        hashes: [
            "american", "british", "english", "scottish", "irish", "welsh", "polish", "german", "french", "italian",
            "spanish", "portuguese", "brazilian", "mexican", "colombian", "venezuelan", "argentinian", "argentine",
            "chilean", "peruvian", "bolivian", "ecuadorian", "cuban", "dominican", "puerto", "haitian", "jamaican",
            "nigerian", "ghanaian", "kenyan", "somali", "ethiopian", "eritrean", "sudanese", "egyptian", "moroccan",
            "african", "indian", "pakistani", "bangladeshi", "chinese", "japanese", "korean", "vietnamese", "filipino",
            "filipina", "thai", "russian", "ukrainian", "romanian", "bulgarian", "turkish", "greek", "dutch",
            "swedish", "norwegian", "danish", "finnish", "canadian", "australian", "lebanese", "syrian", "iranian",
            "iraqi", "afghan", "latina", "latino", "hispanic", "asian", "european", "caribbean", "jewish", "muslim",
            "catholic", "christian", "hindu", "sikh", "buddhist", "mormon", "baptist", "evangelical", "lithuanian",
            "latvian", "czech", "slovak", "hungarian", "croatian", "serbian", "albanian", "nepali", "tamil",
        ].map { WordFolding.hash($0) })
    static let saintAbbreviations = WordSet(hashes: ["st", "saint", "sta", "sto"].map { WordFolding.hash($0) })

    static let andWords = WordSet(hashes: ["e", "y"].map { WordFolding.hash($0) })

    /// Whether a Portuguese or Spanish honorific stands right before the lower-case common given name at `index`
    /// ("a dona rosa", "a doutora aurora"), and not "nossa senhora". Kept out of `nameStart` so that its size does
    /// not change how the compiler lays out the hot path.
    @inline(never) func honorificBefore(_ index: Int) -> Bool {
        guard index > 0, tokens[index].gap.subtracting([.space, .period]) == [] else { return false }
        let word = entry(index)
        // "aqui é o seu joão", "o seu francisco da venda": "seu" is "Mr" too, but as often "your" ("atingiu seu
        // marco"): only before one of the commonest names that is no Portuguese word, or one of a million bearers.
        if tokens[index - 1].hash == Self.seuHash {
            return word.people >= Self.personWordNameMinimumPeople
                && (!word.wordIn.contains(.portuguese) || word.people >= 1_000_000)
                && word.facts.intersection([.notName, .month, .weekday, .place]).isEmpty
        }
        // "doña rosario la partera", "la señora soledad", "la doctora luz marina": in a Spanish message a Spanish
        // title before a given name of any frequency (Brazil's census counts few Hispanic names), even a town's.
        if languages.contains(.spanish), Self.spanishHonorifics.contains(tokens[index - 1].hash),
            word.facts.contains(.givenName), !Self.adjectivesAfterNouns.contains(tokens[index].hash),
            !Self.afterSpanishName.contains(tokens[index].hash),
            word.facts.intersection([.month, .weekday, .functionWord, .particle, .article, .country]).isEmpty,
            length(index) >= 3, !(index > 1 && Self.ourWords.contains(tokens[index - 2].hash))
        {
            return true
        }
        guard Self.lowerCaseHonorifics.contains(tokens[index - 1].hash) else { return false }
        return word.people >= PrivacyLexicon.lowerCaseMinimumPeople
            && word.facts.intersection([.notName, .month, .weekday, .place]).isEmpty && length(index) >= 3
            && !(index > 1 && Self.ourWords.contains(tokens[index - 2].hash))
    }

    /// A census name this common, right after a person word, is the person's in lower case even where a word list
    /// has it as a word too ("meu marido pedro", "mi esposo rodrigo", "minha filha vitoria", "my wife iris"); rarer
    /// ones are as often the word ("minha filha linda", my pretty daughter).
    static let personWordNameMinimumPeople: UInt32 = 40_000
    /// After her article, a name this common is the person whatever follows ("o lucas tem…").
    static let everydayNameMinimumPeople: UInt32 = 500_000
    /// After her introduction and her role ("soy la doula amparo"), a given name of 500 bearers.
    static let introducedNameMinimumPeople: UInt32 = 500
    static let seuHash = WordFolding.hash("seu")

    /// Whether the lower-case given name at `index` follows a person word directly ("minha sogra carmen", "el
    /// doctor rodrigo", "my mom linda"): one of the commonest names, or in an English message a name that is no
    /// English word (a Portuguese adjective there is still her name). Never a month, a weekday, a name that is
    /// never one alone, or a saint ("nossa senhora aparecida").
    @inline(never) func lowerCaseNameAfterPersonWord(_ index: Int) -> Bool {
        guard index > 0, tokens[index].gap.isSpaceOnly, length(index) >= 3 else { return false }
        // "marido da ana", "la mamá de la pilar": one article may stand between, after a relative (not a trade:
        // "a farmacêutica da drogaria").
        var cue = index - 1
        if has(cue, .article), cue > 0, tokens[cue].gap.isSpaceOnly, has(cue - 1, .relationCue), !has(cue - 1, .trade) {
            cue -= 1
        } else if Self.birthOrderWords.contains(tokens[cue].hash), cue > 0, tokens[cue].gap.isSpaceOnly,
            has(cue - 1, .relationCue), !has(cue - 1, .trade)
        {
            cue -= 1  // "mi hijo mayor santiago"
        }
        // Not after "seu", also "your": "atingiu seu marco" (a milestone).
        guard has(cue, .relationCue) || has(cue, .title), tokens[cue].hash != Self.seuHash else { return false }
        let word = entry(index)
        // "soy la doula amparo", "aqui é a doula graça": her own introduction, her role, then her name, even one that
        // is a word ("sou a enfermeira chefe" keeps its word: no name of it).
        if cue == index - 1, word.people >= Self.introducedNameMinimumPeople,
            word.facts.intersection([.month, .weekday, .functionWord, .particle, .article]).isEmpty,
            selfIntroduction(before: cue)
        {
            return true
        }
        guard word.facts.intersection([.notName, .month, .weekday]).isEmpty,
            !(cue > 0 && Self.ourWords.contains(tokens[cue - 1].hash))
        else { return false }
        // "mi marido armando la cuna": a name that is also a gerund, before an article, is the verb.
        if !word.wordIn.intersection(languages).isEmpty, index + 1 < tokens.count, has(index + 1, .article),
            gerund(index)
        {
            return false
        }
        // "mi bebé santiago", "la comadre rocío", "mi mamá dolores": in a Spanish message, Brazil's census counts
        // few of her names; any given name that is no adjective after a noun is hers.
        // The census lists many Spanish words too ("tiene", "dice"): the name must go on as a subject or an object
        // does, with a verb, a pronoun or the end of the phrase after it.
        if languages.contains(.spanish), word.facts.contains(.givenName),
            cue == index - 1 || Self.spanishArticles.contains(tokens[index - 1].hash),
            !has(cue, .hundredsWord),  // "15 mil dólares": Spanish "mil" is no mother-in-law
            !Self.adjectivesAfterNouns.contains(tokens[index].hash), !gerund(index),
            !Self.afterSpanishName.contains(tokens[index].hash),
            word.facts.intersection([.functionWord, .particle, .article, .country]).isEmpty,
            index + 1 >= tokens.count || tokens[index + 1].gap.intersection([.comma, .period, .stop]) != []
                || (tokens[index + 1].isWord && tokens[index + 1].gap.isSpaceOnly
                    && (Self.afterSpanishName.contains(tokens[index + 1].hash) || has(index + 1, .personVerb)))
        {
            return true
        }
        if word.people >= Self.personWordNameMinimumPeople { return true }
        return languages.contains(.english) && !languages.contains(.spanish)
            && word.people >= PrivacyLexicon.lowerCaseMinimumPeople && !word.wordIn.contains(.english)
    }

    /// "my name is", "meu nome é", "me chamo", "me llamo", "mi nombre es", "his name is": a name follows, whatever
    /// its word.
    static let nameIsCues: [[UInt64]] = [
        ["name", "is"], ["nome", "e"], ["nome", "eh"], ["me", "chamo"], ["me", "llamo"], ["nombre", "es"],
        ["name", "s"],
        ["i", "am", "called"], ["mwen", "rele"], ["non", "mwen", "se"], ["nome", "dele", "e"], ["nome", "dela", "e"],
    ].map { $0.map { WordFolding.hash($0) } }
    /// "this is", "it's" written "its": a name follows only when she signs with it ("this is abena calling", "its
    /// funmi from paulista"); "this is normal and…" stays.
    static let signingCues: [[UInt64]] = [["this", "is"], ["its"], ["it", "is"]].map { $0.map { WordFolding.hash($0) } }
    /// What signs a name after "this is": "calling", "speaking", "again", or "from" and a place ("this is normal here"
    /// stays).
    static let signingWords = WordSet(
        hashes: ["calling", "speaking", "again", "writing"].map { WordFolding.hash($0) })
    static let fromHash = WordFolding.hash("from")
    /// Verbs that name someone, after a person word within three words: "my daughter is called precious", "a minha
    /// bebê chama esperança", "mi hijo se llama ángel" (not "isso se chama ansiedade": no one is named).
    static let namingCues: [[UInt64]] = [
        ["is", "called"], ["is", "named"], ["was", "called"], ["was", "named"], ["se", "chama"], ["chama"],
        ["se", "llama"],
    ].map { $0.map { WordFolding.hash($0) } }
    static let chamaHash = WordFolding.hash("chama")
    /// The last words of `nameIsCues` and `namingCues`.
    static let nameCueEnds = WordSet(hashes: Set((nameIsCues + namingCues + signingCues).map { $0.last! }).sorted())
    static let nomeECue = ["nome", "e"].map { WordFolding.hash($0) }
    static let namePossessives = WordSet(hashes: ["meu", "seu", "o", "teu"].map { WordFolding.hash($0) })
    /// What goes on after a name she gives ("…kettia and i", "…yorleidys y tengo", "…kettia to gravida", "…patience
    /// i am from", "…precious she's four months"): never after an ordinary word there ("my name is very common",
    /// "meu nome é diferente do RG").
    static let afterOwnName = WordSet(
        hashes: [
            "and", "i", "im", "e", "eu", "to", "tou", "estou", "tenho", "sou", "moro", "y", "yo", "tengo", "estoy",
            "soy", "vivo", "gestante", "gravida", "embarazada", "pregnant", "aqui", "here", "aca", "she", "he",
            "ela", "ele", "ella", "tem", "tiene", "nasceu", "nacio", "com", "con", "with", "from",
        ].map { WordFolding.hash($0) })

    /// The last token of the name in lower case at `index` given right after "my name is" (or its Portuguese, Spanish
    /// and Haitian forms), or after a naming verb with a person word before it, closing the phrase or followed by how
    /// a sentence goes on after a name. Never a function word, an article, a number or a saint.
    @inline(never) func givenAsName(_ index: Int) -> Int? {
        // Asked of every lower-case word: the cue's last word first, one set lookup.
        guard index > 0, Self.nameCueEnds.contains(tokens[index - 1].hash), length(index) >= 3,
            tokens[index].gap.isSpaceOnly || tokens[index].gap == [.space, .colon],
            !has(index, .functionWord), !has(index, .article), !has(index, .particle), !has(index, .digitWord),
            !has(index, .tensWord), !Self.sacredNames.contains(tokens[index].hash)
        else { return nil }
        // "mi nombre es yorleidis pérez y tengo…": her surnames may follow it.
        let end = extend(index, lowerCase: true, cued: true)
        if Self.signingCues.contains(where: { matches($0, endingAt: index - 1) }) {
            let after = end + 1
            guard after < tokens.count, tokens[after].gap.isSpaceOnly else { return nil }
            if Self.signingWords.contains(tokens[after].hash) { return end }
            // "this is kwame the husband of abena": who she is to someone, in apposition.
            if Self.personArticles.contains(tokens[after].hash) || tokens[after].hash == Self.theWord,
                after + 2 < tokens.count, tokens[after + 1].gap.isSpaceOnly, has(after + 1, .relationCue),
                !has(after + 1, .trade), tokens[after + 2].gap.isSpaceOnly,
                Self.ofWords.contains(tokens[after + 2].hash)
            {
                return end
            }
            let place = after + 1
            return tokens[after].hash == Self.fromHash && place < tokens.count && tokens[place].gap.isSpaceOnly
                && (entry(place).placePopulation > 0 || tokens[place].capital) ? end : nil
        }
        guard goesOnAsAfterName(end + 1) else { return nil }
        if let cue = Self.nameIsCues.first(where: { matches($0, endingAt: index - 1) }) {
            // "nome e" is "nome é" only with its accent or after "meu"/"seu": "identificado com nome e data" is "and".
            guard cue == Self.nomeECue else { return ownSurnames(after: end, from: index) }
            let verb = index - 1
            return length(verb) > 1 || (verb >= 2 && Self.namePossessives.contains(tokens[verb - 2].hash))
                ? ownSurnames(after: end, from: index) : nil
        }
        guard let cue = Self.namingCues.first(where: { matches($0, endingAt: index - 1) }) else { return nil }
        // "chama" alone also draws: "ela chama atenção e…"; only a census name follows it as a name.
        if cue.count == 1 && cue[0] == Self.chamaHash && !has(index, .givenName) { return nil }
        // A person word (or her possessive "my son's") within three words before the naming verb.
        let verbStart = index - cue.count
        var word = verbStart - 1
        while word >= 0, verbStart - word <= 3, !tokens[word + 1].gap.contains(.stop) {
            if has(word, .relationCue) { return end }
            word -= 1
        }
        return nil
    }

    /// Whether token `after` goes on as a sentence does after a name: the message or its phrase ends, or "and",
    /// "eu", "tengo", "she"… follow.
    func goesOnAsAfterName(_ after: Int) -> Bool {
        after >= tokens.count || tokens[after].gap.intersection([.comma, .period, .stop, .dash]) != []
            || (tokens[after].gap.isSpaceOnly && Self.afterOwnName.contains(tokens[after].hash))
    }

    /// The last token of her full name from `start` to `end` after "my name is"/"meu nome é": in lower case she may
    /// add a surname no list holds, alone or after a particle ("meu nome é maria das chagas eu moro…", "meu nome é
    /// ana guajajara eu sou da aldeia…"), when the sentence then goes on as after a name. Otherwise `end`.
    func ownSurnames(after end: Int, from start: Int) -> Int {
        guard start > 0, Self.nameIsCues.contains(where: { matches($0, endingAt: start - 1) }) else { return end }
        var last = end + 1
        guard last < tokens.count, tokens[last].gap.isSpaceOnly, tokens[last].isWord, !tokens[last].capital else {
            return end
        }
        if has(last, .particle) {
            last += 1
            guard last < tokens.count, tokens[last].gap.isSpaceOnly, tokens[last].isWord, !tokens[last].capital else {
                return end
            }
        }
        let word = entry(last)
        guard length(last) >= 4,
            word.facts.intersection([.functionWord, .article, .particle, .digitWord, .tensWord])
                .isEmpty, word.placePopulation == 0, !Self.afterOwnName.contains(tokens[last].hash)
        else { return end }
        return goesOnAsAfterName(last + 1) ? last : end
    }

    /// Whether a verb only a person does follows token `index`, straight or after fillers ("is finally sleeping",
    /// "keeps crying"): the verb itself, not a weight, a care unit or a birth, which `personPredicate` also takes.
    func personVerbFollows(_ index: Int) -> Bool {
        var next = index + 1
        while next < tokens.count, next - index <= 3, tokens[next].isWord, tokens[next].gap.isSpaceOnly {
            if has(next, .personVerb) { return true }
            guard has(next, .predicateFiller) else { return false }
            next += 1
        }
        return false
    }

    /// Whether the lower-case word at `index` follows a person word (and maybe her article) and comes before a
    /// person's predicate, as a name does: in English a given name, even one that is a word ("my wife joy is"); in
    /// Portuguese and Spanish a given name with her article between
    /// ("a minha cachorra a mel não para") or one that is no word there. Adjectives follow nouns in those two
    /// languages ("minha filha linda está dormindo"), not in English.
    @inline(never) func relationNameBeforePredicate(_ index: Int) -> Bool {
        guard index > 0, !tokens[index].capital, tokens[index].gap.isSpaceOnly, length(index) >= 3,
            index + 1 < tokens.count, tokens[index + 1].isWord, tokens[index + 1].gap.isSpaceOnly,
            has(index + 1, .predicateFiller) || has(index + 1, .personVerb)
        else { return false }
        let word = entry(index)
        // A name never alone (joy, hope, will) or a month's (june) counts here: the person word and the predicate
        // say it is one ("my friend june is bleeding").
        guard
            word.facts.intersection([
                .weekday, .functionWord, .particle, .article, .digitWord, .tensWord, .relationCue, .title,
            ]).isEmpty, word.facts.contains(.givenName), !Self.sacredNames.contains(tokens[index].hash)
        else { return false }
        var cue = index - 1
        // Her article, not "da"/"do" ("a parteira da aldeia disse": the village's midwife).
        let articled = Self.personArticles.contains(tokens[cue].hash) && cue > 0 && tokens[cue].gap.isSpaceOnly
        if articled { cue -= 1 }
        guard has(cue, .relationCue), !has(cue, .trade) else { return false }
        let given = word.facts.contains(.givenName)
        // (A word no list knows may be any English word: the lexicon lists names, not the language.)
        if languages.contains(.english) && !languages.contains(.spanish) { return !articled && given }
        return given && word.people >= Self.introducedNameMinimumPeople
            && (articled || word.wordIn.intersection(languages).isEmpty)
    }

    /// Whether the lower-case given name at `index`, one of the commonest though also a word, has her definite
    /// article before it and a person's verb after it ("a vitoria mamou", "o caio chorou", "o lucas vem"). Never a
    /// month, a weekday or a name that is never one alone.
    @inline(never) func commonNameBeforePersonVerb(_ index: Int) -> Bool {
        let word = entry(index)
        // The Spanish word list holds many first names in lower case ("valentina", "rodrigo"): a name it alone has as
        // a word needs the bearers of any lower-case name, not those of the commonest.
        let minimum =
            word.wordIn.intersection(languages).subtracting(.spanish).isEmpty
            ? PrivacyLexicon.lowerCaseMinimumPeople : Self.personWordNameMinimumPeople
        guard word.people >= minimum, length(index) >= 3, index > 0,
            Self.definiteArticles.contains(tokens[index - 1].hash), tokens[index].gap.isSpaceOnly,
            word.facts.intersection([.notName, .month, .weekday]).isEmpty
        else { return false }
        // "o lucas tem a pele rosa", "a ana falou": one of Brazil's commonest names (half a million bearers) after
        // her article is the person whatever follows.
        if word.people >= Self.everydayNameMinimumPeople, word.facts.intersection([.place, .country]).isEmpty,
            word.brazilianTownPopulation == 0
        {
            return true
        }
        // "o lucas tá vindo", "la sofía está durmiendo": being in the middle of doing, with a gerund; "o ravi tá com
        // ciúme", "la vale está con fiebre": being with a state only a person has.
        if index + 2 < tokens.count, Self.progressiveAuxiliaries.contains(tokens[index + 1].hash),
            tokens[index + 1].gap.isSpaceOnly, tokens[index + 2].gap.isSpaceOnly,
            gerund(index + 2) || Self.stateWithWords.contains(tokens[index + 2].hash)
        {
            return true
        }
        return personPredicate(after: index)
    }

    /// Whether the lower-case given name at `index`, one of the commonest, signs the message's opening with "aqui",
    /// "here" or "falando": first in it or after a greeting ("joana aqui", "oi rosa aqui"), or after "é o/a" ("é o
    /// pedro aqui marido da ana"). Never a month, a weekday, a place or a name that is never one alone.
    @inline(never) func lowerCaseNameSigned(_ index: Int) -> Bool {
        let word = entry(index)
        guard word.people >= Self.personWordNameMinimumPeople, length(index) >= 3,
            word.facts.intersection([.notName, .month, .weekday, .place]).isEmpty, word.placePopulation == 0,
            trailingCue(after: index)
        else { return false }
        if (0..<index).allSatisfy({ !tokens[$0].isWord }) || greeting(before: index) { return true }
        // "é o pedro aqui", "oi, é a joana aqui": "é" and her article before it, opening the message.
        guard index >= 2, has(index - 1, .article), tokens[index].gap.isSpaceOnly,
            Self.isWords.contains(tokens[index - 2].hash), tokens[index - 1].gap.isSpaceOnly
        else { return false }
        return index == 2 || (0..<(index - 2)).allSatisfy({ !tokens[$0].isWord }) || greeting(before: index - 2)
    }

    /// Whether the word at `index` ends as a Portuguese or Spanish gerund does ("armando", "orlando", "fazendo").
    func gerund(_ index: Int) -> Bool {
        let token = tokens[index]
        guard token.end - token.start >= 5 else { return false }
        let ending = (
            bytes[token.end - 4] | 0x20, bytes[token.end - 3] | 0x20, bytes[token.end - 2] | 0x20,
            bytes[token.end - 1] | 0x20
        )
        return ending.1 == UInt8(ascii: "n") && ending.2 == UInt8(ascii: "d") && ending.3 == UInt8(ascii: "o")
            && (ending.0 == UInt8(ascii: "a") || ending.0 == UInt8(ascii: "e") || ending.0 == UInt8(ascii: "i"))
    }

    /// Thanks in the three languages, as a message opens with them after a name.
    static let thanksWords = WordSet(
        hashes: ["thanks", "thank", "thx", "ty", "obrigada", "obrigado", "obg", "brigada", "valeu", "gracias"].map {
            WordFolding.hash($0)
        })

    /// "tá", "está", "tava", "estaba": before a gerund, someone in the middle of doing.
    static let stateWithWords = WordSet(hashes: ["com", "con"].map { WordFolding.hash($0) })
    static let progressiveAuxiliaries = WordSet(
        hashes: ["ta", "esta", "tava", "estava", "estaba", "anda", "andava"].map { WordFolding.hash($0) })

    /// "é", "eh", "e" (written without its accent): "é o pedro aqui".
    static let isWords = WordSet(hashes: ["e", "eh"].map { WordFolding.hash($0) })

    /// The verb "to be" in the first persons and the third: what follows says what she is.
    static let beingWords = WordSet(
        hashes: ["sou", "soy", "somos", "e", "eh", "es", "era", "sao", "son", "am", "is", "are"].map {
            WordFolding.hash($0)
        })

    /// Whether a cue that makes the next word a name stands right before token `index`: a self-introduction
    /// ("me chamo"), a person word ("minha sogra", "o bebê", "my friend") or a title ("Dr.", "dona").
    func strongCue(before index: Int) -> Bool {
        var previous = index - 1
        // "sou Xavante", "ela é Macuxi", "somos Warao": her people, not her name.
        if has(index, .people), previous >= 0, Self.beingWords.contains(tokens[previous].hash) { return false }
        // One article between them: "sou a Joana", "mãe da Iracema", "a doula, a Raquel".
        if previous >= 0, has(previous, .article), tokens[index].gap.isSpaceOnly, previous > 0 {
            if (has(previous - 1, .relationCue) && !has(previous - 1, .trade)) || has(previous - 1, .title) {
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
        guard previous >= 0, tokens[previous].isWord, !tokens[previous].possessive else { return false }
        let gap = tokens[index].gap
        if gap.contains(.stop) || gap.contains(.semicolon) || gap.contains(.dash) { return false }
        // A period ends a sentence, except after a title, a person word or a signature's abbreviation ("Att.
        // Yesenia Muñoz", "Ass. Francisca").
        // Only a title's abbreviation keeps its period ("Dra. Fabiana", "Enf. Rose"): after a whole word ("…para
        // mostrar ao médico. Mientras tanto", "with the baby. If it continues", "e o bebê. Não vá") the period
        // ends the sentence and the next word is no name.
        if gap.contains(.period)
            && !(has(previous, .title) && length(previous) <= 4
                || Self.signatureAbbreviations.contains(tokens[previous].hash))
        {
            return false
        }
        if has(previous, .relationCue) || has(previous, .title) { return true }
        return cue(in: lexicon.selfCues, endingAt: previous)
    }

    /// The last token of a speaker's name opening a line of a chat transcript, before its colon: "Tasha: anyone
    /// else's LO…", "[19:02] Yesenia: alguien sabe…", "Priya R.: it gets better". A form's labels ("Paciente:",
    /// "Endereço:") open lines the same way, so the word must be a first name that is no word of her language, come
    /// after a timestamp, or speak on two lines.
    func speakerLabel(at index: Int) -> Int? {
        var start = index
        var timestamp = false
        // "[19:02] Yesenia:": a time before the name.
        if index >= 2, !tokens[index - 1].isWord, !tokens[index - 2].isWord, tokens[index - 1].digits == 2,
            tokens[index - 2].digits <= 2, tokens[index - 1].gap.contains(.colon)
        {
            start = index - 2
            timestamp = true
        }
        guard start == 0 || tokens[start].gap.contains(.stop) else { return nil }
        var end = index
        if end + 1 < tokens.count, tokens[end + 1].isWord, tokens[end + 1].capital, tokens[end + 1].gap.isSpaceOnly,
            !tokens[end + 1].allCaps || length(end + 1) == 1
        {
            end += 1  // "Priya R.", "Ana Luiza"
        }
        guard end + 1 < tokens.count, tokens[end + 1].gap.contains(.colon), !tokens[end + 1].gap.contains(.stop)
        else { return nil }
        let word = entry(index)
        if word.facts.intersection([.notName, .month, .weekday, .placePrefix, .title, .relationCue, .recordCue])
            != []
        {
            return nil
        }
        if timestamp { return end }
        if word.facts.contains(.givenName) && word.wordIn.intersection(languages).isEmpty { return end }
        // A transcript: some speaker speaks on two lines. Then any first name or unknown word opening a line before
        // a colon speaks too ("Meg: yes omg" once, between Tasha's two lines).
        var labels: [UInt64] = []
        for line in tokens.indices where tokens[line].isWord && tokens[line].capital {
            if (line == 0 || tokens[line].gap.contains(.stop)) && line + 1 < tokens.count
                && (tokens[line + 1].gap.contains(.colon)
                    || (line + 2 < tokens.count && tokens[line + 2].gap.contains(.colon)
                        && !tokens[line + 1].gap.contains(.stop)))
            {
                labels.append(tokens[line].hash)
            }
        }
        let repeated = Set(labels).count < labels.count
        guard repeated else { return nil }
        return word.facts.contains(.givenName) || (word.facts.isEmpty && word.placePopulation == 0) ? end : nil
    }

    /// Signatures written short, with a period: "Att.", "Atte.", "Ass.".
    static let signatureAbbreviations = WordSet(hashes: ["att", "atte", "ass"].map { WordFolding.hash($0) })

    /// Whether her own introduction with her article stands right before token `index`: "sou a", "soy la", "aqui é
    /// a". Without the article the next word is as often what she is ("soy wayuu", "it's summer", "call me instead").
    func selfIntroduction(before index: Int) -> Bool {
        guard index > 1, tokens[index].gap.isSpaceOnly, has(index - 1, .article), tokens[index - 1].gap.isSpaceOnly,
            cue(in: lexicon.selfCues, endingAt: index - 2)
        else { return false }
        // "no soy la única", "não sou a primeira": denied, it says what she is not, never who.
        let cueWords =
            lexicon.selfCues[tokens[index - 2].hash]?.filter { matches($0, endingAt: index - 2) }.map(\.count).max()
            ?? 1
        let cueStart = index - 2 - cueWords + 1
        return !(cueStart > 0 && tokens[cueStart].gap.isSpaceOnly && Self.negations.contains(tokens[cueStart - 1].hash))
    }

    static let negations = WordSet(hashes: ["no", "nao", "not", "nunca", "never"].map { WordFolding.hash($0) })

    /// Whether a self-introduction ("meu nome é", "nome", "me chamo") stands right before token `index`.
    /// Whether one of the phrases that only ever introduce a name stands right before token `index`: "meu nome é",
    /// "mi nombre es", "me llamo" (not "sou", "soy": what she is follows them as often; not English, whose words
    /// the lexicon does not list: "his full name should be").
    func namingPhrase(before index: Int) -> Bool {
        guard index > 0, tokens[index].gap.isSpaceOnly else { return false }
        return Self.namingPhrases.contains { matches($0, endingAt: index - 1) }
    }

    /// Whether what follows token `index` shows her name ended there: the message's end, punctuation, "e"/"y", her
    /// possessive or a verb of hers ("mi nombre es yuliana mi número es…", "meu nome é yuleisy e tô…"); the word
    /// lists hold names, not the language, so "meu nome é diferente do RG" is told by what follows it.
    func clauseGoesOn(after index: Int) -> Bool {
        let next = index + 1
        guard next < tokens.count else { return true }
        if !tokens[next].gap.isSpaceOnly { return tokens[next].gap.intersection([.comma, .period, .stop]) != [] }
        return tokens[next].isWord && Self.wordsAfterOwnName.contains(tokens[next].hash)
    }

    static let wordsAfterOwnName = WordSet(
        hashes: [
            "e", "y", "mi", "meu", "minha", "mis", "meus", "tengo", "tenho", "to", "tou", "estou", "estoy", "sou",
            "soy", "moro", "vivo",
        ].map { WordFolding.hash($0) })

    static let namingPhrases: [[UInt64]] = [
        "meu nome e", "meu nome eh", "me chamo", "mi nombre es", "me llamo",
    ].map { $0.split(separator: " ").map { WordFolding.hash($0) } }

    func selfCue(before index: Int) -> Bool {
        guard index > 0, !tokens[index].gap.contains(.stop) else { return false }
        return cue(in: lexicon.selfCues, endingAt: index - 1)
    }

    /// Whether a person word follows token `end` after a comma: "Belén, mi hermana,", "Joana, minha filha".
    func apposition(after end: Int) -> Bool {
        var next = end + 1
        guard next < tokens.count, tokens[next].gap.subtracting([.space, .comma]) == [],
            tokens[next].gap.contains(.comma)
        else { return false }
        if (has(next, .article) || Self.possessiveDeterminers.contains(tokens[next].hash)) && next + 1 < tokens.count
            && tokens[next + 1].gap.isSpaceOnly
        {
            next += 1
        }
        // "Carmen, la de la recepción, me dio otra cita", "Rosa, a do posto": her article, "of", and where she works
        // (a place's or a thing's article is never followed by "de" and a workplace).
        if next > end + 1, Self.personArticles.contains(tokens[next - 1].hash), next + 1 < tokens.count,
            tokens[next].gap.isSpaceOnly, Self.placeOfWork(startingAt: next, in: self)
        {
            return true
        }
        // "Graça, a ACS, passou": after an article, a person word written as an acronym too.
        guard next < tokens.count, tokens[next].isWord,
            !tokens[next].capital || (tokens[next].allCaps && next > end + 1)
        else { return false }
        if has(next, .relationCue) { return true }
        // "Rose, the lactation consultant, said": one word before the person word.
        return next > end + 1 && next + 1 < tokens.count && tokens[next + 1].gap.isSpaceOnly
            && !tokens[next + 1].capital && has(next + 1, .relationCue)
    }

    /// Whether "de"/"da"/"do"/"del" (with its article) and a workplace start at token `index`: "de la recepción",
    /// "do posto", "del consultorio".
    static func placeOfWork(startingAt index: Int, in scan: Scan) -> Bool {
        let tokens = scan.tokens
        guard index + 1 < tokens.count, tokens[index].isWord,
            fromParticles.contains(tokens[index].hash) || tokens[index].hash == delWord
        else { return false }
        var place = index + 1
        if definiteArticles.contains(tokens[place].hash), place + 1 < tokens.count, tokens[place].gap.isSpaceOnly {
            place += 1
        }
        return tokens[place].isWord && tokens[place].gap.isSpaceOnly && !tokens[place].capital
            && workplaces.contains(tokens[place].hash)
    }

    static let delWord = WordFolding.hash("del")

    /// Whether "and" and one capitalised word follow token `end` and close the phrase or the message ("thanks Becca
    /// and Siobhan x", "Obrigada Rose e Dayse!").
    func thankedTogether(after end: Int) -> Bool {
        let other = end + 2
        guard other < tokens.count, Self.coordinators.contains(tokens[end + 1].hash), tokens[end + 1].gap.isSpaceOnly,
            tokens[other].gap.isSpaceOnly, tokens[other].capital, !tokens[other].allCaps
        else { return false }
        return closesMessage(other)
            || (other + 1 < tokens.count && tokens[other + 1].gap.intersection([.comma, .stop]) != [])
    }

    /// Whether the word at `index` signs the message after a kiss or a hug and "from"/"da"/"de" ("beijos da Tay",
    /// "love from Jess"), or after a comma and an article ("…por favor, la Yari").
    func signedAfter(_ index: Int) -> Bool {
        guard index >= 2, tokens[index].gap.isSpaceOnly, tokens[index - 1].isWord else { return false }
        let link = tokens[index - 1].hash
        if Self.signatureLinks.contains(link), tokens[index - 1].gap.isSpaceOnly, tokens[index - 2].isWord {
            return Self.kissWords.contains(tokens[index - 2].hash) || Self.hugWords.contains(tokens[index - 2].hash)
        }
        // "…text me on 07700 900123. x Bronwyn", "obrigada, bjs Rayane": a kiss that opens the last phrase, then
        // her name ("raio x Tórax" has no stop before its "x").
        if Self.kissWords.contains(link), tokens[index - 1].gap.intersection([.period, .stop, .comma]) != [] {
            return true
        }
        // ("…, La Molina": a place's article is written with its capital.)
        return Self.personArticles.contains(link) && !tokens[index - 1].capital
            && tokens[index - 1].gap.contains(.comma)
            && tokens[index - 1].gap.subtracting([.comma, .space]) == []
    }

    static let signatureLinks = WordSet(hashes: ["da", "de", "do", "from"].map { WordFolding.hash($0) })
    static let hugWords = WordSet(
        hashes: ["abraco", "abracos", "abrazo", "abrazos", "love", "hugs", "cheers", "carinho", "saludos", "besitos"]
            .map { WordFolding.hash($0) })
    /// Portuguese and Spanish articles before a person's name ("a Yari", "la Yari").
    static let personArticles = WordSet(hashes: ["o", "a", "el", "la"].map { WordFolding.hash($0) })

    /// Whether a greeting or a thanks stands right before token `index` ("Obrigada, Carol", "bjs, Luciana").
    func greeting(before index: Int) -> Bool {
        guard index > 0, !tokens[index].gap.contains(.stop) else { return false }
        return cue(in: lexicon.greetingCues, endingAt: index - 1)
    }

    /// Whether the name ending at token `end` is followed by "aqui", "falando", "here", "de novo".
    func trailingCue(after end: Int) -> Bool {
        var next = end + 1
        guard next < tokens.count, tokens[next].gap.subtracting([.space, .comma]) == [] else { return false }
        // "Morag from Aberdeen here", "Joana de Parintins aqui": where she is from may stand before the cue.
        if Self.fromWords.contains(tokens[next].hash), next + 1 < tokens.count, tokens[next + 1].capital,
            tokens[next + 1].gap.isSpaceOnly
        {
            var place = next + 1
            while place + 1 < tokens.count, place - next < 3, tokens[place + 1].capital,
                tokens[place + 1].gap.isSpaceOnly
            {
                place += 1
            }
            next = place + 1
            guard next < tokens.count, tokens[next].gap.subtracting([.space, .comma]) == [] else { return false }
            // Then "here" closes the phrase ("…from Cork here, can I", not "Gaviscon from Boots here is cheaper").
            let length = cueLength(in: lexicon.trailingCues, startingAt: next)
            guard length > 0 else { return false }
            let after = next + length
            return after >= tokens.count || !tokens[after].isWord
                || tokens[after].gap.intersection([.comma, .stop, .period]) != []
        }
        return cueLength(in: lexicon.trailingCues, startingAt: next) > 0
    }

    static let fromWords = WordSet(hashes: ["from", "de", "da", "do"].map { WordFolding.hash($0) })

    /// Whether nothing but punctuation or emoji follows token `end`: a signature or a vocative closes the message.
    /// Her phone or e-mail, already masked after it, closes it too ("Fiona MacLeod 087 123 4567"); a postcode does not
    /// ("…, Cardiff CF14 6HR" is the town).
    func closesMessage(_ end: Int) -> Bool {
        var next = end + 1
        while next < tokens.count {
            if masked[next], !tokens[next].gap.contains(.stop),
                spans.contains(where: {
                    ($0.kind == .phone || $0.kind == .email) && $0.range.contains(tokens[next].start)
                })
            {
                next += 1
                continue
            }
            // "Chidinma x", "Tati bjs": a kiss after the signature still closes the message.
            if tokens[next].isWord && Self.kissWords.contains(tokens[next].hash) {
                next += 1
                continue
            }
            if tokens[next].isWord || tokens[next].digits > 0 { return false }
            next += 1
        }
        return true
    }

    /// Whether a kiss follows the words ending at `end` and closes the message ("Chidinma x", "Kelly bjs").
    func kissFollows(_ end: Int) -> Bool {
        end + 1 < tokens.count && tokens[end + 1].isWord && Self.kissWords.contains(tokens[end + 1].hash)
            && closesMessage(end)
    }

    /// Kisses that close a message after her name.
    static let kissWords = WordSet(
        hashes: [
            "x", "xx", "xxx", "xo", "xoxo", "bjs", "bj", "bjo", "bjos", "bjss", "beijos", "beijo", "besos", "beso",
            "bss",
            "bsos", "kisses",
        ].map { WordFolding.hash($0) })

    /// Whether a person's verb follows the name ending at `end`: "Luz nació", "Grace was born", "Will says hi",
    /// "Hope is 3 months", "Pilar ya tiene 6 meses". The subject of these is a person, not the word.
    func personPredicate(after end: Int) -> Bool {
        let next = end + 1
        guard next < tokens.count, tokens[next].isWord, tokens[next].gap.isSpaceOnly else { return false }
        // The verb right after the name, or after one or two adverbs, auxiliaries or pronouns ("ya llegó", "is doing",
        // "no vino", "has been feeding", "ja tá mamando").
        var verbs = [next]
        while verbs.count < 3, let last = verbs.last, has(last, .predicateFiller), last + 1 < tokens.count,
            tokens[last + 1].isWord, tokens[last + 1].gap.isSpaceOnly
        {
            verbs.append(last + 1)
        }
        for verb in verbs {
            if has(verb, .personVerb) { return true }
            // "Hope was 2.9kg at the weigh in", "Davi pesou 3,2 kg": a weight in kilos or pounds is a baby's (a dose is
            // in grams or milligrams).
            if Self.weighingVerbs.contains(tokens[verb].hash), verb + 1 < tokens.count,
                !tokens[verb + 1].isWord, tokens[verb + 1].gap.isSpaceOnly
            {
                var unit = verb + 2
                while unit < tokens.count, !tokens[unit].isWord,
                    tokens[unit].gap == .period || tokens[unit].gap == .comma
                {
                    unit += 1  // "2.9", "3,2"
                }
                if unit < tokens.count, tokens[unit].isWord, tokens[unit].gap.isSpaceOnly || tokens[unit].gap == [],
                    Self.weightUnits.contains(tokens[unit].hash)
                {
                    return true
                }
            }
            // "Hope is in the NICU", "a Luz tá na UTI": after "is", only a person is in a care unit.
            if verb > next, Self.inWords.contains(tokens[verb].hash), verb + 1 < tokens.count,
                tokens[verb + 1].gap.isSpaceOnly
            {
                var unit = verb + 1
                if Self.definiteArticles.contains(tokens[unit].hash), unit + 1 < tokens.count,
                    tokens[unit + 1].gap.isSpaceOnly
                {
                    unit += 1
                }
                if Self.careUnits.contains(tokens[unit].hash) { return true }
            }
            // "Yessenia dio a luz", "a Nzinga deu à luz", "Ama gave birth": only a person gives birth.
            if Self.gaveWords.contains(tokens[verb].hash), verb + 2 < tokens.count, tokens[verb + 1].gap.isSpaceOnly,
                tokens[verb + 2].gap.isSpaceOnly,
                (Self.toWords.contains(tokens[verb + 1].hash) && tokens[verb + 2].hash == Self.luzWord)
                    || tokens[verb + 1].hash == Self.birthWord
            {
                return true
            }
            // "Iris had her 2 month jabs", "Summer got his first tooth"… a person's possessive after "had"/"has"/
            // "got" ("Tylenol has its…" has none).
            if Self.possessionVerbs.contains(tokens[verb].hash), verb + 1 < tokens.count,
                tokens[verb + 1].gap.isSpaceOnly, Self.personalPossessives.contains(tokens[verb + 1].hash)
            {
                return true
            }
            // "Dawn is my doula", "Wilson é o pai", "Chelo es mi cuñada": a copula and a person word.
            if verb + 2 < tokens.count, Self.nameCopulas.contains(tokens[verb].hash),
                Self.possessiveDeterminers.contains(tokens[verb + 1].hash)
                    || Self.definiteArticles.contains(tokens[verb + 1].hash),
                tokens[verb + 1].gap.isSpaceOnly, tokens[verb + 2].gap.isSpaceOnly, has(verb + 2, .relationCue),
                !tokens[verb + 2].capital
            {
                return true
            }
            // "Socorro é o nome da minha mãe", "Grace is the name we chose", "Luz es el nombre de mi hija".
            if verb + 2 < tokens.count, Self.nameCopulas.contains(tokens[verb].hash),
                Self.definiteArticles.contains(tokens[verb + 1].hash), Self.nameNouns.contains(tokens[verb + 2].hash),
                tokens[verb + 1].gap.isSpaceOnly, tokens[verb + 2].gap.isSpaceOnly
            {
                return true
            }
            guard verb + 1 < tokens.count, tokens[verb + 1].gap.isSpaceOnly else { continue }
            if verb == next && namedAs(after: end) { return true }
            if bornAfter(verb - 1) { return true }
            // "Hope is 3 months", "Glória tá com 4 meses", "Pilar tiene 6 meses".
            // Two links at most: "April is already 2 months old", "tá quase com 4 meses".
            var after = verb + 1
            while after - verb <= 2, Self.ageLinks.contains(tokens[after].hash), after + 1 < tokens.count,
                tokens[after + 1].gap.isSpaceOnly
            {
                after += 1
            }
            if has(verb, .ageVerb) && (tokens[after].digits > 0 || has(after, .digitWord) || has(after, .tensWord)) {
                return true
            }
            if Self.illnessVerbs.contains(tokens[verb].hash) {
                var complement = verb + 1
                while complement < tokens.count, complement - verb <= 3, tokens[complement].isWord,
                    tokens[complement].gap.isSpaceOnly
                {
                    if has(complement, .symptomWord) { return true }
                    // One qualifying word may stand before the illness: "has oral thrush", "tem otite média".
                    guard Self.illnessLinks.contains(tokens[complement].hash) else { break }
                    complement += 1
                }
            }
        }
        return false
    }

    /// Whether the name ending at `end` is joined to "I"/"eu"/"yo" ("Joy and I are", "a Luz e eu"), or to another
    /// capitalised word before a plural verb ("Joy and Faith are twins", "Hope e Faith são").
    func coordinatedPerson(after end: Int) -> Bool {
        // "Cherry & baby Ava", "Dervla and baby Finn": signed with her baby, a relation word and a name.
        func withBaby(_ other: Int) -> Bool {
            other + 1 < tokens.count && has(other, .relationCue) && !tokens[other].capital
                && tokens[other + 1].gap.isSpaceOnly && tokens[other + 1].capital && !tokens[other + 1].allCaps
        }
        if end + 1 < tokens.count, tokens[end + 1].isWord, tokens[end + 1].gap.contains(.other),
            bytes[tokens[end].end..<tokens[end + 1].start].contains(UInt8(ascii: "&")), withBaby(end + 1)
        {
            return true
        }
        let joiner = end + 1
        guard joiner + 1 < tokens.count, tokens[joiner].gap.isSpaceOnly,
            Self.coordinators.contains(tokens[joiner].hash),
            tokens[joiner + 1].gap.isSpaceOnly, tokens[joiner + 1].isWord
        else { return false }
        let other = joiner + 1
        if withBaby(other) { return true }
        // "Aarav and Anaya, our twins, were born", "Thiaguinho e Davi, meus sobrinhos,": two capitalised words, and
        // the person word in apposition after them.
        if tokens[other].capital, !tokens[other].allCaps, apposition(after: other) { return true }
        // "Summer and her brother", "Dália e a irmã": joined to a person word, it is a person too.
        if Self.possessiveDeterminers.contains(tokens[other].hash)
            || Self.definiteArticles.contains(tokens[other].hash),
            other + 1 < tokens.count, tokens[other + 1].gap.isSpaceOnly, has(other + 1, .relationCue),
            !tokens[other + 1].capital
        {
            return true
        }
        if Self.firstPersonPronouns.contains(tokens[other].hash)
            && (tokens[other].capital || tokens[other].hash != Self.iWord)
        {
            return true
        }
        guard tokens[other].capital, !tokens[other].allCaps, other + 1 < tokens.count else { return false }
        // "Destiny and Faith (my girls)": the bracket says who they are.
        if tokens[other + 1].gap.contains(.open) { return parentheticalRelation(after: other) }
        guard tokens[other + 1].gap.isSpaceOnly else { return false }
        // "Lerato and Sipho both have the flu", "Ana e Bia ainda estão": a word between them and the verb.
        var verb = other + 1
        if Self.pairAdverbs.contains(tokens[verb].hash), verb + 1 < tokens.count, tokens[verb + 1].gap.isSpaceOnly {
            verb += 1
        }
        // "Amara and Kwame want to visit": or a verb only people do.
        return Self.pluralCopulas.contains(tokens[verb].hash) || has(verb, .personVerb)
    }

    /// Words between a pair of names and their verb: "both", "ambos", "ainda", "ya", "already", "still".
    static let pairAdverbs = WordSet(
        hashes: ["both", "ambos", "ambas", "ainda", "ja", "ya", "already", "still", "todavia"].map {
            WordFolding.hash($0)
        })

    /// Whether a list of capitalised words joined by commas follows token `end` and ends as `coordinatedPerson`
    /// says a list of people does: "Siobhan, Niamh and Aoife are all due", "Ariana, Keila y yo somos".
    func listOfPeople(after end: Int) -> Bool {
        var last = end
        var items = 0
        while last + 2 < tokens.count, items < 4, tokens[last + 1].gap.contains(.comma),
            tokens[last + 1].gap.subtracting([.comma, .space]) == [], tokens[last + 1].isWord,
            tokens[last + 1].capital || masked[last + 1]
        {
            last += 1
            while last + 1 < tokens.count, masked[last + 1] { last += 1 }
            items += 1
        }
        return items > 0 && coordinatedPerson(after: last)
    }

    /// Whether a name already found stands just before "and"/"e"/"y" before token `index`: "Tomi and Blessing",
    /// "a Ana e a Clara".
    func coordinatedWithName(before index: Int) -> Bool {
        var joiner = index - 1
        if joiner >= 0, Self.definiteArticles.contains(tokens[joiner].hash), tokens[index].gap.isSpaceOnly {
            joiner -= 1
        }
        guard joiner >= 1, tokens[joiner + 1].gap.isSpaceOnly, Self.coordinators.contains(tokens[joiner].hash),
            tokens[joiner].gap.isSpaceOnly
        else { return false }
        return masked[joiner - 1] && tokens[joiner - 1].isWord
    }

    /// Whether the word at `index` (to `end`) is joined to the one who writes and does something with her: "me and
    /// Nate walked", "eu e a Keila fomos", "yo y Pili fuimos" ("me and Netflix all night" has no verb of theirs).
    func joinedToSpeaker(before index: Int, end: Int) -> Bool {
        var joiner = index - 1
        if joiner >= 0, Self.definiteArticles.contains(tokens[joiner].hash), tokens[index].gap.isSpaceOnly {
            joiner -= 1
        }
        guard joiner >= 1, tokens[joiner + 1].gap.isSpaceOnly, tokens[joiner].gap.isSpaceOnly,
            Self.coordinators.contains(tokens[joiner].hash), tokens[joiner - 1].isWord,
            Self.firstPersonPronouns.contains(tokens[joiner - 1].hash),
            // "I" only in capitals: a lower-case "i" is a letter as often.
            tokens[joiner - 1].hash != Self.iWord || tokens[joiner - 1].capital
        else { return false }
        // "bonswa, eu é Guerline": "I am", as Haitian and other learners write it, introduces her.
        if portugueseIs(joiner) && tokens[index].capital && index == joiner + 1 { return true }
        let verb = end + 1
        return verb < tokens.count && tokens[verb].isWord && tokens[verb].gap.isSpaceOnly
            && (has(verb, .personVerb) || Self.pluralCopulas.contains(tokens[verb].hash)
                || Self.weVerbs.contains(tokens[verb].hash))
    }

    /// What "she and I" did: "fomos", "fuimos", "went", "vamos", "ficamos".
    static let weVerbs = WordSet(
        hashes: [
            "fomos", "fuimos", "went", "vamos", "somos", "estamos", "estavamos", "estabamos", "ficamos", "quedamos",
            "saimos", "salimos", "chegamos", "llegamos", "walked", "got", "had", "did", "tivemos", "tuvimos",
        ].map { WordFolding.hash($0) })

    /// Whether a birth verb stands before token `index`, with or without an article: "ya nació la Barbarita",
    /// "nasceu o Davi", "welcome to the world".
    func birthVerb(before index: Int) -> Bool {
        var previous = index - 1
        guard previous >= 0, tokens[index].gap.isSpaceOnly else { return false }
        if Self.definiteArticles.contains(tokens[previous].hash), previous > 0, tokens[previous].gap.isSpaceOnly {
            previous -= 1
        }
        return Self.birthVerbs.contains(tokens[previous].hash)
    }

    static let birthVerbs = WordSet(
        hashes: ["nasceu", "nacio", "nascera", "chegou", "llego", "nasce", "nace"].map { WordFolding.hash($0) })

    /// Whether the message opens with the word at `index` and speaks to it next: "Rocío, ¿vienes mañana?",
    /// "Mercedes, ¿vos pudiste…", "Nneka did you get the Pampers?". With `englishQuestion`, only "did/can/… you".
    func vocativeOpening(_ index: Int, end: Int, englishQuestion: Bool) -> Bool {
        guard (0..<index).allSatisfy({ !tokens[$0].isWord && tokens[$0].digits == 0 }) else { return false }
        let next = end + 1
        guard next < tokens.count, tokens[next].isWord,
            tokens[next].gap.subtracting([.space, .comma, .other]) == []
        else { return false }
        if englishQuestion {
            return Self.englishAuxiliaries.contains(tokens[next].hash) && next + 1 < tokens.count
                && tokens[next + 1].gap.isSpaceOnly && tokens[next + 1].hash == Self.youWord
        }
        // A name that is also a word needs its comma: "Will you…" asks, "Will, did you…" calls.
        guard tokens[next].gap.contains(.comma) else { return false }
        // A word of endearment or of discourse calls no one by name ("Linda, vc é demais", "Flor, te mandei").
        guard !Self.vocativeWords.contains(tokens[index].hash) else { return false }
        if Self.secondPersonWords.contains(tokens[next].hash)
            || (Self.englishAuxiliaries.contains(tokens[next].hash) && next + 1 < tokens.count
                && tokens[next + 1].hash == Self.youWord)
        {
            return true
        }
        // "Graça, me liga", "Rocío, ¿me pasas el número?": a request to her, "me" and its verb.
        if tokens[next].hash == Self.meWord, next + 1 < tokens.count, tokens[next + 1].isWord,
            tokens[next + 1].gap.isSpaceOnly
        {
            return true
        }
        // "Sol, ¿ya te dieron…", "Glória, a rosa que vc mandou…": the sentence speaks to her.
        var word = next
        while word < tokens.count, word - next < 10 {
            if word > next && tokens[word].gap.contains(.stop) { break }
            if tokens[word].isWord
                && (Self.secondPersonMarkers.contains(tokens[word].hash) || spanishPreteriteOfYou(word))
            {
                return true
            }
            word += 1
        }
        return false
    }

    /// Whether token `index` is a Spanish verb in the past said to "tú": "dijiste", "llamaste", "pudiste" (every one
    /// ends in "-aste" or "-iste"; "triste", "existe" and a few nouns that end so are not).
    func spanishPreteriteOfYou(_ index: Int) -> Bool {
        guard languages.contains(.spanish), length(index) >= 6, !tokens[index].capital,
            !Self.notPreterites.contains(tokens[index].hash)
        else { return false }
        let end = tokens[index].end
        return bytes[end - 1] == UInt8(ascii: "e") && bytes[end - 2] == UInt8(ascii: "t")
            && bytes[end - 3] == UInt8(ascii: "s")
            && (bytes[end - 4] == UInt8(ascii: "a") || bytes[end - 4] == UInt8(ascii: "i"))
    }

    static let notPreterites = WordSet(
        hashes: [
            "triste", "existe", "insiste", "consiste", "resiste", "persiste", "asiste", "desiste", "subsiste",
            "contraste", "desgaste", "engaste",
        ].map { WordFolding.hash($0) })

    static let meWord = WordFolding.hash("me")
    /// Words that speak to the reader anywhere in a sentence.
    static let secondPersonMarkers = WordSet(
        hashes: [
            "vc", "voce", "vcs", "voces", "tu", "te", "ti", "contigo", "usted", "ustedes", "you", "your", "u", "ur",
            "teu", "tua",
        ].map { WordFolding.hash($0) })
    /// Endearments and discourse words that open a message with a comma the way a name does.
    static let vocativeWords = WordSet(
        hashes: [
            "linda", "lindas", "flor", "querida", "querido", "amor", "anjo", "princesa", "fofa", "nega", "gata", "mana",
            "miga", "amiga", "amigas", "honey", "dear", "love", "babe", "hun", "hon", "darling", "sweetie", "carino",
            "mija", "reina", "corazon", "nena", "guapa", "chula", "bom", "bem", "olha", "enfim", "gente", "pronto",
            "entao", "nossa", "claro", "mira", "oye", "bueno", "pues", "vale", "well", "so", "ok", "anyway", "sure",
            "yes", "right", "look", "listen", "mae", "mama", "mami", "mom", "girl", "menina", "meninas", "chicas",
            "doutora", "doctora", "enfermeira", "enfermera", "nurse", "dona", "senhora", "senora", "moca",
        ].map { WordFolding.hash($0) })

    /// The last token of a person's name asked about in English between an auxiliary and a verb only a person does:
    /// "did Siobhan call you back?", "can Eilidh come to the birth?", "has Callum gone back to work?", "how's Freya
    /// doing?". The question makes the capitalised word its subject, whatever the lists know of it; a word the
    /// lists keep from names (God, a month, a weekday, a place's word, a title) or a place stays.
    func questionSubject(at index: Int) -> Int? {
        guard languages.contains(.english), index > 0, index + 1 < tokens.count, tokens[index].isWord,
            tokens[index].capital, !tokens[index].allCaps, !masked[index], !protected[index], length(index) >= 3,
            tokens[index].gap.isSpaceOnly, tokens[index - 1].isWord, !tokens[index - 1].capital,
            Self.questionAuxiliaries.contains(tokens[index - 1].hash)
                || (tokens[index - 1].possessive && tokens[index - 1].hash == Self.howWord)
        else { return nil }
        guard mayNamePerson(index) else { return nil }
        let end = extend(index, lowerCase: false, cued: false)
        let verb = end + 1
        guard verb < tokens.count, tokens[verb].isWord, !tokens[verb].capital, tokens[verb].gap.isSpaceOnly,
            Self.personQuestionVerbs.contains(tokens[verb].hash)
        else { return nil }
        return end
    }

    /// The last token of a person's name asked about in Spanish or Portuguese with "puede"/"pode" and a verb of
    /// coming, going, bringing or staying, before it ("¿Jesús puede entrar conmigo?", "A Neves pode vir amanhã?") or
    /// after it ("¿Puede venir Chelo conmigo?"): only a person is asked to come in. A medicine's question ("¿Puede
    /// tomar Buscopan?") has another verb; a word the lists keep from names, or a place, stays.
    func modalQuestionSubject(at index: Int) -> Int? {
        guard languages.contains(.spanish) || languages.contains(.portuguese), tokens[index].isWord,
            tokens[index].capital, !tokens[index].allCaps, !masked[index], !protected[index], length(index) >= 3
        else { return nil }
        // Jesús is a man's name as often as Christ's: asked to come in, he is the husband.
        guard mayNamePerson(index, evenIfNotName: tokens[index].hash == Self.jesusHash) else { return nil }
        func comingAfterModal(_ modal: Int) -> Bool {
            modal + 1 < tokens.count && tokens[modal + 1].gap.isSpaceOnly
                && Self.thirdPersonModals.contains(tokens[modal].hash)
                && Self.comingVerbs.contains(tokens[modal + 1].hash)
        }
        let end = extend(index, lowerCase: false, cued: false)
        // Before the modal: the question's subject at its start (after "¿", her article, or nothing).
        let opens =
            sentenceStart(index) || tokens[index].gap.contains(.other)
            || (index > 0 && Self.definiteArticles.contains(tokens[index - 1].hash) && tokens[index].gap.isSpaceOnly
                && (sentenceStart(index - 1) || tokens[index - 1].gap.contains(.other)))
        if opens && end + 1 < tokens.count && tokens[end + 1].gap.isSpaceOnly && comingAfterModal(end + 1) {
            return end
        }
        // After the modal and its verb, with "conmigo", "comigo", a preposition or the question's end after it.
        if index >= 2, tokens[index].gap.isSpaceOnly, comingAfterModal(index - 2),
            end + 1 >= tokens.count || tokens[end + 1].gap.intersection([.stop, .comma]) != []
                || Self.companionWords.contains(tokens[end + 1].hash)
        {
            return end
        }
        return nil
    }

    /// The last token of a person's name that Spanish doubles with "le … a": "¿le dijiste a Nacho que ya estoy en el
    /// hospital?", "le conté a Pili". One speaks to people; a word the lists know as a word, a brand ("le pregunté a
    /// Google") or a place stays.
    func dativePerson(at index: Int) -> Int? {
        guard languages.contains(.spanish), index >= 3, tokens[index].isWord, tokens[index].capital,
            !tokens[index].allCaps, !masked[index], !protected[index], length(index) >= 3,
            tokens[index].gap.isSpaceOnly, tokens[index - 1].hash == Self.aWord,
            tokens[index - 1].gap.isSpaceOnly, tokens[index - 2].isWord, !tokens[index - 2].capital,
            tokens[index - 2].gap.isSpaceOnly, Self.dativeClitics.contains(tokens[index - 3].hash)
        else { return nil }
        guard mayNamePerson(index) else { return nil }
        return extend(index, lowerCase: false, cued: false)
    }

    /// Whether the word at `index` may name the person a question or a verb makes of it: nothing the lists keep from
    /// names (a not-name such as God or a brand, a month, a weekday, a place's word, a title) and no place, unless it
    /// is a given name too.
    func mayNamePerson(_ index: Int, evenIfNotName: Bool = false) -> Bool {
        let word = entry(index)
        let facts = evenIfNotName ? word.facts.subtracting(.notName) : word.facts
        return facts.intersection([.notName, .month, .weekday, .placePrefix, .title, .place]).isEmpty
            && (word.placePopulation == 0 || word.facts.contains(.givenName))
    }

    /// The last token of a family named by its surname in the plural: "os Nascimento vieram", "na casa dos
    /// Oliveira", "los Quispe", "the Patels next door". Portuguese and Spanish keep a family's surname in the singular
    /// after a plural article, which no common noun does ("os nascimentos"); English adds an "s" to the surname. A
    /// word the lists keep from names, or a place, stays; inside a name ("Maria das Neves") the name rules decide.
    func familyName(at index: Int) -> Int? {
        // The article first: most capitalised words follow none of these.
        guard index > 0,
            Self.pluralArticles.contains(tokens[index - 1].hash) || tokens[index - 1].hash == Self.theWord,
            tokens[index].isWord, !tokens[index].allCaps, !masked[index], !protected[index],
            length(index) >= 3, tokens[index].gap.isSpaceOnly, tokens[index - 1].isWord,
            !tokens[index - 1].capital
                || sentenceStart(index - 1), !tokens[index].possessive
        else { return nil }
        // After a capitalised word the article is a name's particle: "Maria das Neves", "João dos Santos".
        if index >= 2, tokens[index - 2].isWord, tokens[index - 2].capital, tokens[index - 1].gap.isSpaceOnly {
            return nil
        }
        let lastLetter = bytes[tokens[index].end - 1] | 0x20
        if (languages.contains(.portuguese) || languages.contains(.spanish))
            && Self.pluralArticles.contains(tokens[index - 1].hash)
        {
            guard lastLetter != UInt8(ascii: "s"), has(index, .surname) || has(index, .givenName), mayNamePerson(index),
                !Self.sacredNames.contains(tokens[index].hash)
            else { return nil }
            return index
        }
        if languages.contains(.english), tokens[index - 1].hash == Self.theWord, lastLetter == UInt8(ascii: "s"),
            length(index) >= 5
        {
            let word = entry(index)
            guard word.facts.isEmpty, word.wordIn.isEmpty, word.placePopulation == 0 else { return nil }
            let stem = lexicon.entry(WordFolding.hash(bytes: bytes[tokens[index].start..<(tokens[index].end - 1)]))
            guard stem.facts.contains(.surname), stem.wordIn.isEmpty, stem.placePopulation == 0,
                stem.facts.intersection([.notName, .month, .weekday, .placePrefix, .title, .place]).isEmpty
            else { return nil }
            return index
        }
        return nil
    }

    /// How many times more people a Brazilian city must hold than the census gives its name for the name alone to be
    /// the city (the census counts Brazilians: a foreign city's name is left to the rule of a thousand people).
    static let cityToNameRatio: UInt64 = 500

    /// Whether the given name from `index` to `end` stands alone on a line inside a message ("meu bebê nasceu 🥰
    /// Bernardo 12/05 às 04:17", a birth card, a form's answer): a line of its own that is a name of many people, no
    /// place, no cry to a saint, and not the message's only line.
    func aloneOnLine(_ index: Int, end: Int) -> Bool {
        guard index > 0, tokens[index].gap.contains(.newline),
            end + 1 >= tokens.count || tokens[end + 1].gap.contains(.newline)
        else { return false }
        let word = entry(index)
        return word.people >= PrivacyLexicon.lowerCaseMinimumPeople && word.placePopulation == 0
            && !Self.sacredNames.contains(tokens[index].hash) && !Self.endearments.contains(tokens[index].hash)
            && !Self.feasts.contains(tokens[index].hash)
    }

    /// Whether an object pronoun and a verb follow the name ending at `end`: "Consuelo me dio consuelo", "Pilar me
    /// acompañó al parto", "Rosa me deu um bolo". At a sentence's start, with no article, the one who does
    /// something to her is a person (a brand or a medicine the lists keep never gets here); a cry for help is none
    /// ("Socorro me ajuda").
    func actsOnHer(after end: Int) -> Bool {
        let pronoun = end + 1
        let verb = end + 2
        guard verb < tokens.count, languages.contains(.portuguese) || languages.contains(.spanish),
            tokens[pronoun].isWord, tokens[pronoun].gap.isSpaceOnly, Self.objectPronouns.contains(tokens[pronoun].hash),
            tokens[verb].isWord, tokens[verb].gap.isSpaceOnly, !tokens[verb].capital, length(verb) >= 2,
            !Self.cries.contains(tokens[end].hash), !Self.endearments.contains(tokens[end].hash),
            // "Consuelo me da saber que…", "Pena me da": what a feeling gives her is no person's act.
            !Self.givesWords.contains(tokens[verb].hash)
        else { return false }
        return true
    }

    /// A lower-case given name that is also a word is read as the name beside another name from this many bearers.
    static let commonNameMinimumPeople: UInt32 = 100_000

    static let givesWords = WordSet(hashes: ["da", "dan", "dava", "daba"].map { WordFolding.hash($0) })
    static let objectPronouns = WordSet(hashes: ["me", "te", "nos", "lhe"].map { WordFolding.hash($0) })
    static let cries = WordSet(hashes: ["socorro", "auxilio", "credo", "misericordia"].map { WordFolding.hash($0) })

    /// Masks two lower-case given names joined by "and" ("a joana e o beto brigaram", "mhairi and morag both had
    /// their babies"): either alone could be a clipped word, but two names no word list knows, side by side, are two
    /// people.
    mutating func maskLowerCasePairs(found: inout [UInt64]) {
        // A name no word list knows, or one so common that its word is the rarer reading ("joana"); one of the two
        // must be no word at all ("rosa e margarida" are flowers).
        func lowerCaseName(_ index: Int) -> (name: Bool, word: Bool) {
            guard index < tokens.count, tokens[index].isWord, !tokens[index].capital, !masked[index],
                !protected[index], length(index) >= 3
            else { return (false, false) }
            let word = entry(index)
            let name =
                word.facts.contains(.givenName) && word.people >= Self.shoutedNameMinimumPeople
                && (word.wordIn.isEmpty || word.people >= Self.commonNameMinimumPeople) && word.placePopulation == 0
                && word.facts.intersection([.notName, .month, .weekday, .placePrefix, .title, .relationCue, .surname])
                    .isEmpty
            return (name, !word.wordIn.isEmpty)
        }
        // Most messages join nothing with "and": one tight pass over the hashes says so.
        guard tokens.withUnsafeBufferPointer({ $0.contains { Self.coordinators.contains($0.hash) } }) else { return }
        var index = 0
        while index + 2 < tokens.count {
            defer { index += 1 }
            // The coordinator first: most words join nothing, and its test is one probe.
            guard Self.coordinators.contains(tokens[index + 1].hash), tokens[index + 1].gap.isSpaceOnly else {
                continue
            }
            let first = lowerCaseName(index)
            guard first.name else { continue }
            var other = index + 2
            if Self.definiteArticles.contains(tokens[other].hash), other + 1 < tokens.count,
                tokens[other].gap.isSpaceOnly
            {
                other += 1
            }
            let second = lowerCaseName(other)
            guard tokens[other].gap.isSpaceOnly, second.name, !(first.word && second.word) else { continue }
            for part in [index, other] {
                masked[part] = true
                add(.name, tokens[part].start..<tokens[part].end)
                found.append(tokens[part].hash)
            }
        }
    }

    /// Whether token `index` opens a clause inside a sentence: right after "and", "but", "because" ("…every day and
    /// Callum sleeps through it all", "porque Yonathan está trabajando"), where a verb of its own follows its subject.
    func clauseStart(_ index: Int) -> Bool {
        index > 0 && tokens[index].gap.isSpaceOnly && tokens[index - 1].isWord && !tokens[index - 1].capital
            && Self.clauseConjunctions.contains(tokens[index - 1].hash)
    }

    static let clauseConjunctions = WordSet(
        hashes: [
            "and", "but", "because", "cause", "e", "mas", "porque", "pq", "y", "pero", "so", "that", "que", "q", "if",
            "when", "quando", "cuando", "se", "si",
        ].map { WordFolding.hash($0) })
    static let inWords = WordSet(hashes: ["in", "na", "no", "en", "at"].map { WordFolding.hash($0) })
    /// Where only a patient is: "in the NICU", "na UTI", "en la incubadora".
    static let careUnits = WordSet(
        hashes: [
            "nicu", "scbu", "icu", "uti", "utin", "uci", "ucin", "incubadora", "incubator", "bercario", "neonatal",
        ].map { WordFolding.hash($0) })

    /// Whether a person's verb that takes no object stands right before token `index` in Spanish or Portuguese, its
    /// subject after it ("¿Llamó Xiomara?", "ya llegó Yonathan"; after "me mandó" a capitalised word is what was sent).
    func personVerbBefore(_ index: Int) -> Bool {
        guard index > 0, languages.contains(.spanish) || languages.contains(.portuguese), tokens[index].gap.isSpaceOnly,
            tokens[index - 1].isWord, Self.subjectAfterVerbs.contains(tokens[index - 1].hash), length(index) >= 3
        else { return false }
        // The verb opens the sentence or follows an adverb: "¿Llamó Xiomara?", "ya llegó Yonathan".
        return sentenceStart(index - 1)
            || (index >= 2 && tokens[index - 1].gap.isSpaceOnly && Self.timeAdverbs.contains(tokens[index - 2].hash))
    }

    /// Whether the word from `index` to `end` is the one asked or told to do something in English: "ask Declan to
    /// bring coffee", "tell Niamh that I'm fine", "remind Kofi to call"; what follows is "to", "that" or "if".
    func askedToDo(_ index: Int, end: Int) -> Bool {
        guard index > 0, end + 1 < tokens.count, languages.contains(.english), tokens[index].gap.isSpaceOnly,
            tokens[index - 1].isWord, !tokens[index - 1].capital || sentenceStart(index - 1),
            Self.askingVerbs.contains(tokens[index - 1].hash), tokens[end + 1].gap.isSpaceOnly,
            Self.askedLinks.contains(tokens[end + 1].hash)
        else { return false }
        return true
    }

    static let askingVerbs = WordSet(
        hashes: ["ask", "tell", "remind", "text", "message", "let", "get"].map { WordFolding.hash($0) })
    static let askedLinks = WordSet(hashes: ["to", "that", "if", "know"].map { WordFolding.hash($0) })

    /// Verbs of coming, arriving, being born, calling and crying: what follows them is who did it.
    static let subjectAfterVerbs = WordSet(
        hashes: [
            "chegou", "llego", "nasceu", "nacio", "ligou", "llamo", "vino", "veio", "chorou", "lloro", "acordou",
            "desperto", "dormiu", "durmio", "voltou", "volvio", "saiu", "salio",
        ].map { WordFolding.hash($0) })
    static let timeAdverbs = WordSet(
        hashes: [
            "ya", "ja", "ainda", "todavia", "finalmente", "enfim", "hoy", "hoje", "ontem", "ayer", "agora", "ahora",
        ]
        .map { WordFolding.hash($0) })

    /// Plural definite articles, alone or joined to a preposition, before a family's surname.
    static let pluralArticles = WordSet(
        hashes: ["os", "as", "dos", "das", "nos", "nas", "aos", "pelos", "los", "las"].map { WordFolding.hash($0) })
    static let theWord = WordFolding.hash("the")
    /// Whether the word at `index` signs with "here"/"aqui" and the like, and the cue is not "here is" describing a
    /// place ("Summer here is brutal" says where, not who).
    func signedHere(after index: Int) -> Bool {
        trailingCue(after: index)
            && !(index + 2 < tokens.count && tokens[index + 2].gap.isSpaceOnly
                && Self.hereIsWords.contains(tokens[index + 2].hash))
    }

    /// "here is", "aqui é", "aquí es": a place described, after a season or a word that is also a name.
    static let hereIsWords = WordSet(
        hashes: ["is", "was", "e", "eh", "ta", "esta", "es", "has", "gets"].map { WordFolding.hash($0) })
    static let ofWords = WordSet(hashes: ["of", "de", "da", "do", "del"].map { WordFolding.hash($0) })

    static let dativeClitics = WordSet(hashes: ["le", "les"].map { WordFolding.hash($0) })

    static let thirdPersonModals = WordSet(
        hashes: ["puede", "podria", "pode", "poderia", "pueden", "podem"].map { WordFolding.hash($0) })
    /// Coming, going, bringing, staying, visiting: what a person is asked to do.
    static let comingVerbs = WordSet(
        hashes: [
            "venir", "entrar", "ir", "traer", "llevar", "acompanar", "acompanarme", "quedarse", "quedar", "visitar",
            "pasar", "vir", "trazer", "levar", "acompanhar", "acompanharme", "ficar", "subir",
        ].map { WordFolding.hash($0) })
    /// "conmigo", "comigo", "a", "al", "hoy", "amanhã" after the person asked about.
    static let companionWords = WordSet(
        hashes: ["conmigo", "comigo", "a", "al", "hoy", "hoje", "amanha", "manana", "tambem", "tambien", "junto"].map {
            WordFolding.hash($0)
        })

    /// Auxiliaries that open an English question about someone ("did", "can", "has"; "how's" is "how" with its "'s").
    static let howWord = WordFolding.hash("how")
    static let questionAuxiliaries = WordSet(
        hashes: [
            "did", "does", "do", "can", "could", "will", "would", "should", "has", "have", "is", "was", "hows",
        ].map { WordFolding.hash($0) })
    /// Verbs whose subject in such a question is a person, never a medicine, a brand or an agency ("does Medicaid
    /// cover", "can Tylenol help", "is Medicaid going to" keep theirs).
    static let personQuestionVerbs = WordSet(
        hashes: [
            "come", "coming", "call", "calling", "called", "ring", "rung", "text", "texted", "visit", "visiting",
            "stay",
            "staying", "bring", "pick", "drive", "know", "want", "say", "said", "hold", "feed", "feeding", "sleep",
            "sleeping", "cry", "crying", "latch", "latching", "gone", "leave", "doing", "feeling", "settling", "sit",
            "crawl", "walk", "talk", "talking",
        ].map { WordFolding.hash($0) })

    static let englishAuxiliaries = WordSet(
        hashes: ["did", "can", "are", "do", "have", "could", "will", "would", "were"].map { WordFolding.hash($0) })
    static let youWord = WordFolding.hash("you")
    static let secondPersonWords = WordSet(
        hashes: [
            "vc", "voce", "tu", "vos", "usted", "vienes", "tienes", "puedes", "pudiste", "sabes", "viste", "viu", "vem",
            "pode", "sabe", "ta",
        ].map { WordFolding.hash($0) })

    static let coordinators = andWords.union(["and", "&"].map { WordFolding.hash($0) })
    static let firstPersonPronouns = WordSet(hashes: ["i", "eu", "yo", "me"].map { WordFolding.hash($0) })
    static let iWord = WordFolding.hash("i")
    static let pluralCopulas = WordSet(
        hashes: ["are", "were", "sao", "son", "estan", "estao", "have", "tem", "tienen", "nasceram", "nacieron"].map {
            WordFolding.hash($0)
        })

    /// Words of endearment that stand where a name stands ("Baby was born", "Honey is 3 months").
    static let endearments = WordSet(
        hashes: ["baby", "honey", "sweetie", "love", "dear", "babe", "bebe", "amor", "princess", "princesa", "angel"]
            .map {
                WordFolding.hash($0)
            })

    /// Names of God and Christ: "Jesus nasceu" tells of Christmas, not of her baby.
    static let jesusHash = WordFolding.hash("jesus")
    static let secretariaWord = WordFolding.hash("secretaria")
    static let weighingVerbs = WordSet(
        hashes: ["was", "is", "weighs", "weighed", "pesa", "pesou", "pesava", "pesaba", "peso", "nacio", "nasceu"].map {
            WordFolding.hash($0)
        })
    static let weightUnits = WordSet(
        hashes: ["kg", "kgs", "kilos", "quilos", "lb", "lbs", "pounds"].map {
            WordFolding.hash($0)
        })
    static let gaveWords = WordSet(hashes: ["dio", "deu", "gave", "dara", "dar"].map { WordFolding.hash($0) })
    static let toWords = WordSet(hashes: ["a", "as"].map { WordFolding.hash($0) })
    static let luzWord = WordFolding.hash("luz")
    static let birthWord = WordFolding.hash("birth")
    static let possessionVerbs = WordSet(hashes: ["had", "has", "got", "gets"].map { WordFolding.hash($0) })
    static let personalPossessives = WordSet(hashes: ["her", "his"].map { WordFolding.hash($0) })
    static let saoWord = WordFolding.hash("sao")
    /// What stands before a saint's name that is a place, never before the verb "são".
    /// A country's name is a person's in a person's context when this many people carry it (Jordan, Georgia).
    static let countryNameMinimumPeople: UInt32 = 1_000
    /// A town of several words written in lower case after "em" is the town from this many people up.
    static let lowerCaseTownMinimumPopulation: UInt32 = 20_000
    static let saintArticles = WordSet(
        hashes: [
            "o", "a", "no", "na", "do", "da", "pelo", "pela", "ao", "hospital", "maternidade", "igreja", "paroquia",
            "colegio", "escola", "festa", "dia",
            // "reza pra são benedito", "dia de são joão", "moro em são josé": after a preposition "são" is no verb.
            "pra", "para", "de", "em",
        ].map { WordFolding.hash($0) })
    static let dayWords = WordSet(hashes: ["day", "eve", "night"].map { WordFolding.hash($0) })
    /// Feasts and holidays that the lists keep from names and that a sentence may join to "eu" or "I".
    static let feasts = WordSet(
        hashes: [
            "pascoa", "natal", "carnaval", "reveillon", "easter", "christmas", "navidad", "cirio", "pentecostes",
            "corpus", "halloween", "thanksgiving",
        ].map { WordFolding.hash($0) })
    /// Words of a saint before the saint's name, in any case ("o são luiz", "santa clara", "St Joseph's").
    static let saintWords = WordSet(
        hashes: ["sao", "santa", "santo", "san", "saint", "st", "sta", "sto"].map { WordFolding.hash($0) })
    /// A town of this many people is where she is from, not Our Lady's title ("de rosario", "de belém").
    static let marianTownMaximumPopulation: UInt32 = 100_000
    /// Our Lady's titles after "de"/"do"/"das" in a woman's name: "das Chagas", "do Socorro", "de Fátima".
    static let marianNames = WordSet(
        hashes: [
            "chagas", "dores", "gracas", "graca", "socorro", "conceicao", "fatima", "lourdes", "penha", "carmo",
            "guia", "nazare", "aparecida", "rosario", "assuncao", "anunciacao", "salete", "gloria", "neves", "merces",
            "remedios", "piedade", "consolacao", "soledade", "perpetuo", "belem", "natividade", "lurdes",
        ].map { WordFolding.hash($0) })
    /// What follows "Jesus" in a cry or a prayer: "Jesus Maria José", "Jesus Cristo", "Jesús de Nazaret".
    static let holyFamily = WordSet(
        hashes: ["maria", "jose", "cristo", "christ", "nazare", "nazaret", "nazareno", "amado", "misericordioso"].map {
            WordFolding.hash($0)
        })
    static let sacredNames = WordSet(
        hashes: ["jesus", "cristo", "christ", "deus", "dios", "god"].map { WordFolding.hash($0) })

    /// Between an age verb and the age: "tá com 4 meses", "is already 2 months", "ya casi tiene…".
    static let ageLinks = WordSet(
        hashes: ["com", "con", "with", "already", "almost", "nearly", "now", "just", "ja", "quase", "ya", "casi"].map {
            WordFolding.hash($0)
        })

    static let illnessVerbs = WordSet(
        hashes: ["has", "had", "got", "tem", "teve", "pegou", "tiene", "tuvo", "ta", "esta", "estava", "is", "was"].map
        {
            WordFolding.hash($0)
        })
    static let illnessLinks = WordSet(
        hashes: [
            "a", "an", "um", "uma", "un", "una", "com", "con", "with", "de", "the", "some", "muita", "mucha", "bad",
            "mt",
            "had", "been", "o", "os", "as", "el", "los", "las",
        ]
        .map { WordFolding.hash($0) })

    /// Pronouns, possessives and time words: a capital at a sentence's start or after "Sou o marido." makes none of
    /// them a name ("Ella dice que…", "She's too scared", "Minha mulher teve…", "Ontem fui…"), whatever the census
    /// lists.
    static let functionWords = WordSet(
        hashes: [
            "ela", "elas", "ele", "eles", "she", "he", "it", "they", "we", "you", "eu", "yo",
            "nos", "meu", "minha", "meus", "minhas", "my", "mi", "mis", "your", "our", "seu", "sua", "su", "tu",
            "ontem", "hoje", "amanha", "ayer", "hoy", "manana", "today", "yesterday", "tomorrow", "this", "that",
            "there", "here", "what", "who", "let", "everyone", "nobody", "esta", "este", "essa", "esse", "isso",
            // Adverbs and conjunctions that open an answer's sentence ("Só queria…", "Até lá, descanse", "Se a dor
            // continuar", "Enquanto espera") and that the census lists as rare names.
            "so", "ate", "se", "nao", "enquanto", "quando", "mas", "entao", "tambem", "ainda", "depois", "antes",
            "agora", "sempre", "nunca", "si", "if", "mientras", "cuando", "pero", "tambien",
        ].map { WordFolding.hash($0) })

    /// Spanish pronouns that are English names too ("Ella dice…" against "Baby Ella and I").
    static let spanishPronouns = WordSet(hashes: ["ella", "ellas", "el"].map { WordFolding.hash($0) })

    /// The last token of a name in capitals that goes on after token `end` with more given names and surnames, across
    /// particles ("… APARECIDA DOS SANTOS FERREIRA"), seven words from `start` at most. "DE JESUS" after its particle
    /// is a surname, "JESUS" alone a cry; a given name that is also a word goes on ("ROSIMEIRE APARECIDA").
    func namesInCapitals(after end: Int, from start: Int, runningText: Bool = false) -> Int {
        var end = end
        while end - start < 7, end + 1 < tokens.count, tokens[end + 1].allCaps, tokens[end + 1].gap.isSpaceOnly,
            !masked[end + 1], !protected[end + 1]
        {
            var part = end + 1
            if has(part, .particle), part + 1 < tokens.count, tokens[part + 1].allCaps, tokens[part + 1].gap.isSpaceOnly
            {
                part += 1
            }
            guard has(part, .surname) || has(part, .givenName), length(part) >= 2,
                part > end + 1 || !Self.sacredNames.contains(tokens[part].hash)
            else { break }
            // "MI HIJO YORDANIS TIENE FIEBRE": in a sentence in capitals a rare census entry that is a word of her
            // language (707 "Tiene") is the verb; a common one goes on ("ROSÂNGELA APARECIDA DOS SANTOS").
            let word = entry(part)
            if runningText, part == end + 1, !word.facts.contains(.surname),
                !word.wordIn.intersection(languages).isEmpty,
                word.people < PrivacyLexicon.lowerCaseMinimumPeople
            {
                break
            }
            end = part
        }
        return end
    }

    /// Whether "se llama mi…" follows the name ending at `end`: "Alegría se llama mi nieta", "Vitória se chama a
    /// minha filha" (the name, then whose it is).
    func namedAs(after end: Int) -> Bool {
        let verb = end + 1
        guard verb + 3 < tokens.count, tokens[verb].hash == Self.seWord, Self.callVerbs.contains(tokens[verb + 1].hash),
            tokens[verb].gap.isSpaceOnly, tokens[verb + 1].gap.isSpaceOnly, tokens[verb + 2].gap.isSpaceOnly,
            tokens[verb + 3].gap.isSpaceOnly
        else { return false }
        let whose = verb + 2
        if Self.possessiveDeterminers.contains(tokens[whose].hash) { return true }
        return Self.definiteArticles.contains(tokens[whose].hash)
            && (Self.possessiveDeterminers.contains(tokens[whose + 1].hash) || has(whose + 1, .relationCue))
    }

    /// Whether "was born", "nasceu", "nació" follows the name ending at `end`: only a person is born.
    func bornAfter(_ end: Int) -> Bool {
        let next = end + 1
        guard next < tokens.count, tokens[next].gap.isSpaceOnly else { return false }
        // Born, not arrived: "Abril chegou" is the month.
        if Self.bornVerbs.contains(tokens[next].hash) { return true }
        return next + 1 < tokens.count && Self.bornAuxiliaries.contains(tokens[next].hash)
            && tokens[next + 1].gap.isSpaceOnly && tokens[next + 1].hash == Self.bornWord
    }

    static let bornVerbs = WordSet(hashes: ["nasceu", "nacio", "nasceram", "nacieron"].map { WordFolding.hash($0) })
    static let seWord = WordFolding.hash("se")
    static let callVerbs = WordSet(hashes: ["llama", "chama", "llamaba", "chamava"].map { WordFolding.hash($0) })
    /// The copulas, and the Portuguese "é" ("Socorro é o nome da minha mãe").
    static let nameCopulas = copulas.union(["e", "eh"].map { WordFolding.hash($0) })
    static let nameNouns = WordSet(hashes: ["nome", "name", "nombre"].map { WordFolding.hash($0) })

    static let bornAuxiliaries = WordSet(hashes: ["was", "is", "got", "been"].map { WordFolding.hash($0) })
    static let bornWord = WordFolding.hash("born")

    /// Whether ", my husband" follows the name ending at `end`: a possessive and a person word after its comma.
    func possessiveApposition(after end: Int) -> Bool {
        let next = end + 1
        guard next + 1 < tokens.count, tokens[next].gap.contains(.comma),
            tokens[next].gap.subtracting([.comma, .space]) == [],
            Self.possessiveDeterminers.contains(tokens[next].hash), tokens[next + 1].gap.isSpaceOnly
        else { return false }
        return has(next + 1, .relationCue)
    }

    /// Whether "(" and a person word follow the name ending at `end`: "o Will (meu namorado)", "Paz (mi hija)".
    func parentheticalRelation(after end: Int) -> Bool {
        var next = end + 1
        guard next < tokens.count, tokens[next].isWord, tokens[next].gap.contains(.open) else { return false }
        if Self.possessiveDeterminers.contains(tokens[next].hash), next + 1 < tokens.count,
            tokens[next + 1].gap.isSpaceOnly
        {
            next += 1
        }
        // "Grace (my 2yo)", "Theo (meu de 3 anos)": her possessive and an age say it is her child.
        if next > end + 1, next + 1 < tokens.count, !tokens[next].isWord || has(next, .particle) {
            var age = next
            if has(age, .particle), age + 1 < tokens.count { age += 1 }
            if !tokens[age].isWord, tokens[age].digits <= 2, age + 1 < tokens.count,
                Self.ageUnits.contains(tokens[age + 1].hash)
            {
                return true
            }
        }
        // "Xiaoling (my MIL)": a person word may be written as its acronym.
        return has(next, .relationCue) && (!tokens[next].capital || tokens[next].allCaps)
    }

    /// The last word of a name in capitals from `index` (two to five words, particles between them) that a comma and
    /// an age or a pregnancy's weeks follow ("BUKOLA ADEYEMI, 34 WEEKS"); nil otherwise.
    func nameBeforeAge(from index: Int) -> Int? {
        var last = index
        while last + 1 < tokens.count, last - index < 4, tokens[last + 1].isWord, tokens[last + 1].allCaps,
            tokens[last + 1].gap.isSpaceOnly || tokens[last + 1].gap == .hyphen
        {
            last += 1
        }
        guard last > index, !has(last, .particle), last + 2 < tokens.count, tokens[last + 1].gap.contains(.comma),
            !tokens[last + 1].isWord, tokens[last + 1].digits <= 2, tokens[last + 2].isWord,
            Self.ageUnits.contains(tokens[last + 2].hash)
        else { return nil }
        // Words of a sentence in capitals are no name ("PRESSÃO ALTA, 32 SEMANAS", "PLEASE HELP, 34 WEEKS").
        // The lexicon has no dictionary of the three languages, so the name must say so: a given name first and every
        // other word a given name, a surname or a particle.
        guard has(index, .givenName), !has(index, .notName) else { return nil }
        for word in (index + 1)...last where !has(word, .particle) {
            if !has(word, .givenName) && !has(word, .surname) { return nil }
        }
        return last
    }

    static let ageUnits = WordSet(
        hashes: [
            "anos", "ano", "años", "years", "year", "yo", "weeks", "week", "wks", "semanas", "semana",
            "sem", "meses", "months", "dias", "days",
        ].map { WordFolding.hash($0) })

    /// Whether an age follows the word at `index`: an age verb, a number and its unit, not a time to come ("June
    /// turned 6 months today", "May is 5 months next week", "Hope tem 3 meses"; not "May is 5 weeks away", "Março faz
    /// 3 meses que ganhei").
    func ageFollows(_ index: Int) -> Bool {
        var next = index + 1
        guard next < tokens.count, tokens[next].gap.isSpaceOnly, has(next, .ageVerb) else { return false }
        next += 1
        while next < tokens.count, next - index <= 4, Self.ageLinks.contains(tokens[next].hash),
            tokens[next].gap.isSpaceOnly
        {
            next += 1
        }
        guard next + 1 < tokens.count, tokens[next].gap.isSpaceOnly,
            tokens[next].digits > 0 || has(next, .digitWord) || has(next, .tensWord),
            Self.ageUnits.contains(tokens[next + 1].hash)
        else { return false }
        let after = next + 2
        return after >= tokens.count || !Self.timeToCome.contains(tokens[after].hash)
    }

    static let timeToCome = WordSet(
        // "Março faz 3 meses que ganhei": time since, not an age.
        hashes: [
            "away", "until", "from", "before", "after", "left", "ago", "to", "pra", "para", "faltam", "ate", "que",
            "since", "desde",
        ].map {
            WordFolding.hash($0)
        })

    /// "little", "pequena", "pequeño" between "my" and a child's name.
    static let littleWords = WordSet(
        hashes: ["little", "pequena", "pequeno", "pequeña", "pequeño", "peque", "lil", "sweet"].map {
            WordFolding.hash($0)
        })

    /// Whether a newborn's measures follow the word at `index` past a comma: "Apolo, 51cm, 3,720kg", "Theo, 3.2 kg".
    func birthMeasures(after index: Int) -> Bool {
        let next = index + 1
        guard next + 1 < tokens.count, tokens[next].gap.contains(.comma), !tokens[next].isWord,
            tokens[next + 1].isWord, Self.birthUnits.contains(tokens[next + 1].hash),
            tokens[next + 1].gap.subtracting([.space]) == []
        else { return false }
        // A length is a baby's; a weight alone is a product's too ("Nestogeno, 800 g") unless a birth was just told.
        if tokens[next + 1].hash == Self.cmWord { return true }
        return (max(0, index - 6)..<index).contains { Self.birthWords.contains(tokens[$0].hash) }
    }

    static let cmWord = WordFolding.hash("cm")
    static let birthWords = WordSet(
        hashes: ["nasceu", "nacio", "born", "arrived", "chegou", "llego", "nascimento", "nacimiento", "birth"].map {
            WordFolding.hash($0)
        })

    static let birthUnits = WordSet(
        hashes: ["cm", "kg", "g", "lb", "lbs", "oz", "kilos", "gramas"].map { WordFolding.hash($0) })

    static let spanishPossessives = WordSet(
        hashes: ["mi", "mis", "tu", "su", "nuestra", "nuestro"].map { WordFolding.hash($0) })
    static let possessiveDeterminers = WordSet(
        hashes: [
            "meu", "minha", "my", "mi", "our", "nosso", "nossa", "nuestra", "nuestro", "her", "his", "seu", "sua", "su",
        ]
        .map { WordFolding.hash($0) })

    /// Whether the word at `index` stands alone in brackets right after a person word: "my mil (linda)",
    /// "my husband (kev)".
    func bracketedAfterRelation(_ index: Int) -> Bool {
        guard index > 0, tokens[index].gap.contains(.open), has(index - 1, .relationCue) else { return false }
        return index + 1 >= tokens.count || tokens[index + 1].gap.contains(.other)
    }

    /// Whether the name at `index` is put beside a person word earlier in its sentence: after a comma ("minha filha
    /// mais velha, a Mercedes,", "Mi matrona, Itziar Etxeberria,") or after a copula ("the midwife on call was
    /// Nguyen Thi Lan"); the name must close its phrase.
    func relationApposition(_ index: Int, end: Int) -> Bool {
        var first = index
        if first > 0, Self.definiteArticles.contains(tokens[first - 1].hash), tokens[first].gap.isSpaceOnly {
            first -= 1
        }
        let gap = tokens[first].gap
        var scanFrom = first - 1
        if gap.contains(.comma) && gap.subtracting([.comma, .space]) == [] {
            // the name closes its phrase: a comma, the end of a sentence or of the message
            let closes =
                end + 1 >= tokens.count || tokens[end + 1].gap.intersection([.comma, .stop, .period, .dash]) != []
            guard closes else { return false }
        } else if gap.isSpaceOnly, first > 0,
            Self.copulas.contains(tokens[first - 1].hash) || portugueseIs(first - 1)
        {
            // "my husband is Polish": what he is, written with a capital in English, is no name.
            if end == index && Self.demonyms.contains(tokens[index].hash) { return false }
            scanFrom = first - 2
        } else {
            return false
        }
        var look = scanFrom
        while look >= 0 && scanFrom - look < 6 {
            if has(look, .relationCue) && !tokens[look].capital { return true }
            if tokens[look].gap.intersection([.stop, .period, .semicolon, .colon]) != [] { return false }
            look -= 1
        }
        return false
    }

    static let definiteArticles = WordSet(hashes: ["a", "o", "la", "el", "the"].map { WordFolding.hash($0) })

    /// Whether token `index` is the Portuguese "é" ("minha doula é a Nzinga") written with its accent, or "eh": folded,
    /// it is the "e" of "and", which does not make what follows a person's title.
    func portugueseIs(_ index: Int) -> Bool {
        guard languages.contains(.portuguese), index >= 0, tokens[index].isWord else { return false }
        let start = tokens[index].start
        let length = tokens[index].end - start
        return (length == 2 && bytes[start] == 0xC3 && bytes[start + 1] == 0xA9)
            || (length == 2 && bytes[start] | 0x20 == UInt8(ascii: "e") && bytes[start + 1] | 0x20 == UInt8(ascii: "h"))
    }

    static let copulas = WordSet(hashes: ["was", "is", "era", "es", "fue", "foi"].map { WordFolding.hash($0) })

    /// Whether a naming verb stands before `index`: "Le pusimos Ángel", "named her Summer", "chamamos de Dudu".
    func namingVerb(before index: Int) -> Bool {
        guard index > 0, tokens[index].gap.isSpaceOnly else { return false }
        if has(index - 1, .namingVerb) { return true }
        return index > 1 && has(index - 2, .namingVerb) && tokens[index - 1].gap.isSpaceOnly
            && Self.namedObjects.contains(tokens[index - 1].hash)
    }

    static let namedObjects = WordSet(
        hashes: ["her", "him", "them", "la", "lo", "le", "de", "a", "o", "ela", "ele"].map { WordFolding.hash($0) })

    /// Whether "thank you" ends at token `end`.
    func thankYou(endingAt end: Int) -> Bool {
        end >= 1 && tokens[end].hash == Self.youWord && tokens[end].gap.isSpaceOnly
            && tokens[end - 1].hash == Self.thankWord
    }

    static let thankWord = WordFolding.hash("thank")

    /// Whether "por"/"pelo"/"for" follows the word at `end`: "gracias Memo por el pastel", "thanks Bri for".
    func thanksReason(after end: Int) -> Bool {
        let next = end + 1
        return next < tokens.count && tokens[next].gap.isSpaceOnly && Self.reasonWords.contains(tokens[next].hash)
    }

    static let reasonWords = WordSet(hashes: ["por", "pelo", "pela", "pelos", "for"].map { WordFolding.hash($0) })

    /// Two common given names in lower case in a row ("joao pedro", "ana julia", "maria eduarda"): Brazil's compound
    /// first names. Ordinary words almost never pair so; the first must be carried by 50,000 people or more.
    /// With `inCapitals`, the same of two words written in capitals ("JOÃO PEDRO") in a message in capitals.
    func lowerCaseCompoundName(_ index: Int, inCapitals: Bool = false) -> Bool {
        let next = index + 1
        guard next < tokens.count, tokens[next].isWord, tokens[next].gap.isSpaceOnly, !masked[next], !protected[next],
            inCapitals
                ? tokens[index].allCaps && tokens[next].allCaps : !tokens[index].capital && !tokens[next].capital
        else { return false }
        let first = entry(index)
        let second = entry(next)
        let blocking: WordFacts = [.notName, .particle, .relationCue, .title, .month, .placePrefix]
        return first.facts.contains(.givenName) && first.people >= 50_000
            && second.facts.contains(.givenName) && second.people >= PrivacyLexicon.lowerCaseMinimumPeople
            && first.facts.intersection(blocking).isEmpty && second.facts.intersection(blocking).isEmpty
    }

    /// Whether token `index` can continue a name: a capitalised given name, surname or unknown word, or in a
    /// lower-case name a given name that is no ordinary word (or, after a cue, a surname).
    func namePart(_ index: Int, lowerCase: Bool, cued: Bool) -> Bool {
        let token = tokens[index]
        guard token.isWord, !masked[index], !protected[index], token.end - token.start >= 2 else { return false }
        let word = entry(index)
        if word.facts.contains(.notName) && !word.facts.contains(.surname) { return false }
        // "Francisco Neto", "Roberto Carlos Filho", "José Sobrinho": the generation ends the name it follows.
        if token.capital && index > 0 && Self.generationSuffixes.contains(token.hash) { return true }
        if word.facts.contains(.placePrefix) || word.facts.contains(.relationCue) || word.facts.contains(.title) {
            return false
        }
        if lexicon.selfCues[token.hash] != nil || lexicon.greetingCues[token.hash] != nil
            || lexicon.trailingCues[token.hash] != nil
        {
            return false
        }
        if token.capital {
            // After a cue ("NOME:", "PACIENTE", "DRA.") a name in capitals goes on word by word; a word no list knows
            // goes on a name in capitals ("TAINÁ GUAJAJARA").
            let unknown = word.facts.isEmpty && word.wordIn.isEmpty && word.placePopulation == 0
            return !token.allCaps || word.facts.contains(.givenName) || word.facts.contains(.surname)
                || (cued && !word.facts.contains(.notName))
                || (unknown && index > 0 && tokens[index - 1].allCaps && token.gap.isSpaceOnly)
        }
        guard lowerCase else { return false }
        if word.facts.contains(.givenName) && word.wordIn.intersection(languages).isEmpty { return true }
        return cued && (word.facts.contains(.surname) || word.people >= PrivacyLexicon.lowerCaseMinimumPeople)
    }

    /// A Brazilian name's generation, capitalised after it: "Neto", "Filho", "Sobrinho", "Júnior", "Segundo".
    static let generationSuffixes = WordSet(
        hashes: ["neto", "filho", "sobrinho", "junior", "jr", "segundo", "bisneto"].map { WordFolding.hash($0) })

    /// The last token of the name that starts at `index`: its further parts, across particles ("das Chagas").
    func extend(_ index: Int, lowerCase: Bool, cued: Bool) -> Int {
        var end = index
        var next = index + 1
        while next < tokens.count, tokens[next].isWord,
            tokens[next].gap.isSpaceOnly
                || (tokens[next].gap == .hyphen && tokens[next].capital && tokens[end].capital)
        {
            // "Jean-Baptiste", "Al-Hamwi", "Sato-Oliveira": a hyphen joins two capitalised parts of one name.
            if tokens[next].gap == .hyphen {
                guard !masked[next], !protected[next], length(next) >= 2 else { break }
                end = next
                next += 1
                continue
            }
            // An initial: "Rosana M. Teixeira", "rosana m. teixeira".
            if length(next) == 1, next + 1 < tokens.count, tokens[next + 1].gap.contains(.period),
                tokens[next + 1].gap.subtracting([.period, .space]) == [], tokens[next + 1].gap.contains(.space),
                namePart(next + 1, lowerCase: lowerCase, cued: cued)
            {
                end = next + 1
                next += 2
                continue
            }
            if has(next, .particle) {
                var part = next + 1
                if part < tokens.count && has(part, .particle) && tokens[part].gap.isSpaceOnly { part += 1 }
                // "francisca das chagas", "maria do socorro", "Maria de Lourdes": Our Lady's titles, Brazil's
                // commonest second names, go on a given name in any case.
                // (In lower case: capitalised they are names already; not a town's, "soy Lucía de Rosario".)
                if part < tokens.count, part == next + 1, tokens[part].gap.isSpaceOnly, !masked[part],
                    !tokens[part].capital, has(end, .givenName), Self.marianNames.contains(tokens[part].hash),
                    entry(part).placePopulation < Self.marianTownMaximumPopulation
                {
                    end = part
                    next = part + 1
                    continue
                }
                // "Márcia Tavares do CAISM": a name written in ordinary case does not go on into an acronym; "Tuane do
                // Jacarezinho", "Lavínia de Sena Madureira": nor into where she is from, a town that is no name.
                guard part < tokens.count, tokens[part].gap.isSpaceOnly,
                    namePart(part, lowerCase: lowerCase, cued: cued), !townAfterDe(part),
                    !(part == next + 1 && townAfterParticle(part)),
                    !tokens[part].allCaps || tokens[end].allCaps || length(part) == 1
                else { break }
                end = part
                next = part + 1
                continue
            }
            // "maria eduarda ferreira lima", "francisca das chagas moura": in lower case, after a surname or Our Lady's
            // title, another surname goes on though it is also a word.
            if lowerCase, end > index, !tokens[next].capital, !masked[next], !protected[next], has(next, .surname),
                has(end, .surname) || Self.marianNames.contains(tokens[end].hash)
            {
                end = next
                next += 1
                continue
            }
            // "Jesus" ends a name only after its particle ("Maria de Jesus"): "Ai Jesus," is a cry. A given name that
            // is also a word goes on after a capitalised given name ("Luis Ángel").
            let wordAfterName =
                has(next, .notName) && tokens[next].capital && !tokens[next].allCaps && has(next, .givenName)
                && !has(next, .month) && !Self.sacredNames.contains(tokens[next].hash) && tokens[end].capital
                && has(end, .givenName)
            guard wordAfterName || (namePart(next, lowerCase: lowerCase, cued: cued) && !has(next, .notName)) else {
                break
            }
            // "la bebé rocío ella tiene…": in lower case a Spanish pronoun or verb that the census lists ends it.
            if lowerCase, !tokens[next].capital, languages.contains(.spanish),
                Self.afterSpanishName.contains(tokens[next].hash)
            {
                break
            }
            end = next
            next += 1
        }
        return end
    }

    /// The last token of a name starting at `index`, or nil when no name starts there.
    func nameChain(at index: Int) -> Int? {
        let token = tokens[index]
        guard token.isWord, !masked[index], !protected[index], token.end - token.start >= 2,
            !has(index, .functionWord),
            !(languages.contains(.spanish) && Self.spanishPronouns.contains(token.hash))
        else { return nil }
        // "Ingrid Schmitt de Pomerode", "soy Florencia, de Rosario": where she is from. "since Tuesday and my sister
        // said": a day of the week is the day, unless people are named so ("Domingo, mi esposo").
        if (townAfterDe(index) || (has(index, .weekday) && !has(index, .givenName))) && !strongCue(before: index) {
            return nil
        }
        // "Valentine's Day", "St Patrick's Day", "Mother's Day": a feast, not a person's.
        if token.possessive, index + 1 < tokens.count, tokens[index + 1].capital,
            Self.dayWords.contains(tokens[index + 1].hash)
        {
            return nil
        }
        let word = entry(index)
        let given = word.facts.contains(.givenName)
        // "BUKOLA ADEYEMI, 34 WEEKS", "CARIDAD PÉREZ RODRÍGUEZ, 38 AÑOS", "ESCREVE AI: CAMILA APARECIDA DE SOUZA, 28
        // ANOS": a form's line in capitals that opens with her full name and then her age or her weeks.
        if token.allCaps, index == 0 || tokens[index].gap.contains(.colon) || sentenceStart(index),
            let end = nameBeforeAge(from: index)
        {
            return end
        }
        // SUS, UBS, CPF; but "MI HIJA DAYAMI NECESITA…": in a message in capitals, a word right after a person word
        // or a title ("a psicóloga do CAPS" names a service).
        if token.allCaps && !given
            && !(shouting && index > 0 && (has(index - 1, .relationCue) || has(index - 1, .title))
                && strongCue(before: index) && !has(index, .notName) && length(index) >= 3)
        {
            return nil
        }
        // "a filha da Dona Neném", "Seu Nenê": after the honorific of a first name a capitalised person word is the
        // nickname it honours.
        if token.capital && !token.allCaps && word.facts.contains(.relationCue) && !word.facts.contains(.notName),
            index > 0, tokens[index].gap.isSpaceOnly, Self.firstNameHonorifics.contains(tokens[index - 1].hash)
        {
            return index
        }
        if has(index, .particle) || word.facts.contains(.relationCue) || word.facts.contains(.title) { return nil }
        let capital = token.capital && !token.allCaps  // a word in capitals shouts; it says nothing about names
        // "esquina da Rua Amazonas": a street's type is never a name, whatever the census lists.
        if word.facts.contains(.streetType) && capital && index + 1 < tokens.count && tokens[index + 1].capital {
            return nil
        }
        // "it's Flat 3, 27 Elm Grove", "Unit 5/42": a part of an address with its number is never a name.
        if word.facts.contains(.addressComplement), index + 1 < tokens.count, !tokens[index + 1].isWord,
            tokens[index + 1].gap.isSpaceOnly
        {
            return nil
        }
        // "antenatal clinic, Ward 6", "she's in Bay 4": a word of her language, capitalised before a number, names a
        // part of a place; a name before her age keeps its unit ("Grace 2 anos", "Hope 6 weeks old").
        if capital, !word.wordIn.intersection(languages).isEmpty, index + 1 < tokens.count, !tokens[index + 1].isWord,
            tokens[index + 1].gap.isSpaceOnly, !strongCue(before: index),
            !(index + 2 < tokens.count && tokens[index + 2].isWord && Self.ageUnits.contains(tokens[index + 2].hash))
        {
            return nil
        }
        let unknown = word.facts.isEmpty && word.placePopulation == 0
        // "Our little Destiny arrived", "minha pequena Vitória", "mi pequeño Ángel": a capitalised word after "my
        // little" is the child's name, whatever else the word is.
        if capital, index >= 2, Self.littleWords.contains(tokens[index - 1].hash), tokens[index].gap.isSpaceOnly,
            tokens[index - 1].gap.isSpaceOnly, Self.possessiveDeterminers.contains(tokens[index - 2].hash),
            !word.facts.contains(.month) || parentheticalRelation(after: index)
        {
            return extend(index, lowerCase: false, cued: true)
        }
        // "nasceu!!! Apolo, 51cm, 3,720kg": a birth announced by the baby's name and measures.
        if capital, !word.facts.contains(.placePrefix), birthMeasures(after: index) {
            return index
        }
        // "Harper's shots", "Amber's baby shower": an English possessive of a given name or an unknown word.
        if token.possessive && capital && (given || unknown) { return index }
        // "my husband (kev)", "my mil (linda)": one word alone in brackets after a person word.
        if bracketedAfterRelation(index) && (capital || unknown || word.wordIn.intersection(languages).isEmpty)
            && !word.facts.contains(.notName)
        {
            return capital ? extend(index, lowerCase: false, cued: true) : index
        }
        if capital, let end = speakerLabel(at: index) { return end }
        // "my name is kettia and i…", "me llamo yorleidys y tengo…", "my daughter is called precious she's…", "a
        // minha bebê chama esperança e…": a word in lower case given as a name, followed by how a sentence goes on
        // after one.
        if !token.capital, let end = givenAsName(index) { return end }
        // "de parte de Dios", "graças a Deus": God is no one's name.
        if strongCue(before: index), !Self.sacredNames.contains(token.hash) || token.hash == Self.jesusHash {
            // "it's Monday", "it's April already": a day or a month after "it's" is the date, not her name.
            if index > 0, tokens[index - 1].hash == Self.itsHash, has(index, .weekday) || has(index, .month) {
                return nil
            }
            if capital { return extend(index, lowerCase: false, cued: true) }
            // A name in capitals after a cue ("NOME: GÉNESIS ALEJANDRA MORENO PÁEZ") takes four words at most: the
            // words after it are in capitals too.
            // Past those four, only more given names and surnames go on ("ROSÂNGELA APARECIDA DOS SANTOS FERREIRA").
            if token.allCaps {
                // In running text ("MI HIJA MARIA NECESITA EL CARNÉ") only more given names and surnames go on: the
                // words after it are the sentence.
                let reach = min(extend(index, lowerCase: false, cued: true), index + 3)
                // "PACIENTE MARIA YOSHIKO HIGA, 29 ANOS" closes its phrase after the name: a form's field.
                let closes =
                    reach + 1 >= tokens.count
                    || tokens[reach + 1].gap.intersection([.comma, .stop, .period, .colon, .dash]) != []
                if shouting && !tokens[index].gap.contains(.colon) && !closes {
                    return namesInCapitals(after: index, from: index, runningText: true)
                }
                return namesInCapitals(after: reach, from: index)
            }
            // "la señora ángeles ortega no va", "a dona dores pereira": after a cue, a given name that is also a
            // word is hers when a surname that is no word follows it.
            if given, !word.facts.contains(.month), !word.facts.contains(.weekday), length(index) >= 3,
                index + 1 < tokens.count, tokens[index + 1].isWord, !tokens[index + 1].capital,
                tokens[index + 1].gap.isSpaceOnly, has(index + 1, .surname),
                entry(index + 1).people < PrivacyLexicon.lowerCaseMinimumPeople,
                entry(index + 1).wordIn.intersection(languages).isEmpty, entry(index + 1).placePopulation == 0,
                !has(index + 1, .notName)
            {
                return extend(index, lowerCase: true, cued: true)
            }
            // "nome maria aparecida santos": after a self-introduction a common census name in lower case is a
            // name even where it is also a word.
            if given && word.people >= PrivacyLexicon.lowerCaseMinimumPeople && !word.facts.contains(.notName)
                && selfCue(before: index)
            {
                return ownSurnames(after: extend(index, lowerCase: true, cued: true), from: index)
            }
            // "mi nombre es yuliana", "meu nome é kemilly": right after her naming phrase a word that is no word of
            // any language and no place is her name, though no census counts it.
            if !given, word.wordIn.isEmpty, word.people == 0, word.placePopulation == 0,
                word.facts.subtracting([.surname]).isEmpty, length(index) >= 3, namingPhrase(before: index),
                clauseGoesOn(after: index)
            {
                return extend(index, lowerCase: true, cued: true)
            }
            // In lower case ("aqui é a sueli") only a given name that is no word of her language.
            if given && word.wordIn.intersection(languages).isEmpty && !word.facts.contains(.notName) {
                return extend(index, lowerCase: true, cued: true)
            }
            // "a mae do joao pedro": a compound first name, though "joão" alone is also a word.
            if lowerCaseCompoundName(index) { return extend(index + 1, lowerCase: true, cued: true) }
            // "a dona rosa minha vizinha", "a doutora aurora falou", "doña mercedes": right after a Portuguese or
            // Spanish honorific, a common given name in lower case is the person's, though it is also a word. (Not
            // English: "the doctor will call", "i miss summer"; not "seu": "pedir seu socorro"; not "nossa
            // senhora aparecida".)
            if given, honorificBefore(index) {
                return extend(index, lowerCase: true, cued: true)
            }
            // "meu marido pedro", "mi suegra carmen", "my mom linda": right after a person word, one of the commonest
            // given names, or in English a name that is no English word, is the person's in lower case too.
            if given, lowerCaseNameAfterPersonWord(index) {
                return extend(index, lowerCase: true, cued: true)
            }
            // "my wife joy is having pains", "a minha cachorra a mel não para": after a person word, a name that is
            // also a word, then how a sentence goes on after its subject.
            if relationNameBeforePredicate(index) { return index }
            // "a dra neves pediu", "o dr santos disse": right after a title, a surname in lower case is the
            // doctor's, though it is also a word.
            if index > 0, has(index - 1, .title), tokens[index].gap.subtracting([.space, .period]) == [],
                word.facts.contains(.surname), !word.facts.contains(.notName), length(index) >= 3
            {
                return extend(index, lowerCase: true, cued: true)
            }
            // "oi sou a franzi", "soy la yaniris": right after her own introduction and her article, a word no list
            // knows (no census name, no place, no cue, no word the lexicon keeps) is her name.
            if unknown, length(index) >= 3, selfIntroduction(before: index) { return index }

            return nil
        }
        // "joao pedro", "ana julia": a compound first name in lower case.
        if lowerCaseCompoundName(index) { return extend(index + 1, lowerCase: true, cued: false) }
        // "joana aqui", "oi é o pedro aqui": one of the commonest names in lower case, signed with "aqui".
        if !token.capital, given, lowerCaseNameSigned(index) { return extend(index, lowerCase: true, cued: true) }
        // "a kethlyn ta com febre", "o ravi nao para de chorar": her article before a census name in lower case that
        // is no word of her language, and a verb only a person does after it.
        // "pepe dice que el bebé…": at the start of her sentence, with no article, the same.
        // "que fabián tiene ictericia": after "que"/"and"/"porque" too. A long census name with few bearers
        // ("a thayllane tá com assadura") is an invented spelling, not a clipped word ("la gine dijo").
        if !token.capital && given && word.wordIn.intersection(languages).isEmpty && !word.facts.contains(.surname)
            && (word.people >= Self.articleNameMinimumPeople || length(index) >= 6) && length(index) >= 3
            && ((index > 0 && Self.definiteArticles.contains(tokens[index - 1].hash) && token.gap.isSpaceOnly)
                || sentenceStart(index) || clauseStart(index))
            && personPredicate(after: index)
        {
            return index
        }
        // "a vitoria mamou", "a clara disse que": her article before one of the commonest names in lower case, and a
        // verb only a person does after it, though a word list has the name as a word too.
        if !token.capital, given, commonNameBeforePersonVerb(index) { return index }
        // "i cry all the time lily is two weeks old": in lower case, a given name before her age (not a month:
        // "june is 3 weeks away" is time to come, and "may" is a verb).
        if !token.capital, given, !word.facts.contains(.month), length(index) >= 3, index > 0, ageFollows(index),
            !has(index - 1, .article), !has(index - 1, .particle), !has(index - 1, .functionWord)
        {
            return index
        }
        // In a message written in capitals, as in lower case: a census name that is no word of any of the three
        // languages ("O RAVI NAO PARA DE CHORAR", "WALDIRENE AQUI"), or a compound first name ("O JOÃO PEDRO JA
        // TEM 6 MESES"), is a name.
        if shouting && token.allCaps && given && !word.facts.contains(.surname) {
            if word.wordIn.isEmpty && word.people >= Self.shoutedNameMinimumPeople && length(index) >= 3 {
                return extend(index, lowerCase: false, cued: false)
            }
            if lowerCaseCompoundName(index, inCapitals: true) {
                return extend(index + 1, lowerCase: false, cued: false)
            }
        }
        // "o aluno JOÃO PEDRO ALVES DE OLIVEIRA (turma…)": in a message not written in capitals, a name copied from a
        // form in capitals: a given name and at least one more given name or surname, all in capitals.
        if !shouting && token.allCaps && given && !word.facts.contains(.notName) && length(index) >= 3 {
            let end = namesInCapitals(after: index, from: index)
            if end > index { return end }
        }
        // "Grace was born", "Hope is 3 months", "Will says hi": a given name that is listed as never a name alone
        // (hope, will, grace, joy) is one when a verb only a person does follows it.
        // "Ángel se llama mi bebé", "May was born at 39 weeks": said to be her name, or born, even of an
        // endearment or a month.
        // "Angel is finally sleeping through the night", "Joy keeps crying": a verb only a person does.
        if capital && given && sentenceStart(index)
            && (namedAs(after: index) || bornAfter(index) || ageFollows(index) || personVerbFollows(index))
            && !Self.sacredNames.contains(token.hash)
        {
            return index
        }
        // "ya respira solita mi Abril", "la Abril mama": Portuguese and Spanish write months in lower case;
        // capitalised after "my" or her Spanish article, it is a name.
        if capital, word.facts.contains(.month), !languages.contains(.english), index > 0,
            tokens[index].gap.isSpaceOnly,
            Self.possessiveDeterminers.contains(tokens[index - 1].hash)
                || Self.spanishArticles.contains(tokens[index - 1].hash),  // "la Abril mama" (not "de Março a Maio")
            !tokens[index - 1].capital
        {
            return index
        }
        // "May (my sister) will be my birth partner": a month's name with a person word in brackets is hers.
        if capital, word.facts.contains(.month), given, parentheticalRelation(after: index) { return index }
        if word.facts.contains(.notName) && capital && !word.facts.contains(.month) {
            let sacred = Self.sacredNames.contains(token.hash)
            // "Faith here again, baby's jaundice…", "Grace aqui": opening the message, her name and "here".
            if given && !sacred && (index == 0 || (0..<index).allSatisfy { !tokens[$0].isWord })
                && signedHere(after: index)
            {
                return index
            }
            // "Mercy, thanks for the visit!", "Grace, obrigada por ontem": opening the message, called by her name
            // and thanked.
            if given && !sacred && (index == 0 || (0..<index).allSatisfy { !tokens[$0].isWord }),
                index + 1 < tokens.count, tokens[index + 1].gap.contains(.comma),
                tokens[index + 1].gap.subtracting([.comma, .space]) == [],
                Self.thanksWords.contains(tokens[index + 1].hash)
            {
                return index
            }
            // "Thank you Grace!!", "Gracias Mercedes por el consejo": capitalised right after a thanks, and closing
            // the phrase or followed by what she is thanked for ("thank you for the grace" keeps its word).
            if given && !sacred && tokens[index].gap.isSpaceOnly,
                index > 0 && (Self.thanksWords.contains(tokens[index - 1].hash) || thankYou(endingAt: index - 1)),
                index + 1 >= tokens.count || tokens[index + 1].gap.intersection([.stop, .period, .comma]) != []
                    || !tokens[index + 1].isWord || thanksReason(after: index)
            {
                return index
            }
            // "Jesús, mi esposo": "my" and a person word after the comma say it even of a saint's name ("Ai Jesus, o
            // bebê não dorme" is a cry).
            // "o Jesus (meu sogro)": the same in brackets, with "my".
            if given
                && (sacred
                    ? possessiveApposition(after: index)
                        || (parentheticalRelation(after: index)
                            && Self.possessiveDeterminers.contains(tokens[index + 1].hash))
                    : apposition(after: index))
            {
                return extend(index, lowerCase: false, cued: true)
            }
            // "Jesús David", "Luis Ángel" start, "Dawn Richards (community midwife)": a name that is also a word
            // before another given name or a surname.
            // "Jesús Alberto (1,7 kg)": Jesus too, before a given name that is not of the Holy Family ("Jesus Maria
            // José!" is a cry).
            if !sacred || token.hash == Self.jesusHash, index + 1 < tokens.count, tokens[index + 1].gap.isSpaceOnly,
                tokens[index + 1].capital, !tokens[index + 1].allCaps,
                (given && has(index + 1, .givenName)) || (has(index + 1, .surname) && !has(index + 1, .givenName)),
                !has(index + 1, .notName),
                !sacred || !Self.holyFamily.contains(tokens[index + 1].hash)
            {
                return extend(index, lowerCase: false, cued: true)
            }
            // "Faltam 2 semanas pra Páscoa e eu com 39 semanas": a feast is never one of the people; nor a brand or a
            // service no list of names knows ("a Natura mandou o kit", "como o Samu acha?").
            if given && !sacred && !Self.endearments.contains(token.hash) && !Self.feasts.contains(token.hash)
                && (personPredicate(after: index) || parentheticalRelation(after: index)
                    || coordinatedPerson(after: index) || relationApposition(index, end: index)
                    // "Destiny and Faith (my girls)", "Tomi and Joy are": joined to a name, and said to be people.
                    || (coordinatedWithName(before: index)
                        && (parentheticalRelation(after: index)
                            || (index + 1 < tokens.count && tokens[index + 1].gap.isSpaceOnly
                                && Self.pluralCopulas.contains(tokens[index + 1].hash)))))
            {
                return index
            }
        }
        // "perdí a mi Ixchel", "llevé a mi Mateo": Spanish marks a person with "a" before her possessive; a
        // capitalised word after it is a name unless it is a place or a saint.
        if capital, index >= 2, languages.contains(.spanish), tokens[index].gap.isSpaceOnly,
            tokens[index - 1].gap.isSpaceOnly, Self.spanishPossessives.contains(tokens[index - 1].hash),
            tokens[index - 2].hash == Self.aWord, word.placePopulation == 0,
            !word.facts.contains(.country), !word.facts.contains(.place), !word.facts.contains(.month),
            !Self.sacredNames.contains(token.hash)
        {
            return extend(index, lowerCase: false, cued: true)
        }
        // "Le pusimos Ángel", "named her Grace": after a naming verb any capitalised word is the name given.
        if capital && namingVerb(before: index) && !Self.sacredNames.contains(token.hash)
            && !word.facts.contains(.month)
        {
            return extend(index, lowerCase: false, cued: true)
        }
        // "Mercedes da recepção disse", "a maria do posto falou", "Rose from the front desk said": a person known by
        // where she works, and what she said or did.
        if capital
            || (given && token.end - token.start >= 3
                && (word.wordIn.intersection(languages).isEmpty
                    || word.people >= PrivacyLexicon.lowerCaseMinimumPeople)),
            !word.facts.contains(.month), !word.facts.contains(.placePrefix), !Self.sacredNames.contains(token.hash),
            workplaceThenVerb(after: index)
        {
            return capital ? extend(index, lowerCase: false, cued: true) : index
        }
        // "quem cuida dele é a Imaculada, a babá": a given name that also opens a church's or a school's name is hers
        // where a person word stands in apposition.
        // ("vivo en El Alto, mi hijo…": a place's word where a place stands, and few people's name, stays.)
        if capital, given, word.facts.contains(.placePrefix), !word.facts.contains(.notName),
            word.people >= Self.shoutedNameMinimumPeople, !Self.sacredNames.contains(token.hash),
            !placeContext(index, index), apposition(after: index)
        {
            return extend(index, lowerCase: false, cued: true)
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
                // "em Natal" is a town, "pra Pérola" a girl: after a preposition only a place is kept.
                if index > 0 && has(index - 1, .placePreposition) && token.gap.isSpaceOnly && gazetteerPlace(index) {
                    return nil
                }
                return extend(index, lowerCase: false, cued: false)
            }
            // At a sentence's start a capitalised word says nothing: another name part, a cue, a signature, or a
            // verb only a person is the subject of ("Grace was born", "Luz nació") must.
            let end = extend(index, lowerCase: false, cued: false)
            if end > index || signedHere(after: index) || greeting(before: index) || apposition(after: index)
                || personPredicate(after: end) || parentheticalRelation(after: end)
                || relationApposition(index, end: end) || namingVerb(before: index) || coordinatedPerson(after: end)
                || coordinatedWithName(before: index) || joinedToSpeaker(before: index, end: end)
                || vocativeOpening(index, end: end, englishQuestion: false)
                || listOfPeople(after: end) || aloneOnLine(index, end: end) || actsOnHer(after: end)
            {
                return end
            }
            if closesMessage(index) && index > 0
                && tokens[index].gap.intersection([.comma, .dash, .period, .stop]) != []
            {
                return index
            }
            return nil
        }
        // An unknown capitalised word (or a surname alone) is a name only where the message says so.
        // "Cruz, mi hijo mayor, …": a surname alone is a name where a greeting or a person word says so.
        guard token.capital, !word.facts.contains(.surname) || greeting(before: index) || apposition(after: index)
        else { return nil }
        let end = extend(index, lowerCase: false, cued: false)
        if closesMessage(end) && index > 0
            && (tokens[index].gap.intersection([.comma, .dash]) != [] || greeting(before: index)
                // "beijos da Tay", "love from Jess", "un abrazo de Yari", "…por favor, la Yari": signed after a kiss
                // and "from", or after a comma and her article.
                || signedAfter(index)
                // "… get lost. Chidinma x", "…, Villa El Salvador. Yesenia Quispe Mamani": a sentence of its own that
                // closes the message, signed with a kiss or with her surnames.
                || (tokens[index].gap.intersection([.period, .stop]) != []
                    && (kissFollows(end) || (end > index && ((index + 1)...end).contains { has($0, .surname) }))))
        {
            return end
        }
        // "Obrigada, Carol." and "Hello, Abena Mensah from Ghana": after a greeting, one word closing the phrase or
        // two capitalised words.
        if greeting(before: index)
            && (end + 1 >= tokens.count || tokens[end + 1].gap.intersection([.comma, .stop]) != [] || end > index
                // "Hi, Siobhan here from Cork": her name and "here" after the greeting.
                || trailingCue(after: end)
                // "thanks Becca and Siobhan x": two people thanked, the second closing the phrase.
                || thankedTogether(after: end))
        {
            return end
        }
        if apposition(after: end) || parentheticalRelation(after: end) || relationApposition(index, end: end)
            || namingVerb(before: index) || (greeting(before: index) && thanksReason(after: end))
            || ((start || clauseStart(index)) && (personPredicate(after: end) || coordinatedPerson(after: end)))
            // "¿Llamó Xiomara?", "chegou Rayane": Spanish and Portuguese put the subject after a person's verb.
            || personVerbBefore(index)
            // "ask Declan to bring coffee", "tell Niamh that…": asked or told to do something, a person.
            || askedToDo(index, end: end)
            // "my little one Saoirse was born at 33 weeks": only a person is born, wherever she stands.
            || bornAfter(end)
            || coordinatedWithName(before: index) || joinedToSpeaker(before: index, end: end)
            || birthVerb(before: index)
            || vocativeOpening(index, end: end, englishQuestion: true) || listOfPeople(after: end)
            // "Siobhan, Niamh and Aoife are": a list's next item after a name found.
            || (index > 0 && masked[index - 1] && tokens[index].gap.contains(.comma)
                && tokens[index].gap.subtracting([.comma, .space]) == []
                && (coordinatedPerson(after: end) || listOfPeople(after: end)))
            // "o Guga tá com 4 meses", "la Yesenia ya dio…", "mi Pepito ya tiene 1 año": her article or possessive
            // before an unknown capitalised word, and a verb only a person does after it.
            || (index > 0
                && (Self.definiteArticles.contains(tokens[index - 1].hash)
                    || Self.possessiveDeterminers.contains(tokens[index - 1].hash))
                && tokens[index].gap.isSpaceOnly && personPredicate(after: end))
        {
            return end
        }
        // "Adaeze, 19 semanas": a message that opens with a name and her weeks or age.
        if index == 0 && end + 1 < tokens.count && !tokens[end + 1].isWord && tokens[end + 1].gap.contains(.comma) {
            return end
        }
        if trailingCue(after: end) && (start || greeting(before: index)) && end > index { return end }
        // "Tsehay here (from Ethiopia)", "Wendeline here": one word no list knows, opening the message, and "here".
        if index == 0 || (start && (0..<index).allSatisfy { !tokens[$0].isWord }),
            trailingCue(after: end), word.facts.isEmpty, word.wordIn.isEmpty, word.placePopulation == 0
        {
            return end
        }
        // "Sawubona sisi, Thandiwe here.", "Oye mi amor, Yunisleidy aquí, el bebé…": the same after a greeting, when
        // "here" closes the phrase.
        if start || (tokens[index].gap.contains(.comma) && tokens[index].gap.subtracting([.comma, .space]) == []),
            word.facts.isEmpty, word.wordIn.isEmpty, word.placePopulation == 0, trailingCue(after: end)
        {
            let after = end + 1 + cueLength(in: lexicon.trailingCues, startingAt: end + 1)
            if after >= tokens.count || tokens[after].gap.intersection([.comma, .stop, .period]) != [] { return end }
        }
        return nil
    }
}
