/// Addresses of every Brazilian shape: a head (a street, a rural or informal settlement, a Brasília block code, a
/// highway, a PO box, an English number-first street) and the parts that follow it (house number or "s/n",
/// complements, a second street, the neighbourhood, and directions to the door).
extension Scan {
    static let houseNumberWords = WordSet(
        hashes: ["n", "no", "nro", "num", "numero", "nr"].map { WordFolding.hash($0) })
    static let streetSuffixes = WordSet(
        hashes: [
            "st", "street", "ave", "avenue", "rd", "road", "blvd", "boulevard", "lane", "ln", "drive", "way", "court",
            "ct", "place", "pl", "highway", "hwy", "terrace", "parkway", "dr", "pkwy", "cir", "circle", "trail",
            "trl", "grove", "cres", "crescent", "close", "view", "row", "mews", "walk", "square", "sq", "parade",
            "pde", "esplanade", "concourse", "rise", "loop", "alley", "pike", "ter", "crt", "gdns",
        ].map { WordFolding.hash($0) })
    /// A street's type written first after the house number, in French and in Quebec ("3300 Rue Sherbrooke Est",
    /// "32 Rue Ste-Catherine", "1200 boulevard René-Lévesque").
    static let frenchStreetTypes = WordSet(
        hashes: ["rue", "chemin", "boulevard", "boul", "avenue", "av", "route", "rang", "place", "allee", "impasse"].map
        {
            WordFolding.hash($0)
        })
    /// A compass point after a street's name ("Queen St W", "4th Ave N", "Sherbrooke Est").
    static let trailingCompass = WordSet(
        hashes: ["n", "s", "e", "w", "ne", "nw", "se", "sw", "est", "ouest", "nord", "sud"].map { WordFolding.hash($0) }
    )
    static let englishStreetHeads = WordSet(
        hashes: ["st", "street", "ave", "avenue", "rd", "road"].map { WordFolding.hash($0) })
    static let colours = WordSet(
        hashes: [
            "amarela", "azul", "verde", "branca", "rosa", "vermelha", "laranja", "cinza", "marrom", "roxa", "bege",
            "lilas", "preta", "amarelo", "branco", "vermelho", "roxo", "preto", "yellow", "blue", "green", "white",
            "red",
        ].map { WordFolding.hash($0) })
    static let streetJoiners = WordSet(
        hashes: ["con", "com", "esquina", "esq", "and", "y", "e"].map { WordFolding.hash($0) })
    static let neighbourhoodWords = WordSet(
        hashes: [
            "bairro", "barrio", "setor", "distrito", "vila", "villa", "colonia", "col", "urb", "urbanizacion",
            "fraccionamiento", "fracc", "vereda", "caserio", "reparto", "gleba", "nucleo", "lot", "aglomerado",
            "morro", "jadim", "jardin", "jarim", "jardm",
        ].map { WordFolding.hash($0) })
    static let qualifiers = WordSet(
        hashes: [
            "ribeirinha", "rural", "habitacional", "hab", "indigena", "quilombola", "vicinal", "municipal", "estadual",
            "popular",
        ].map { WordFolding.hash($0) })
    static let compassWords = WordSet(
        hashes: ["sul", "norte", "leste", "oeste", "sur", "north", "south"].map { WordFolding.hash($0) })
    static let poWord = WordFolding.hash("po")
    static let rrWord = WordFolding.hash("rr")
    static let compassLetters = WordSet(hashes: ["n", "s", "e", "w"].map { WordFolding.hash($0) })
    static let boxWord = WordFolding.hash("box")
    static let caixaWord = WordFolding.hash("caixa")
    static let postalWord = WordFolding.hash("postal")
    static let casaWord = WordFolding.hash("casa")
    static let sWord = WordFolding.hash("s")

    mutating func findAddresses() {
        var index = 0
        while index < tokens.count {
            guard !masked[index], let head = addressHead(at: index, inTail: false) else {
                index += 1
                continue
            }
            // After an English address ("PO Box 1187, Kailua-Kona") the part after a comma is the town.
            let english = !tokens[index].isWord || tokens[index].hash == Self.poWord
            // A street named without a number still stands after parts written before it that carry one
            // ("Edificio Los Samanes, piso 8 apto 8-B, avenida Francisco de Miranda, Chacao").
            let numberedPartBefore =
                leadingPart(before: index).map { first in (first..<index).contains { !tokens[$0].isWord } } ?? false
            var (end, complete, substantive) = addressTail(
                after: head.last, numbered: head.numbered, needsDirections: head.directionsOnly, english: english)
            if numberedPartBefore && !substantive {
                (end, complete, substantive) = addressTail(
                    after: head.last, numbered: true, needsDirections: head.directionsOnly, english: english)
            }
            // A highway alone ("vou pela BR-116") is no address: its km or a house on it is. Nor is a street named
            // with nothing after it, unless she says she lives there ("a Av. Getúlio Vargas tá parada", "took the bus
            // down Lincoln Ave"; but "moro na Rua Barão de Itapagipe"); nor one with only the way to it ("queda por la
            // calle Hidalgo, cerca del parque").
            let bare =
                !substantive && !head.numbered && !head.directionsOnly && tokens[index].isWord
                && has(index, .streetType)
            guard complete, !(highway(at: index) && end == head.last),
                !bare || residenceCue(before: index) || numberedPartBefore
            else {
                index += 1
                continue
            }
            // What was written before the street belongs to it: "apt 12, 55 Elm Street", "Edificio Torres del
            // Parque, torre B, piso 12, Cra 5 # 26-30", "bairro Ponta Negra, Rua Praia de Muriú 301".
            var start = index
            // "47-12 Queens Blvd": a Queens house number is two numbers joined by a hyphen.
            if !tokens[index].isWord, index > 0, !tokens[index - 1].isWord, tokens[index].gap == .hyphen,
                !masked[index - 1]
            {
                start = index - 1
            }
            var parts = 0
            while parts < 5, let earlier = leadingPart(before: start) {
                start = earlier
                parts += 1
            }
            let range = tokens[start].start..<closingBracket(after: tokens[end].end, opensIn: tokens[start].start)
            add(.address, range)
            markTokens(range)
            index = end + 1
        }
    }

    /// Her neighbourhood or settlement where she says she lives there or is from: "a gente mora no bairro cidade
    /// nova", "vivo en la ocupación Monte Horebe", "eu sou lá da comunidade santa luzia". A neighbourhood's word anchors it and a verb of
    /// living stands right before it, so a health unit's or a maternity's neighbourhood ("o posto do bairro Alvorada")
    /// stays. One to four words of its name follow, up to the sentence's next word.
    mutating func findHomeNeighbourhoods() {
        // Asked of every message: the verb's bit first, then the few words after it.
        for verb in tokens.indices where has(verb, .livingVerb) {
            // "moro no", "mora lá no", "vivo en la", "we live in": maybe "lá"/"aqui", a preposition, an article.
            var index = verb + 1
            var afterName = false
            // "sou a Joana do bairro Alvorada", "eu sou a francisca lá do quilombo": after "sou", her article and
            // her name (capitalised, or a given name) may come first.
            if Self.beingVerbs.contains(tokens[verb].hash), index + 1 < tokens.count,
                Self.personArticles.contains(tokens[index].hash), tokens[index + 1].gap.isSpaceOnly
            {
                var look = index + 1
                while look < tokens.count, look - index <= 3, tokens[look].gap.isSpaceOnly,
                    tokens[look].isWord, !has(look, .particle), !has(look, .settlementType),
                    !Self.leadingNeighbourhoodWords.contains(tokens[look].hash),
                    masked[look] || tokens[look].capital || has(look, .givenName)
                {
                    look += 1
                }
                if look > index + 1 {
                    index = look
                    afterName = true
                }
            }
            if index < tokens.count, Self.thereWords.contains(tokens[index].hash), tokens[index].gap.isSpaceOnly {
                index += 1
            }
            // After her name a comma may stand before it: "Sou a Joana, do bairro Alvorada".
            guard index + 1 < tokens.count,
                tokens[index].gap.isSpaceOnly || (afterName && tokens[index].gap == [.comma, .space]),
                Self.homePrepositions.contains(tokens[index].hash)
            else { continue }
            index += 1
            if Self.spanishArticles.contains(tokens[index].hash), tokens[index].gap.isSpaceOnly { index += 1 }
            guard index + 1 < tokens.count, tokens[index].isWord, tokens[index].gap.isSpaceOnly, !masked[index],
                Self.leadingNeighbourhoodWords.contains(tokens[index].hash) || has(index, .settlementType)
                    || Self.occupationWords.contains(tokens[index].hash)
            else { continue }
            var last = index
            var words = 0
            var next = index + 1
            while next < tokens.count, words < 4, tokens[next].gap.isSpaceOnly, !masked[next] {
                if !tokens[next].isWord {
                    guard words > 0, tokens[next].digits <= 3 else { break }  // "Umariaçu 2", "Conjunto Ceará 2"
                } else if has(next, .particle), words > 0, next + 1 < tokens.count, tokens[next + 1].isWord,
                    tokens[next + 1].gap.isSpaceOnly, !Self.sentenceWords.contains(tokens[next + 1].hash),
                    !riverAfter(next),
                    !has(next + 1, .functionWord), !has(next + 1, .article)
                {
                    next += 1  // "santa luzia do tapajós": its particle, then the next word of its name
                    continue
                } else if Self.sentenceWords.contains(tokens[next].hash) || has(next, .functionWord)
                    || has(next, .article) || has(next, .particle) || has(next, .personVerb)
                    || has(next, .predicateFiller) || has(next, .directionCue)
                    || Self.zoneWords.contains(tokens[next].hash)
                {
                    break
                }
                last = next
                words += 1
                next += 1
            }
            // A district of 50,000 people ("moro no Jardim Ângela", 311,000) says no more of her than a town does.
            // (After "bairro" the name is a neighbourhood's: a town of the same name elsewhere does not count.)
            guard words > 0, !largeDistrict(from: index, to: last),
                !largeDistrict(from: index + 1, to: last, districtOnly: true)
            else {
                continue
            }
            let range = tokens[index].start..<tokens[last].end
            add(.address, range)
            markTokens(range)
        }
    }

    /// Her home place by its name where she says she lives there, with no neighbourhood word before it: a place word
    /// and its name ("a gente mora no lago do Jacaré",
    /// "moro no vão do Moleque", "moro na chácara do Tonho"), or the neighbourhood after her town and a comma
    /// ("vivo en Ponta Porã, barrio Jardim Ivone"). A town of 20,000 people, a district of 50,000, a state, a
    /// country or a region ("no interior do Ceará", "na zona rural de Caruaru") says no more of her than her town.
    mutating func findHomePlacesByName() {
        for verb in tokens.indices where has(verb, .livingVerb) && !Self.beingVerbs.contains(tokens[verb].hash) {
            var index = verb + 1
            if index < tokens.count, Self.thereWords.contains(tokens[index].hash), tokens[index].gap.isSpaceOnly {
                index += 1
            }
            guard index + 1 < tokens.count, tokens[index].gap.isSpaceOnly,
                Self.livingPrepositions.contains(tokens[index].hash)
            else { continue }
            index += 1
            if Self.spanishArticles.contains(tokens[index].hash), tokens[index].gap.isSpaceOnly { index += 1 }
            guard index < tokens.count, tokens[index].isWord, tokens[index].gap.isSpaceOnly, !masked[index] else {
                continue
            }
            // Her town, a comma and her neighbourhood by its word.
            if tokens[index].capital {
                let town = capitalisedRun(from: index)
                let word = town + 1
                if word + 1 < tokens.count, tokens[word].gap == [.comma, .space], !masked[word],
                    Self.neighbourhoodWords.contains(tokens[word].hash), tokens[word + 1].gap.isSpaceOnly,
                    tokens[word + 1].capital, !masked[word + 1]
                {
                    let last = capitalisedRun(from: word + 1)
                    if !(word + 1...last).contains(where: { masked[$0] }) {
                        addSpan(.address, from: word, through: last)
                        continue
                    }
                }
                // A district alone ("moro no Brás", "vivo en el Pari") stays, as the development sets label it.
                continue
            }
            // A place word, "do"/"da", and the place's capitalised name.
            let particle = index + 1
            let name = index + 2
            guard name < tokens.count, length(index) >= 3, !has(index, .article), !has(index, .particle),
                !has(index, .streetType), !has(index, .settlementType), !has(index, .month),
                !Self.regionWords.contains(tokens[index].hash), !Self.townWords.contains(tokens[index].hash),
                !Self.leadingNeighbourhoodWords.contains(tokens[index].hash),
                !Self.sentenceWords.contains(tokens[index].hash), !Self.riverWords.contains(tokens[index].hash),
                !Self.notHomeWords.contains(tokens[index].hash), !masked[particle], !masked[name],
                tokens[particle].gap.isSpaceOnly, Self.townLinks.contains(tokens[particle].hash),
                tokens[name].gap.isSpaceOnly, tokens[name].capital, tokens[name].isWord
            else { continue }
            let last = capitalisedRun(from: name)
            guard !(name...last).contains(where: { masked[$0] }), !isCity(name, last),
                !largeDistrict(from: name, to: last),
                !town(from: name, to: last, atLeast: Self.homeTownPopulation),
                !(name...last).contains(where: { has($0, .country) })
            else { continue }
            addSpan(.address, from: index, through: last)
        }
    }

    /// A rural address told by its kilometre first: "moro no km 47 da BR-319", "é no quilômetro quarenta e sete da
    /// BR três um nove", "km 12 da Transamazônica". The kilometre and its number, then the road ("da"/"do" and a
    /// highway's code, said or written, or the road's capitalised name), or a word of living before it ("moro no km
    /// 47"). A distance ("andei 5 km", "fica a 40 km de Cuiabá") has its number first and stays.
    mutating func findKilometreAddresses() {
        for index in tokens.indices where tokens[index].isWord && !masked[index] {
            guard Self.kilometreWords.contains(tokens[index].hash), index + 1 < tokens.count,
                tokens[index + 1].gap.isSpaceOnly, !masked[index + 1]
            else { continue }
            var number = index + 1
            if !tokens[number].isWord, tokens[number].digits <= 4 {
                // "km 47", "km 12,5"
                if number + 1 < tokens.count, !tokens[number + 1].isWord, tokens[number + 1].gap == .comma {
                    number += 1
                }
            } else if let spoken = spelledHouseNumber(at: number, afterNumberWord: true) {
                number = spoken
            } else {
                continue
            }
            var last = number
            let particle = number + 1
            if particle + 1 < tokens.count, tokens[particle].gap.isSpaceOnly, has(particle, .particle),
                tokens[particle + 1].gap.isSpaceOnly, !masked[particle + 1]
            {
                let road = particle + 1
                if highway(at: road) {
                    last = road + 1
                } else if tokens[road].isWord, tokens[road].allCaps, length(road) == 2, road + 1 < tokens.count,
                    tokens[road + 1].gap.isSpaceOnly, let said = spelledHouseNumber(at: road + 1, afterNumberWord: true)
                {
                    // "da BR três um nove", "da BR cento e setenta e quatro"
                    var end = said
                    while end + 1 < tokens.count, tokens[end + 1].gap.isSpaceOnly, has(end + 1, .digitWord),
                        !masked[end + 1]
                    {
                        end += 1
                    }
                    last = end
                } else if tokens[road].isWord, tokens[road].capital, !has(road, .country), !isCity(road, road) {
                    last = capitalisedRun(from: road)  // "da Transamazônica", "da Belém-Brasília"
                }
            }
            let living = residenceCue(before: index) || (index >= 2 && has(index - 2, .livingVerb))
            // Where she is, not where she passed: "é no km 47", "fica no quilômetro 12" ("passei do km 12" stays).
            let located =
                living || index == 0 || tokens[index].gap.contains(.comma)
                || (tokens[index].gap.isSpaceOnly && Self.livingPrepositions.contains(tokens[index - 1].hash))
            guard located, last > number || living, !(index...last).contains(where: { masked[$0] }) else { continue }
            // ", lote 15", ", casa 3": a lot or a house on that kilometre.
            if last + 2 < tokens.count, tokens[last + 1].gap.subtracting([.space, .comma]) == [],
                Self.kilometreLotWords.contains(tokens[last + 1].hash), tokens[last + 2].gap.isSpaceOnly,
                !tokens[last + 2].isWord, !masked[last + 2]
            {
                last += 2
            }
            addSpan(.address, from: index, through: last)
        }
    }

    /// A lot of a land-reform settlement: "Lote 7 do PA Itamarati", "lote 15 do assentamento Bela Vista", "lt 3 da
    /// gleba Santa Fé". The lot's word and number, then the settlement by its word or its project's code (PA, PDS,
    /// PAE) and its name.
    mutating func findSettlementLots() {
        for index in tokens.indices where tokens[index].isWord && !masked[index] {
            guard Self.lotWords.contains(tokens[index].hash), index + 4 < tokens.count,
                !tokens[index + 1].isWord, tokens[index + 1].digits <= 4, tokens[index + 1].gap.isSpaceOnly,
                has(index + 2, .particle), tokens[index + 2].gap.isSpaceOnly, tokens[index + 3].gap.isSpaceOnly,
                has(index + 3, .settlementType) || Self.settlementProjectCodes.contains(tokens[index + 3].hash),
                tokens[index + 4].gap.isSpaceOnly, tokens[index + 4].capital, !masked[index + 1], !masked[index + 2]
            else { continue }
            // The settlement already masked as her address ("lote 15 do [assentamento Bela Vista]"): its lot joins it.
            let joinsMasked = masked[index + 3]
            let last = joinsMasked ? index + 2 : capitalisedRun(from: index + 4)
            if !joinsMasked, (index + 3...last).contains(where: { masked[$0] }) { continue }
            addSpan(.address, from: index, through: last)
        }
    }

    static let settlementProjectCodes = WordSet(
        hashes: ["pa", "pds", "pae", "pad", "paf"].map { WordFolding.hash($0) })

    static let kilometreWords = WordSet(
        hashes: ["km", "quilometro", "kilometro"].map { WordFolding.hash($0) })
    static let kilometreLotWords = WordSet(
        hashes: ["lote", "lt", "casa", "lot", "parcela"].map { WordFolding.hash($0) })

    /// Words after "moro no/na" that are no home place of her own: whom she lives with or near, and how.
    static let notHomeWords = WordSet(
        hashes: [
            "casa", "apartamento", "ap", "apto", "fundo", "fundos", "lado", "frente", "perto", "meio", "mesmo",
            "mesma", "terreno", "quintal", "quarto", "house", "home", "estado", "pais", "país", "periferia",
            "capital", "beira", "margem", "cima", "baixo",
        ].map { WordFolding.hash($0) })

    /// Whether tokens `first...last` name a district or a town of 50,000 people or more.
    func largeDistrict(from first: Int, to last: Int, districtOnly: Bool = false) -> Bool {
        if first == last {
            let word = entry(first)
            return max(word.districtPopulation, districtOnly ? 0 : word.townPopulation) >= Self.largeDistrictPopulation
        }
        return lexicon.placeNames[tokens[first].hash]?.contains {
            $0.parts.count == last - first + 1 && matches($0.parts, startingAt: first)
                && max(districtOnly ? 0 : $0.population, $0.districtPopulation) >= Self.largeDistrictPopulation
        } ?? false
    }

    static let largeDistrictPopulation: UInt32 = 50_000
    /// Settlements by occupation and in Spanish: "ocupação", "ocupación", "invasão", "asentamiento", "favela".
    static let beingVerbs = WordSet(hashes: ["sou", "soy", "somos"].map { WordFolding.hash($0) })
    static let occupationWords = WordSet(
        hashes: [
            // (Not a shelter: "moro no abrigo Rondon 3" names a place of a thousand people, as a district does.)
            "ocupacao", "ocupacion", "invasao", "invasion", "asentamiento", "favela", "villa", "quilombo",
        ].map {
            WordFolding.hash($0)
        })
    static let zoneWords = WordSet(
        hashes: ["zona", "perto", "near", "cerca", "longe", "lejos"].map { WordFolding.hash($0) })
    /// After "moro"/"vivo": "no", "em", "en", "in"; after "sou"/"soy": "do", "da", "de" ("sou do parque piauí").
    static let homePrepositions = WordSet(
        hashes: ["no", "na", "num", "numa", "em", "en", "in", "on", "at", "do", "da", "de", "del"].map {
            WordFolding.hash($0)
        })
    static let thereWords = WordSet(
        hashes: ["la", "aqui", "ali", "aca", "alla", "here", "there"].map { WordFolding.hash($0) })

    /// An address copied from a form, a field a line: "rua: Olavo Bilac / nº: 45 / compl: fundos / bairro: vila rica".
    /// A line that opens with a street's label and a colon starts it; the lines after it whose label is a house
    /// number's, a complement's or a neighbourhood's go on with it, labels and all; the town's, the state's and the
    /// postal code's lines are not part of it (the postal code is masked by its own rule). It needs two lines at
    /// least, so "rua: tava alagada" alone is a sentence.
    mutating func findFormAddresses() {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            // Cheapest first: this is asked of every token, and only a line's first word before a colon can open it.
            guard index == 0 || tokens[index].gap.contains(.newline), index + 1 < tokens.count,
                tokens[index + 1].gap.contains(.colon), tokens[index].isWord,
                Self.formStreetLabels.contains(tokens[index].hash), !masked[index]
            else { continue }
            var end = lineEnd(from: index + 1)
            var fields = 0
            while end + 2 < tokens.count, tokens[end + 1].gap.contains(.newline), tokens[end + 1].isWord,
                Self.formFieldLabels.contains(tokens[end + 1].hash) || has(end + 1, .addressComplement),
                tokens[end + 2].gap.contains(.colon) || tokens[end + 2].gap == [.other, .colon]
                    || (tokens[end + 2].gap.subtracting([.space, .other]) == [.colon])
            {
                end = lineEnd(from: end + 2)
                fields += 1
            }
            guard fields > 0, end > index + 1, !(index...end).contains(where: { masked[$0] }) else { continue }
            let range = tokens[index].start..<tokens[end].end
            add(.address, range)
            markTokens(range)
            index = end
        }
    }

    /// The last token of the line that token `index` is on.
    func lineEnd(from index: Int) -> Int {
        var end = index
        while end + 1 < tokens.count, !tokens[end + 1].gap.contains(.newline) { end += 1 }
        return end
    }

    /// A form's labels that open a street's line.
    static let formStreetLabels = WordSet(
        hashes: ["rua", "logradouro", "endereco", "end", "avenida", "av", "calle", "direccion", "address", "street"].map
        {
            WordFolding.hash($0)
        })
    /// A form's labels of the lines that go on with the street's: the number, the complement, the neighbourhood.
    static let formFieldLabels = WordSet(
        hashes: [
            "n", "no", "nº", "numero", "num", "nro", "compl", "complemento", "bairro", "barrio", "colonia",
            "referencia",
            "ponto", "apto", "apt", "casa", "bloco", "quadra", "lote", "number", "unit", "apartment",
        ].map { WordFolding.hash($0) })

    /// `end`, or one past the closing bracket right after it when the address opened that bracket ("18 cherry ln
    /// (blue door)"): the note's bracket belongs to the note.
    func closingBracket(after end: Int, opensIn start: Int) -> Int {
        guard end < bytes.count, bytes[end] == UInt8(ascii: ")") else { return end }
        var open = 0
        for index in start..<end {
            if bytes[index] == UInt8(ascii: "(") { open += 1 } else if bytes[index] == UInt8(ascii: ")") { open -= 1 }
        }
        return open > 0 ? end + 1 : end
    }

    /// Where she says "my address is", what follows to the end of the sentence is her address, whatever its shape
    /// ("endereço certo é av. juscelino kubitschek 2300 - ap 904 torre sul - itaim", "mi dire: Los Carrera 1450
    /// depto 33"), when it holds a number or an address word, or goes on from an address the shapes found; the
    /// town at its end (a place of the gazetteer, a state's code) stays, and so does anything else masked.
    mutating func findCuedAddresses() {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard has(index, .addressCue) else { continue }
            // The segment opens after a colon or after "é"/"es"/"is" within the next few words.
            var start = -1
            var look = index + 1
            while look < tokens.count, look <= index + 5, !tokens[look].gap.contains(.stop) {
                if tokens[look].gap.contains(.colon) {
                    start = look
                    break
                }
                if tokens[look].isWord, Self.addressCopulas.contains(tokens[look].hash) {
                    start = look + 1
                    // "O endereço é esse: …"
                    if start < tokens.count, tokens[start].isWord, Self.demonstratives.contains(tokens[start].hash),
                        start + 1 < tokens.count, tokens[start + 1].gap.contains(.colon)
                    {
                        start += 1
                    }
                    break
                }
                look += 1
            }
            guard start > index, start < tokens.count, !tokens[start].gap.contains(.stop) else { continue }
            if start == index + 1, tokens[index].hash == Self.endWord, !tokens[start].gap.contains(.colon) {
                continue  // "end" is an English word unless a colon follows it
            }
            let addressTokens = Set(
                spans.filter { $0.kind == .address }.flatMap { span in
                    tokens.indices.filter {
                        tokens[$0].start >= span.range.lowerBound && tokens[$0].end <= span.range.upperBound
                    }
                })
            // To the sentence's end, never across something else already masked, her sentence going on ("… pra
            // lá?") or the town (after a comma or a dash: a place of the gazetteer, a state, a run before a state's
            // code).
            var last = start - 1
            var next = start
            while next < tokens.count, next - start < 20 {
                let gap = tokens[next].gap
                if next > start {
                    if sentenceEnds(before: next) { break }
                    // "…, cep 72300-000", "…, tel …": another identifier's word.
                    if tokens[next].isWord, has(next, .cepCue) || Self.contactWords.contains(tokens[next].hash) {
                        break
                    }
                    if gap.intersection([.comma, .dash, .hyphen]) != [], tokens[next].isWord,
                        !addressTokens.contains(next), townStarts(at: next), !neighbourhoodBeforeTown(at: next)
                    {
                        break
                    }
                }
                if masked[next] && !addressTokens.contains(next) { break }
                if tokens[next].isWord, !addressTokens.contains(next),
                    Self.closingWords.contains(tokens[next].hash) || Self.sentenceGoesOn.contains(tokens[next].hash)
                {
                    break
                }
                if tokens[next].isWord, length(next) == 2, Self.stateCodes.contains(tokens[next].hash),
                    !addressTokens.contains(next)
                {
                    break
                }
                last = next
                next += 1
            }
            guard last >= start else { continue }
            let range = start...last
            let continues = range.contains { addressTokens.contains($0) }
            let evidence = range.contains { part in
                !tokens[part].isWord
                    || has(part, .streetType) || has(part, .settlementType) || has(part, .addressComplement)
                    || has(part, .blockCode)
            }
            guard continues || evidence, range.contains(where: { !masked[$0] }) else { continue }
            let bytesRange = tokens[start].start..<closingBracket(after: tokens[last].end, opensIn: tokens[start].start)
            add(.address, bytesRange)
            markTokens(bytesRange)
            index = last
        }
    }

    /// Where she lives told only by the way to her door, right after "moro"/"vivo"/"I live": "moro depois da ponte
    /// do igarapé, segunda casa depois da igreja de madeira azul". The directions run to the sentence's end; a part
    /// after a comma goes on only when it opens with a direction or a house ("segunda casa", "casa amarela"). A
    /// landmark or two in one breath ("moro perto do centro", "moro perto da UBS e longe do hospital") point at no
    /// door and stay: it needs a house, or directions in two parts.
    mutating func findDirectionsHome() {
        var index = 0
        while index + 1 < tokens.count {
            defer { index += 1 }
            // The way starts with a direction word one or two words on: a bit of the lexicon's facts, read before
            // the verb's lookup (most messages have neither).
            guard has(index + 1, .directionCue) || (index + 2 < tokens.count && has(index + 2, .directionCue)),
                tokens[index].isWord, Self.livingVerbs.contains(tokens[index].hash)
            else { continue }
            var start = index + 1
            if start + 1 < tokens.count, tokens[start].isWord, Self.directionAdverbs.contains(tokens[start].hash),
                tokens[start + 1].gap.isSpaceOnly
            {
                start += 1
            }
            guard tokens[start].gap.isSpaceOnly, !masked[start], directionStart(start) else { continue }
            func opensPart(_ at: Int) -> Bool {
                guard at < tokens.count, tokens[at].isWord else { return false }
                if directionStart(at) || Self.dwellingWords.contains(tokens[at].hash) { return true }
                // "segunda casa", "a terceira casa", "the second house".
                var word = at
                if has(word, .article), word + 1 < tokens.count { word += 1 }
                return Self.ordinalWords.contains(tokens[word].hash) && word + 1 < tokens.count
                    && Self.dwellingWords.contains(tokens[word + 1].hash)
            }
            let (last, directions, house, parts) = walkWay(from: start, limit: 30, partOpensAt: opensPart)
            guard (directions >= 2 && parts >= 2) || (directions >= 1 && house) else { continue }
            let range = tokens[start].start..<tokens[last].end
            add(.address, range)
            markTokens(range)
            index = last
        }
    }

    /// Walks the way to her door from token `start` (at most `limit` tokens) to the end of its sentence, a bracket or
    /// a word already masked, counting its direction words, whether it names a house, and its parts. A part after a
    /// comma or a dash goes on only where `partOpensAt` says so.
    func walkWay(from start: Int, limit: Int, partOpensAt: (Int) -> Bool) -> (
        last: Int, directions: Int, house: Bool, parts: Int
    ) {
        var last = start
        var directions = 0
        var house = false
        var parts = 1
        var next = start
        while next < tokens.count, next - start < limit {
            let gap = tokens[next].gap
            if next > start {
                if sentenceEnds(before: next) || gap.contains(.open) { break }
                if gap.contains(.comma) || gap.contains(.dash) {
                    guard partOpensAt(next) else { break }
                    parts += 1
                }
            }
            if masked[next] { break }
            if tokens[next].isWord {
                if has(next, .directionCue) { directions += 1 }
                if Self.dwellingWords.contains(tokens[next].hash) { house = true }
            }
            last = next
            next += 1
        }
        return (last, directions, house, parts)
    }

    /// The way to her door after "to get here": "pra chegar aqui passa a ponte do rio, entra na segunda porteira
    /// azul, casa de taipa do lado do pé de tamarindo", "para llegar a mi casa…", "to get to my place…". The way runs
    /// to the sentence's end, through its commas; it must name a house or a direction ("pra chegar aqui demorou 2
    /// horas" tells no way and stays).
    mutating func findWayHere() {
        // Most messages tell no way: one tight pass over the hashes says so.
        guard tokens.withUnsafeBufferPointer({ $0.contains { Self.reachingVerbs.contains($0.hash) } }) else { return }
        var index = 0
        while index + 3 < tokens.count {
            defer { index += 1 }
            // "pra chegar", "para llegar", "to get": the purpose, said to someone who is coming ("até chegar em casa,
            // descanse" is her own way home).
            guard tokens[index].isWord, Self.reachingVerbs.contains(tokens[index].hash), index > 0,
                tokens[index].gap.isSpaceOnly, Self.purposeWords.contains(tokens[index - 1].hash)
            else { continue }
            var here = index + 1
            // "chegar aqui", "chegar lá em casa", "llegar a mi casa", "get to my place", "get here".
            while here < tokens.count, here - index <= 4, tokens[here].isWord, tokens[here].gap.isSpaceOnly,
                !Self.hereTargets.contains(tokens[here].hash), Self.wayFillers.contains(tokens[here].hash)
            {
                here += 1
            }
            guard here < tokens.count, tokens[here].isWord, tokens[here].gap.isSpaceOnly,
                Self.hereTargets.contains(tokens[here].hash)
            else { continue }
            // A house is hers when she says so: "minha casa", "my place", "lá em casa" ("chegar em casa" is anyone's).
            if Self.homeTargets.contains(tokens[here].hash) {
                guard here - index >= 2,
                    Self.possessiveDeterminers.contains(tokens[here - 1].hash)
                        || (tokens[here - 1].hash == Self.emWord && tokens[here - 2].hash == Self.laWord)
                else { continue }
            }
            let start = here + 1
            guard start < tokens.count, tokens[start].isWord, !masked[start],
                tokens[start].gap.subtracting([.space, .comma]) == []
            else { continue }
            let (last, directions, house, _) = walkWay(from: start, limit: 40) { _ in true }
            guard last - start >= 2, directions >= 1 || house else { continue }
            let range = tokens[start].start..<tokens[last].end
            add(.address, range)
            markTokens(range)
            index = last
        }
    }

    static let conjuntoWord = WordFolding.hash("conjunto")
    static let alojamentoWord = WordFolding.hash("alojamento")
    static let purposeWords = WordSet(hashes: ["pra", "para", "pa", "to"].map { WordFolding.hash($0) })
    static let homeTargets = WordSet(
        hashes: ["casa", "place", "house", "sitio", "chacara", "fazenda", "rancho"].map { WordFolding.hash($0) })
    static let emWord = WordFolding.hash("em")
    static let laWord = WordFolding.hash("la")
    /// Verbs of reaching her door, and what may stand between them and "here".
    static let reachingVerbs = WordSet(hashes: ["chegar", "llegar", "get", "find"].map { WordFolding.hash($0) })
    static let wayFillers = WordSet(
        hashes: ["la", "em", "na", "no", "a", "to", "my", "mi", "minha", "nossa", "nuestra", "our", "ate", "hasta"].map
        {
            WordFolding.hash($0)
        })
    static let hereTargets = WordSet(
        hashes: ["aqui", "ai", "here", "casa", "place", "house", "us", "sitio", "chacara", "fazenda", "rancho"].map {
            WordFolding.hash($0)
        })

    /// Whether her sentence (or its clause) ends before token `index`: a stop, a semicolon, a colon, or a period and
    /// a space that do not end an abbreviation ("av.", "Jd.", "apto.").
    func sentenceEnds(before index: Int) -> Bool {
        let gap = tokens[index].gap
        if gap.contains(.stop) || gap.contains(.semicolon) || gap.contains(.colon) { return true }
        return gap.contains(.period) && gap.contains(.space) && (!tokens[index - 1].isWord || length(index - 1) > 4)
    }

    /// Verbs of where she lives, right before the way to her door.
    static let livingVerbs = WordSet(
        hashes: ["moro", "mora", "moramos", "vivo", "vive", "vivimos", "live", "lives"].map { WordFolding.hash($0) })
    /// Ordinals that count houses along the way.
    static let ordinalWords = WordSet(
        hashes: [
            "primeira", "segunda", "terceira", "quarta", "quinta", "ultima", "primera", "tercera", "first", "second",
            "third", "fourth", "last",
        ].map { WordFolding.hash($0) })

    /// Whether the place at `index` is followed by its town, past a comma ("Lavapiés, Madrid 28012", "Palermo,
    /// CABA"): then it is the neighbourhood, unless it is a large town itself ("Campinas, São Paulo").
    func neighbourhoodBeforeTown(at index: Int) -> Bool {
        let last = capitalisedRun(from: index)
        guard cityFollows(after: last) else { return false }
        let abbreviation = last + 1 < tokens.count && Self.cityAbbreviations.contains(tokens[last + 1].hash)
        return abbreviation || !(index...last).contains { isCity(index, $0) }
    }

    /// Whether the words from `index` name a town rather than part of an address: a place of the gazetteer (one
    /// word or several), a state or a country, or a capitalised run before a state's code.
    func townStarts(at index: Int) -> Bool {
        // A district of a Brazilian city (Itaquera, Tatuapé) is her neighbourhood, not the town.
        if tokens[index].isWord, entry(index).townPopulation > 0 || has(index, .place) || has(index, .country) {
            return true
        }
        if townNickname(at: index) { return true }
        // "CABA", "BH", "CDMX", "POA": a town's abbreviation.
        if tokens[index].allCaps, length(index) <= 4, index + 1 == tokens.count || !tokens[index + 1].gap.isSpaceOnly {
            return true
        }
        if let places = lexicon.placeNames[tokens[index].hash],
            places.contains(where: { matches($0.parts, startingAt: index) })
        {
            return true
        }
        var run = index
        while run + 1 < tokens.count, run - index < 3, tokens[run + 1].isWord, tokens[run + 1].gap.isSpaceOnly,
            !(length(run + 1) == 2 && Self.stateCodes.contains(tokens[run + 1].hash))
        {
            run += 1
        }
        let next = run + 1
        return next < tokens.count && tokens[next].isWord && length(next) == 2
            && Self.stateCodes.contains(tokens[next].hash)
    }

    static let contactWords = WordSet(
        hashes: [
            "tel", "fone", "telefone", "cel", "celular", "whatsapp", "whats", "zap", "wpp", "phone", "email", "mail",
            "cpf", "rg", "cns", "sus",
        ].map { WordFolding.hash($0) })

    static let sentenceGoesOn = WordSet(
        hashes: [
            "pra", "para", "la", "aqui", "agora", "mas", "que", "q", "eu", "ela", "ele", "porque", "pq", "onde",
            "but", "and", "so", "we", "i", "pero", "y", "donde", "aca", "alla",
        ].map { WordFolding.hash($0) })

    static let addressCopulas = WordSet(hashes: ["e", "eh", "es", "is", "fica", "queda"].map { WordFolding.hash($0) })
    static let demonstratives = WordSet(hashes: ["esse", "este", "esta", "essa", "this"].map { WordFolding.hash($0) })
    static let endWord = WordFolding.hash("end")

    /// The first token of a part of the address written before the one starting at `start`, past a comma: a
    /// complement and its value ("apt 12", "torre B", "unit 3B", "2nd fl") or a neighbourhood or building anchored
    /// by its word ("Vila Cruzeiro", "jardim miriam", "Jd. Helena", "Edificio Torres del Parque").
    func leadingPart(before start: Int) -> Int? {
        // "km 7 da Estrada da Colônia": the kilometre of the road she lives on.
        if start > 2, has(start - 1, .particle), tokens[start].gap.isSpaceOnly, tokens[start - 1].gap.isSpaceOnly,
            !tokens[start - 2].isWord, tokens[start - 2].digits <= 3, tokens[start - 2].gap.isSpaceOnly,
            tokens[start - 3].hash == Self.kmWord, !masked[start - 3], has(start, .streetType)
        {
            return start - 3
        }
        // "Unit 5/42 Beach Rd": the unit and a slash before the house number.
        if start > 1, tokens[start].gap == .slash, !tokens[start].isWord, !tokens[start - 1].isWord,
            tokens[start - 1].digits <= 4, has(start - 2, .addressComplement), !masked[start - 2],
            tokens[start - 1].gap.isSpaceOnly
        {
            return start - 2
        }
        // "piso 8 apto 8-B, …": complements follow one another without a comma too.
        let chained = start > 1 && tokens[start].gap.isSpaceOnly && has(start, .addressComplement)
        // "Vila Madalena, na Rua Harmonia 400": a preposition between the neighbourhood and the street.
        var boundary = start
        if start > 2, tokens[start].gap.isSpaceOnly, tokens[start - 1].isWord,
            Self.streetPrepositions.contains(tokens[start - 1].hash),
            tokens[start - 1].gap.contains(.comma) && tokens[start - 1].gap.subtracting([.comma, .space]) == []
        {
            boundary = start - 1
        }
        // "Vl. Prudente. Rua Ibitirama 1500": a neighbourhood written first, as a sentence of its own.
        let periodBefore = !chained && tokens[boundary].gap == [.period, .space]
        // "moro no jardim das oliveiras rua 12 quadra 7": said without a comma, the neighbourhood's word and the
        // preposition before it must show it (checked below).
        let spoken = !chained && tokens[boundary].gap.isSpaceOnly && has(start, .streetType)
        guard boundary > 1,
            chained || periodBefore || spoken
                || (tokens[boundary].gap.contains(.comma) && tokens[boundary].gap.subtracting([.comma, .space]) == [])
        else { return nil }
        var value = boundary - 1
        guard !masked[value] else { return nil }
        // "unit 3B", "apto 8-B": the letter glued to its number.
        if tokens[value].isWord, length(value) == 1, tokens[value].gap == [] || tokens[value].gap == .hyphen,
            value >= 2, !tokens[value - 1].isWord
        {
            value -= 1
        }
        // "apt 12", "unit 3B", "torre B", "piso 12", "bldg 4 #207".
        let isValue =
            (!tokens[value].isWord && tokens[value].digits <= 5)
            || (tokens[value].isWord && length(value) == 1 && tokens[value].capital)
        if !periodBefore, !spoken, isValue, value >= 1, tokens[value - 1].isWord, !masked[value - 1],
            has(value - 1, .addressComplement),
            tokens[value].gap.subtracting([.space, .period, .other]) == []
        {
            return value - 1
        }
        // "2nd fl", "3º andar".
        if !periodBefore, !spoken, tokens[value].isWord, Self.floorWords.contains(tokens[value].hash), value >= 1,
            !tokens[value - 1].isWord,
            !masked[value - 1],
            tokens[value].gap.isSpaceOnly || ordinalMarkOnly(before: value)
                || tokens[value].gap == []
        {
            return value - 1
        }
        if chained { return nil }
        var look = value
        while look > 0, boundary - look <= 4, tokens[look].isWord, !masked[look],
            tokens[look].capital || has(look, .particle) || !Self.sentenceWords.contains(tokens[look].hash)
        {
            if Self.leadingNeighbourhoodWords.contains(tokens[look].hash) { break }
            let abbreviated =
                look - 1 >= 0 && length(look - 1) <= 3
                && tokens[look].gap.subtracting([.space, .period]) == []
                && Self.leadingNeighbourhoodWords.contains(tokens[look - 1].hash)
            guard tokens[look].gap.isSpaceOnly || abbreviated else { break }
            look -= 1
        }
        if look >= 0, look < value, Self.leadingNeighbourhoodWords.contains(tokens[look].hash), !masked[look],
            tokens[look + 1].isWord, !has(look + 1, .functionWord),
            !spoken
                || (look > 0 && tokens[look].gap.isSpaceOnly && Self.streetPrepositions.contains(tokens[look - 1].hash))
        {
            return look
        }
        // "moro em Cavaleiro, Rua Quarenta e Oito", "Moro no Bugio, Rua H", "moro em Planaltina, Arapoanga, Quadra
        // 10", "nós mora em são caetano rua nova": a name between where she says she lives and her street is her
        // neighbourhood, with no neighbourhood's word before it.
        // (One neighbourhood: "moro em Jaboatão, Sucupira, Rua Dez" leaves the town before it.)
        guard has(start, .streetType) || has(start, .addressComplement) || has(start, .settlementType) else {
            return nil
        }
        return homeNeighbourhood(endingAt: value, spoken: spoken)
    }

    /// The first token of her neighbourhood ending at token `last`, right after "moro em"/"vivo en" or after a town
    /// said there and a comma; nil when the name is a town of 20,000 people or a district of 50,000 ("moro em
    /// Recife, Rua…" says no more of her than the town), or is no name.
    func homeNeighbourhood(endingAt last: Int, spoken: Bool) -> Int? {
        // A word of a place's name, in the case of the run's last word ("Mangabeira IV", "são caetano").
        func nameWord(_ index: Int, capital: Bool) -> Bool {
            index >= 0 && tokens[index].isWord && !masked[index] && tokens[index].capital == capital
                && !Self.sentenceWords.contains(tokens[index].hash) && !has(index, .functionWord)
                && !has(index, .article) && !has(index, .personVerb) && !has(index, .particle)
                && !Self.homePrepositions.contains(tokens[index].hash)
        }
        // Up to four words back from `end`, across a particle between two of them ("Alto do Mateus").
        func run(endingAt end: Int) -> Int? {
            let capital = tokens[end].capital || (end >= 1 && tokens[end - 1].capital && length(end) <= 3)
            guard nameWord(end, capital: tokens[end].capital) else { return nil }
            var first = end
            while end - first < 4, first >= 1, tokens[first].gap.isSpaceOnly {
                let previous = first - 1
                if has(previous, .particle), tokens[previous].gap.isSpaceOnly, nameWord(previous - 1, capital: capital),
                    !livingBefore(previous)
                {
                    first = previous - 1
                } else if nameWord(previous, capital: capital) {
                    first = previous
                } else {
                    break
                }
            }
            return first
        }
        func livingBefore(_ preposition: Int) -> Bool {
            guard preposition >= 1, tokens[preposition].gap.isSpaceOnly else { return false }
            var verb = preposition - 1
            if Self.thereWords.contains(tokens[verb].hash), verb >= 1, tokens[verb].gap.isSpaceOnly { verb -= 1 }
            return has(verb, .livingVerb) && !Self.beingVerbs.contains(tokens[verb].hash)
        }
        func small(_ first: Int, _ end: Int) -> Bool {
            !largeDistrict(from: first, to: end) && !town(from: first, to: end, atLeast: Self.homeTownPopulation)
        }
        // A region is no neighbourhood: "moro na Zona Leste, Rua…", "Moro na Ilha do Marajó, …", "no Centro, …".
        guard let first = run(endingAt: last), first >= 1, small(first, last),
            !Self.regionWords.contains(tokens[first].hash), spoken || tokens[last].capital
        else { return nil }
        var preposition = first - 1
        if Self.spanishArticles.contains(tokens[preposition].hash), preposition >= 1, tokens[first].gap.isSpaceOnly {
            preposition -= 1
        }
        if tokens[first].gap.isSpaceOnly, Self.livingPrepositions.contains(tokens[preposition].hash),
            livingBefore(preposition)
        {
            return first
        }
        // "moro em Planaltina, Arapoanga, Quadra 10": her town, a comma, then her neighbourhood.
        guard !spoken, tokens[first].gap == [.comma, .space], tokens[first - 1].isWord, tokens[first - 1].capital,
            let town = run(endingAt: first - 1), town >= 1, tokens[town].gap.isSpaceOnly,
            Self.livingPrepositions.contains(tokens[town - 1].hash), livingBefore(town - 1)
        else { return nil }
        return first
    }

    /// Whether tokens `first...last` name a Brazilian town of `population` people or more.
    func town(from first: Int, to last: Int, atLeast population: UInt32) -> Bool {
        if first == last { return entry(first).brazilianTownPopulation >= population }
        return lexicon.placeNames[tokens[first].hash]?.contains {
            $0.parts.count == last - first + 1 && matches($0.parts, startingAt: first)
                && $0.brazilianPopulation >= population
        } ?? false
    }

    static let homeTownPopulation: UInt32 = 20_000

    /// Whether a rural address's word (a farm, a settlement, a kilometre) stands in the dozen tokens before `index`.
    func ruralAddress(before index: Int) -> Bool {
        (max(0, index - 12)..<index).contains { Self.ruralWords.contains(tokens[$0].hash) }
    }

    /// A farm's, a rural settlement's or a rural road's word (not a city's housing estate: "conjunto", "cohab").
    static let ruralWords = WordSet(
        hashes: [
            "sitio", "fazenda", "chacara", "granja", "rancho", "estancia", "assentamento", "acampamento", "aldeia",
            "comunidade", "quilombo", "colonia", "linha", "ramal", "vicinal", "povoado", "agrovila", "localidade",
            "vereda", "finca", "chacra", "km", "travessao", "gleba",
        ].map { WordFolding.hash($0) })

    /// Whether a Brazilian town of 20,000 people starts at token `first` and ends the clause ("Coxim", "Eldorado do
    /// Carajás").
    func townEndsRuralAddress(at first: Int) -> Bool {
        if town(from: first, to: first, atLeast: Self.homeTownPopulation),
            first + 1 == tokens.count || tokens[first + 1].gap != .space
        {
            return true
        }
        return lexicon.placeNames[tokens[first].hash]?.contains { place in
            first + place.parts.count <= tokens.count && matches(place.parts, startingAt: first)
                && place.brazilianPopulation >= Self.homeTownPopulation
                && (first + place.parts.count == tokens.count || tokens[first + place.parts.count].gap != .space)
        } ?? false
    }

    /// Whether "no"/"na" at token `particle` opens a river, which places a community without naming it ("Bom Jesus no
    /// rio Arapiuns").
    func riverAfter(_ particle: Int) -> Bool {
        particle + 2 < tokens.count && Self.locatingParticles.contains(tokens[particle].hash)
            && Self.riverWords.contains(tokens[particle + 1].hash) && tokens[particle + 2].capital
    }

    static let riverWords = WordSet(
        hashes: ["rio", "igarape", "furo", "riacho", "corrego", "arroio", "river"].map { WordFolding.hash($0) })
    static let locatingParticles = WordSet(hashes: ["no", "na", "nos", "nas"].map { WordFolding.hash($0) })
    /// Where she lives, not where she is from: "moro em", "moro no", "vivo en" ("mora do lado" is beside her).
    static let livingPrepositions = WordSet(
        hashes: ["no", "na", "num", "numa", "em", "en", "in"].map { WordFolding.hash($0) })
    /// The words of a region's name, which says no more of her than a town: "Zona Leste", "Ilha do Marajó".
    static let regionWords = WordSet(
        hashes: [
            "zona", "ilha", "regiao", "vale", "serra", "rio", "estado", "litoral", "interior", "sertao", "centro",
            "region", "valle", "sierra", "isla", "downtown",
        ].map { WordFolding.hash($0) })

    /// Whether a word saying she lives there stands in the few words before token `index`, in its sentence ("moro
    /// na", "meu endereço é", "I live on", "vivo en la").
    func residenceCue(before index: Int) -> Bool {
        var look = index - 1
        while look >= 0 && index - look <= 5 {
            if tokens[look + 1].gap.contains(.stop) { return false }
            if tokens[look].isWord && Self.residenceWords.contains(tokens[look].hash) { return true }
            look -= 1
        }
        return false
    }

    static let residenceWords = WordSet(
        hashes: [
            "moro", "mora", "moram", "moramos", "morando", "vivo", "vive", "viven", "vivimos", "viviendo", "live",
            "lives", "dire",
            "living", "endereco", "end", "direccion", "domicilio", "address", "resido", "reside", "residencia", "cep",
            "entrega", "visita", "visit", "delivery",
        ].map { WordFolding.hash($0) })

    /// Whether "#" is the last thing before token `index` (spaces aside).
    func hashSignBefore(_ index: Int) -> Bool {
        var b = tokens[index].start - 1
        while b >= 0 && bytes[b] == 0x20 { b -= 1 }
        return b >= 0 && bytes[b] == 0x23
    }

    /// Whether token `index` is a highway code: a state in capitals, a hyphen, three digits ("BR-116", "SP-270").
    func highway(at index: Int) -> Bool {
        // "BR-116", "SP-55"; "BR 364" with a space too.
        index + 1 < tokens.count && tokens[index].isWord && tokens[index].allCaps && length(index) == 2
            && !tokens[index + 1].isWord && tokens[index + 1].digits == 3
            && (tokens[index + 1].gap == .hyphen
                || (tokens[index + 1].gap.isSpaceOnly && tokens[index].hash == Self.brWord))
    }

    static let brWord = WordFolding.hash("br")
    static let kmWord = WordFolding.hash("km")
    static let nameWords = WordSet(hashes: ["nome", "nombre", "name"].map { WordFolding.hash($0) })

    /// The head of an address starting at `index`: its last token, whether it already carries a number, and whether
    /// it is a house described only by directions ("casa amarela depois do posto").
    func addressHead(at index: Int, inTail: Bool) -> (last: Int, numbered: Bool, directionsOnly: Bool)? {
        let token = tokens[index]
        guard !masked[index] else { return nil }
        // "fiquei no alojamento conjunto 2 dias": the maternity's rooming-in ward, not a housing estate.
        if token.hash == Self.conjuntoWord, index > 0, tokens[index - 1].hash == Self.alojamentoWord { return nil }
        // "2ª travessa da rua Bela Vista": an ordinal street off another street.
        // (Lexicon bits first: this is asked of every token.)
        if !inTail, !token.isWord, token.digits <= 2, index + 3 < tokens.count, has(index + 1, .streetType),
            has(index + 3, .streetType), has(index + 2, .particle), ordinalMarkOnly(before: index + 1),
            tokens[index + 2].gap.isSpaceOnly, tokens[index + 3].gap.isSpaceOnly,
            let street = addressHead(at: index + 3, inTail: true)
        {
            return (street.last, street.numbered, false)
        }
        // "numero 45 da rua Maranhão": the house number written before its street.
        if !inTail, token.isWord, index + 3 < tokens.count, has(index + 3, .streetType), has(index + 2, .particle),
            !tokens[index + 1].isWord, Self.houseNumberWords.contains(token.hash), length(index) >= 3,
            tokens[index + 1].digits <= 5, tokens[index + 1].gap.isSpaceOnly, tokens[index + 2].gap.isSpaceOnly,
            tokens[index + 3].gap.isSpaceOnly, let street = addressHead(at: index + 3, inTail: true)
        {
            return (street.last, true, false)
        }
        if !token.isWord {
            // "44 Waverly St", "2231 County Road 14": a number, capitalised words and a street suffix.
            guard token.digits <= 5, index + 1 < tokens.count else { return nil }
            var next = index + 1
            var sawSuffix = -1
            var lowerCase = false
            // Also in lower case and with an ordinal ("4418 w cermak rd", "220 e 14th st", "1311 5th Ave"), up to
            // the first suffix, never across a word of the sentence ("2 hours down the road").
            while next < tokens.count, next <= index + 5,
                tokens[next].gap.isSpaceOnly
                    || (next == index + 2 && Self.compassLetters.contains(tokens[index + 1].hash)
                        && tokens[next].gap.subtracting([.space, .period]) == [])
            {
                if tokens[next].isWord {
                    // After the suffix only another suffix or a capitalised word goes on ("… Maple Grove Rd now").
                    if sawSuffix >= 0 && !tokens[next].capital { break }
                    if next == index + 1 && Self.compassLetters.contains(tokens[next].hash) {
                        next += 1  // "901 e 5th st", "610 W 150th St"
                        continue
                    }
                    if !tokens[next].capital {
                        if Self.sentenceWords.contains(tokens[next].hash)
                            || Self.englishSentenceWords.contains(tokens[next].hash)
                        {
                            break
                        }
                        lowerCase = true
                    }
                    if Self.streetSuffixes.contains(tokens[next].hash) {
                        sawSuffix = next
                        if lowerCase { break }
                    }
                    next += 1
                } else if tokens[next].digits <= 3, next + 1 < tokens.count, tokens[next + 1].isWord,
                    tokens[next + 1].gap == [], Self.ordinalEndings.contains(tokens[next + 1].hash)
                {
                    next += 2
                } else {
                    break
                }
            }
            // "3300 Rue Sherbrooke Est": the type first, then its capitalised name.
            if sawSuffix < 0, index + 2 < tokens.count, tokens[index + 1].gap.isSpaceOnly,
                Self.frenchStreetTypes.contains(tokens[index + 1].hash), tokens[index + 1].capital,
                tokens[index + 2].capital, tokens[index + 2].gap.isSpaceOnly
            {
                var last = index + 2
                while last + 1 < tokens.count, last - index < 5, tokens[last + 1].isWord, tokens[last + 1].capital,
                    tokens[last + 1].gap.isSpaceOnly || tokens[last + 1].gap == .hyphen
                {
                    last += 1
                }
                return (last, true, false)
            }
            // "4400 Broadway Apt 12", "1600 Grand Concourse Apt 4C": capitalised words without a suffix, when an
            // apartment follows them.
            if sawSuffix < 0, !lowerCase, next > index + 2,
                let apartment = (index + 2..<min(next, index + 5)).first(where: {
                    Self.apartmentWords.contains(tokens[$0].hash)
                }),
                (index + 1..<apartment).allSatisfy({ tokens[$0].isWord && tokens[$0].capital }), isValue(apartment + 1)
            {
                return (apartment - 1, true, false)
            }
            guard sawSuffix > index + 1 else { return nil }
            if lowerCase {
                // In lower case the suffix must end the street: a stop, a comma, the end, or a complement after it.
                let after = sawSuffix + 1
                guard
                    after >= tokens.count || tokens[after].gap.contains(.comma) || tokens[after].gap.contains(.stop)
                        || tokens[after].gap.contains(.period) || has(after, .addressComplement)
                        || hashSignBefore(after) || tokens[after].gap.contains(.open)
                else { return nil }
            }
            var last = sawSuffix
            if last + 1 < tokens.count, !tokens[last + 1].isWord, tokens[last + 1].gap.isSpaceOnly { last += 1 }
            // "88 Queen St W", "310 4th Ave N": the compass point after the suffix.
            if last + 1 < tokens.count, tokens[last + 1].isWord, tokens[last + 1].capital,
                tokens[last + 1].gap.isSpaceOnly, Self.trailingCompass.contains(tokens[last + 1].hash),
                last + 2 >= tokens.count || !tokens[last + 2].gap.isSpaceOnly || !tokens[last + 2].capital
            {
                last += 1
            }
            return (last, true, false)
        }
        if highway(at: index) { return (index + 1, true, false) }
        // "PO Box 1187", "Caixa Postal 12".
        // "RR 2 Box 145": a rural route and its box.
        if token.hash == Self.rrWord, token.allCaps, index + 3 < tokens.count, !tokens[index + 1].isWord,
            tokens[index + 2].hash == Self.boxWord, !tokens[index + 3].isWord
        {
            return (index + 3, true, false)
        }
        // "RR 2 Site 5 Box 14": a Canadian rural route, its site and its box.
        if token.hash == Self.rrWord, token.allCaps, index + 5 < tokens.count, !tokens[index + 1].isWord,
            tokens[index + 2].hash == WordFolding.hash("site"), !tokens[index + 3].isWord,
            tokens[index + 4].hash == Self.boxWord, !tokens[index + 5].isWord
        {
            return (index + 5, true, false)
        }
        if (token.hash == Self.poWord && index + 2 < tokens.count && tokens[index + 1].hash == Self.boxWord)
            || (token.hash == Self.caixaWord && index + 2 < tokens.count && tokens[index + 1].hash == Self.postalWord)
        {
            guard !tokens[index + 2].isWord else { return nil }
            return (index + 2, true, false)
        }
        // "Manzana B Lote 12", "mz 4 lt 7", "quadra 12 lote 4", "sector 4, carpa 12": a block and its lot, in any
        // case.
        if has(index, .blockCode) || has(index, .addressComplement), Self.blockWords.contains(token.hash),
            index + 3 < tokens.count, isValue(index + 1),
            tokens[index + 2].isWord, Self.lotWords.contains(tokens[index + 2].hash), isValue(index + 3),
            tokens[index + 2].gap.subtracting([.space, .comma]) == [], tokens[index + 3].gap.isSpaceOnly
        {
            return (index + 3, true, false)
        }
        // "quadra sete lote quatro": the same said aloud.
        if has(index, .blockCode) || has(index, .addressComplement), Self.blockWords.contains(token.hash),
            index + 3 < tokens.count, tokens[index + 1].gap.isSpaceOnly,
            let block = spelledHouseNumber(at: index + 1, afterNumberWord: true), block + 2 < tokens.count,
            tokens[block + 1].isWord, Self.lotWords.contains(tokens[block + 1].hash),
            tokens[block + 1].gap.subtracting([.space, .comma]) == [], tokens[block + 2].gap.isSpaceOnly,
            let lot = spelledHouseNumber(at: block + 2, afterNumberWord: true)
        {
            return (lot, true, false)
        }
        // Brasília's codes and a quadra: "QR 404", "SQS 308", "Quadra 208 Sul".
        if has(index, .blockCode) && (token.allCaps || token.capital || inTail) {
            guard index + 1 < tokens.count, !tokens[index + 1].isWord, tokens[index + 1].gap.isSpaceOnly else {
                return nil
            }
            var last = index + 1
            if last + 1 < tokens.count, tokens[last + 1].gap.isSpaceOnly,
                Self.compassWords.contains(tokens[last + 1].hash)
            {
                last += 1
            }
            return (last, true, false)
        }
        // "casa amarela": a house told by its colour, then directions.
        if token.hash == Self.casaWord, index + 1 < tokens.count, tokens[index + 1].gap.isSpaceOnly,
            Self.colours.contains(tokens[index + 1].hash)
        {
            return (index + 1, false, true)
        }
        // "C/ Alcalá 145", "c/ Mayor 14": Spain's "calle" written with its slash.
        let slashCalle =
            token.hash == Self.cLetter && index + 1 < tokens.count
            && tokens[index + 1].gap.subtracting([.space]) == .slash
            && tokens[index + 1].isWord && tokens[index + 1].capital
        let street = (has(index, .streetType) && !Self.englishStreetHeads.contains(token.hash)) || slashCalle
        let settlement = has(index, .settlementType) || vilaWithHouse(at: index)
        guard street || settlement else {
            return inTail ? nil : streetWithoutType(at: index).map { ($0, true, false) }
        }
        // "Conselho de Saúde de Fazenda Rio Grande", "moro em Vila Velha": a town of 20,000 people or more whose name
        // opens with a settlement's word is the town, unless a street or a house number follows it.
        if settlement, !street,
            let town = lexicon.placeNames[token.hash]?.first(where: {
                $0.town && $0.parts.count >= 2 && $0.population >= Scan.lowerCaseTownMinimumPopulation
                    && matches($0.parts, startingAt: index)
            })
        {
            let after = index + town.parts.count
            let goesOn =
                after < tokens.count && tokens[after].gap.subtracting([.space, .comma]) == []
                && (!tokens[after].isWord || has(after, .streetType) || has(after, .addressComplement))
            if !goesOn { return nil }
        }
        // "R.", "Av.", "Al" and "Tv" are written with a capital: in lower case "al" and "av" are other words.
        let abbreviation = length(index) <= 2 || (index + 1 < tokens.count && tokens[index + 1].gap.contains(.period))
        // In lower case "r" and "av" are other words too, unless a lower-case name and a house number follow
        // ("r joao de barros 45", "av. getulio vargas 1234"): checked below, as for "rua tiradentes 1200".
        let lowerAbbreviation = abbreviation && !token.capital
        if lowerAbbreviation && !street { return nil }
        // Spanish "al" ("me duele al orinar, 28 sem") is never Alameda in lower case.
        if lowerAbbreviation && token.hash == Self.alWord { return nil }
        if settlement && token.hash == WordFolding.hash("linha") && !token.capital { return nil }
        var next = index + 1
        var last = index
        var capitalised = 0
        var lowerWords = 0
        var numbered = false
        // "Conj. Hab.", "ocupação", "comunidade ribeirinha": one qualifier may stand between the type and the name.
        if next < tokens.count, Self.qualifiers.contains(tokens[next].hash),
            tokens[next].gap.subtracting([.space, .period]) == []
        {
            last = next
            next += 1
            // "estrada vicinal km 8": a rural road named by its kind, placed by its kilometre.
            if street, next + 1 < tokens.count, tokens[next].hash == Self.kmWord, tokens[next].gap.isSpaceOnly,
                !tokens[next + 1].isWord, tokens[next + 1].gap.isSpaceOnly
            {
                return (next + 1, true, false)
            }
        }
        while next < tokens.count, next <= index + 9 {
            let candidate = tokens[next]
            let gap = candidate.gap
            let afterAbbreviation = tokens[next - 1].isWord && length(next - 1) <= 4
            // "Rodovia Rio-Santos", "Av. Jacu-Pêssego": a hyphen joins two capitalised parts of the street's name.
            let hyphenated = gap == .hyphen && candidate.isWord && candidate.capital && capitalised > 0
            guard gap.subtracting([.space, .period]) == [] || hyphenated || (slashCalle && next == index + 1),
                !gap.contains(.period) || afterAbbreviation
            else { break }
            guard !masked[next] else { break }
            if candidate.isWord {
                // "ramal do km 22", "estrada do km vinte e dois": a road told by its kilometre.
                if street, candidate.hash == Self.kmWord, next == index + 2, has(index + 1, .particle),
                    next + 1 < tokens.count, tokens[next + 1].gap.isSpaceOnly
                {
                    if !tokens[next + 1].isWord, tokens[next + 1].digits <= 3 { return (next + 1, true, false) }
                    if let spoken = spelledHouseNumber(at: next + 1, afterNumberWord: true) {
                        return (spoken, true, false)
                    }
                }
                // "rua doze quadra sete lote quatro", "avenida três casa dez": a street named by a number said aloud,
                // as "Rua 12" is by its digits, when a complement, a block or a house number follows it.
                if street, last == index, !candidate.capital, gap.isSpaceOnly,
                    let spoken = spelledHouseNumber(at: next, afterNumberWord: true),
                    spoken + 1 < tokens.count, tokens[spoken + 1].isWord,
                    tokens[spoken + 1].gap.subtracting([.space, .comma]) == [],
                    has(spoken + 1, .addressComplement) || Self.blockWords.contains(tokens[spoken + 1].hash)
                        || houseNumberFollows(after: spoken)
                {
                    last = spoken
                    capitalised += 1
                    break
                }
                // "rua três de maio casa vinte": a street named by a date said aloud, when a complement or a house
                // number follows its month.
                if street, last == index, !candidate.capital, gap.isSpaceOnly,
                    let day = spelledHouseNumber(at: next, afterNumberWord: true), day + 3 < tokens.count,
                    has(day + 1, .particle), has(day + 2, .month), tokens[day + 1].gap.isSpaceOnly,
                    tokens[day + 2].gap.isSpaceOnly, tokens[day + 3].gap.subtracting([.space, .comma]) == [],
                    has(day + 3, .addressComplement) || houseNumberFollows(after: day + 2)
                {
                    last = day + 2
                    capitalised += 1
                    break
                }
                // "rua sem nome", "calle sin nombre": a street without a name is named so.
                if Self.withoutWords.contains(candidate.hash), next + 1 < tokens.count,
                    tokens[next + 1].gap.isSpaceOnly, Self.nameWords.contains(tokens[next + 1].hash), last == index
                {
                    last = next + 1
                    capitalised += 1
                    next += 2
                    break
                }
                if highway(at: next) {
                    last = next + 1
                    numbered = true
                    capitalised += 1
                    next += 2
                    break
                }
                if candidate.capital {
                    if has(next, .addressComplement) && capitalised > 0 { break }  // "Rua X Casa 2"
                    capitalised += 1
                } else if capitalised > 0, Self.numberJoiners.contains(candidate.hash), has(next - 1, .tensWord),
                    next + 1 < tokens.count, tokens[next + 1].capital, has(next + 1, .digitWord),
                    tokens[next + 1].gap.isSpaceOnly
                {
                    // "Rua Quarenta e Oito": a number said in the street's name.
                } else if has(next, .particle) && next + 1 < tokens.count
                    && (tokens[next + 1].capital || (!token.capital && tokens[next + 1].isWord)
                        // "Travessão do km 120": a capitalised road told by its kilometre.
                        || (street && next == index + 1 && tokens[next + 1].hash == Self.kmWord))
                    && !riverAfter(next)
                {
                    // "Beco da Alegria", "rua da paz"
                } else if has(next, .particle) && next + 2 < tokens.count
                    && Self.spanishArticles.contains(tokens[next + 1].hash) && tokens[next + 1].gap.isSpaceOnly
                    && tokens[next + 2].capital && tokens[next + 2].gap.isSpaceOnly
                {
                    // "Paseo de la Castellana", "Privada de los Pinos": the article after the particle.
                    last = next + 1
                    next += 2
                    continue
                } else if !token.capital && (street || settlement) && capitalised == 0 && lowerWords < 3
                    && !has(next, .addressComplement) && !has(next, .directionCue) && !has(next, .particle)
                    && !has(next, .streetType)
                    // "rua tiradentes nº 88": the number's word ends the name.
                    && !(Self.houseNumberWords.contains(candidate.hash) && next + 1 < tokens.count
                        && (!tokens[next + 1].isWord || spelledHouseNumber(at: next + 1, afterNumberWord: true) != nil))
                    && spelledHouseNumber(at: next, afterNumberWord: false) == nil
                    // "rua nova s/n": the "s" of "s/n" ends the name.
                    && !(candidate.hash == Self.sWord && next + 1 < tokens.count && tokens[next + 1].gap == .slash)
                {
                    lowerWords += 1  // "rua tiradentes 1200": lower-case names need the number after them
                } else if inTail && settlement && has(next - 1, .particle) && lowerWords < 2 {
                    lowerWords += 1  // "sítio do japonês"
                } else {
                    break
                }
                last = next
                next += 1
                continue
            }
            // A number right after the type names the street ("Rua 14", "Viela 7", "Calle 5"); "Rua 15 de Novembro"
            // keeps its day; after a name, it is the house number.
            // "Rua 1024 qd 47 lt 8" (Goiânia numbers its streets in the thousands): four digits when a block or a
            // complement follows.
            let numberedStreet =
                candidate.digits <= 3
                || (candidate.digits == 4 && next + 1 < tokens.count && tokens[next + 1].gap.isSpaceOnly
                    && (has(next + 1, .addressComplement) || has(next + 1, .blockCode)))
            if last == index && numberedStreet {
                last = next
                next += 1
                // "calle 30A", "Rua 3B": a letter glued to the number is the street's.
                if next < tokens.count, tokens[next].isWord, tokens[next].gap == [], length(next) == 1 {
                    last = next
                    next += 1
                }
                // "rua 7 de setembro 120": a date's month names the street in any case.
                if next < tokens.count, has(next, .particle), next + 1 < tokens.count,
                    tokens[next + 1].capital || (has(next + 1, .month) && length(next + 1) > 3)
                {
                    continue
                }
                // "Calle 10 Norte #4-22", "Carrera 7 Sur 45": the street's side after its number.
                if next < tokens.count, tokens[next].gap.isSpaceOnly, Self.compassWords.contains(tokens[next].hash) {
                    last = next
                }
                capitalised += 1
                break
            }
            break
        }
        if capitalised == 0 && lowerWords == 0 { return nil }
        if lowerAbbreviation {
            // Only a name of one to three words with the house number right after it ("av. dos Autonomistas 4900",
            // "r. 3 n 45").
            // A street named by a number needs the number's word ("al 41 91294-3642" is a phone number).
            let namedByNumber = last == index + 1 && !tokens[last].isWord
            guard capitalised + lowerWords > 0, houseNumberFollows(after: last),
                !namedByNumber || tokens[last + 1].isWord
            else { return nil }
        }
        if capitalised == 0 {
            // Lower-case names count only when a house number follows: "rua tiradentes 1200"; a settlement's also
            // when its street or a complement does ("comunidade são remo rua 3", "loteamento recanto verde quadra F").
            let numberFollows = houseNumberFollows(after: last)
            let partFollows =
                settlement && !lowerAbbreviation && last + 2 < tokens.count && tokens[last + 1].isWord
                && tokens[last + 1].gap.subtracting([.space, .comma]) == []
                && (has(last + 1, .streetType) || has(last + 1, .addressComplement))
                && tokens[last + 2].gap.subtracting([.space, .period]) == []
                && (!tokens[last + 2].isWord || length(last + 2) == 1
                    // "sitio boa esperança, estrada da cachoeira km 23": a street of its own after it.
                    || (has(last + 1, .streetType) && addressHead(at: last + 1, inTail: true) != nil))
            // "estrada da cachoeira km 23": the kilometre is the road's number.
            let kilometreFollows =
                street && last + 2 < tokens.count && tokens[last + 1].hash == Self.kmWord
                && tokens[last + 1].gap.subtracting([.space, .comma]) == [] && !tokens[last + 2].isWord
            guard numberFollows || partFollows || kilometreFollows else {
                return inTail && settlement ? (last, false, false) : nil
            }
        } else if lowerWords > 0 && !token.capital && !inTail {
            // "rua nova Vida"? a lower-case type with mixed names needs its number too.
            guard last + 1 < tokens.count, !tokens[last + 1].isWord else { return nil }
        }
        return (last, numbered, false)
    }

    /// The house number's token when a street is named without its type where she says she lives: "moro na Pedro
    /// Álvares Cabral, é o 230", "moro na Tiradentes 1180", "mi dirección: Los Cedros 455".
    func streetWithoutType(at index: Int) -> Int? {
        // Cheapest first: this is asked of every capitalised word that opens no other address.
        // A small town's name is a street's name too ("moro na Tiradentes, é o 1180"): only a large one is kept.
        guard tokens[index].capital, !has(index, .country), !has(index, .blockCode), !has(index, .addressComplement),
            !has(index, .placePrefix), !isCity(index, index)
        else { return nil }
        let cued =
            index > 0 && (tokens[index].gap.contains(.colon) || has(index - 1, .article)) && residenceCue(before: index)
        var last = index
        while last + 1 < tokens.count, last - index < 4, tokens[last + 1].gap.isSpaceOnly, tokens[last + 1].isWord,
            tokens[last + 1].capital
                || (has(last + 1, .particle) && last + 2 < tokens.count && tokens[last + 2].capital)
        {
            last += 1
        }
        // Without her saying she lives there, a name of two words or more, its number and an apartment or a house
        // right after it ("Teodoro Sampaio 1020 ap 51", "Domingos de Morais 2400 apto 81").
        if !cued {
            let number = last + 1
            guard last > index, number + 2 < tokens.count, !tokens[number].isWord, tokens[number].gap.isSpaceOnly,
                tokens[number].digits >= 2, tokens[number].digits <= 5, tokens[number + 1].isWord,
                Self.lettered.contains(tokens[number + 1].hash), tokens[number + 1].gap.isSpaceOnly,
                isValue(number + 2)
            else { return nil }
            return number
        }
        var number = last + 1
        guard number < tokens.count else { return nil }
        // ", é o 230", ", é o número 2400", ", número 45", " 1180".
        if tokens[number].gap.contains(.comma), tokens[number].isWord, tokens[number].hash == Self.esWord,
            number + 1 < tokens.count, tokens[number + 1].hash == WordFolding.hash("o")
        {
            number += 2
        }
        if number < tokens.count, tokens[number].isWord, Self.houseNumberWords.contains(tokens[number].hash) {
            number += 1
        }
        guard number < tokens.count, number > last + 1 || tokens[number].gap.isSpaceOnly, !tokens[number].isWord,
            tokens[number].digits <= 5, tokens[number].digits >= 2 || number > last + 1,
            tokens[number].gap.subtracting([.space, .comma, .period]) == []
        else { return nil }
        // "moro na Bahia 3 anos": a number with its unit is no house number.
        if number + 1 < tokens.count, tokens[number + 1].isWord, tokens[number + 1].gap.isSpaceOnly,
            Self.unitWords.contains(tokens[number + 1].hash)
        {
            return nil
        }
        return number
    }

    /// The number's token of a house number said in a sentence from `index`: "é o 230", "é o número 2400", "o
    /// numero é 70".
    func saidHouseNumber(at index: Int) -> Int? {
        var next = index
        func word(_ hash: UInt64) -> Bool {
            guard next < tokens.count, tokens[next].isWord, tokens[next].hash == hash,
                next == index
                    || tokens[next].gap.isSpaceOnly
            else { return false }
            next += 1
            return true
        }
        let oWord = WordFolding.hash("o")
        if word(Self.esWord) {
            guard word(oWord) else { return nil }
            if next < tokens.count, tokens[next].isWord, Self.houseNumberWords.contains(tokens[next].hash) { next += 1 }
        } else if word(oWord) {
            guard next < tokens.count, tokens[next].isWord, Self.houseNumberWords.contains(tokens[next].hash) else {
                return nil
            }
            next += 1
            guard word(Self.esWord) else { return nil }
        } else {
            return nil
        }
        guard next < tokens.count, !tokens[next].isWord, tokens[next].digits <= 5,
            tokens[next].gap.subtracting([.space, .other]) == []
        else { return nil }
        return next
    }

    /// The last token of a number said in words from `index` ("cento e vinte", "quarenta e oito", "mil duzentos e
    /// trinta e quatro", "ciento veinte"), when it can be a house number: after its word ("número dois") any number;
    /// standing alone two words at least or a hundred, never a word that is also an article ("um", "uma", "dos").
    func spelledHouseNumber(at index: Int, afterNumberWord: Bool) -> Int? {
        func numberWord(_ index: Int) -> Bool {
            index < tokens.count && tokens[index].isWord && !tokens[index].capital
                && entries[index].facts.intersection([.digitWord, .tensWord, .hundredsWord]) != []
        }
        guard numberWord(index) else { return nil }
        var last = index
        var words = 1
        var next = index + 1
        while next < tokens.count, tokens[next].gap.isSpaceOnly {
            if numberWord(next) {
                last = next
                words += 1
                next += 1
            } else if Self.numberJoiners.contains(tokens[next].hash), next + 1 < tokens.count,
                tokens[next + 1].gap.isSpaceOnly, numberWord(next + 1)
            {
                last = next + 1
                words += 1
                next += 2
            } else {
                break
            }
        }
        if afterNumberWord { return last }
        let hundreds = (index...last).contains { has($0, .hundredsWord) }
        guard words >= 2 || hundreds, !Self.articleNumbers.contains(tokens[index].hash) || words >= 2 else {
            return nil
        }
        return last
    }

    /// Letters that are words of their own ("a", "e", "o", "y"), never a block's letter in lower case.
    static let singleLetterWords = WordSet(hashes: ["a", "e", "o", "y", "u"].map { WordFolding.hash($0) })
    /// Complements whose value may be a letter: "bloco b", "torre c", "casa b".
    static let lettered = WordSet(hashes: ["bloco", "bl", "torre", "casa", "apto", "ap"].map { WordFolding.hash($0) })
    static let spanishArticles = WordSet(hashes: ["la", "las", "los", "el"].map { WordFolding.hash($0) })
    static let numberJoiners = WordSet(hashes: ["e", "y", "and"].map { WordFolding.hash($0) })
    static let articleNumbers = WordSet(
        hashes: ["um", "uma", "dos", "una", "uno", "one", "oh", "once"].map { WordFolding.hash($0) })

    /// A house or a building told by its colour: "casa verde", "prédio azul".
    static let housesByColour = WordSet(hashes: ["casa", "predio", "sobrado"].map { WordFolding.hash($0) })
    static let alWord = WordFolding.hash("al")
    static let apartmentWords = WordSet(
        hashes: ["apt", "apartment", "unit", "suite", "ste", "fl", "floor", "flat"].map { WordFolding.hash($0) })
    /// A block and what stands on it: a lot, or in a shelter a sector and a tent ("sector 4, carpa 12", "setor 2,
    /// barraca 31").
    static let blockWords = WordSet(
        hashes: ["manzana", "mz", "quadra", "qd", "sector", "setor", "modulo"].map { WordFolding.hash($0) })
    static let lotWords = WordSet(
        hashes: ["lote", "lt", "lot", "carpa", "barraca", "tenda", "tent"].map { WordFolding.hash($0) })

    /// Whether token `index` is a complement's value: a number or a single capital letter, after a space.
    func isValue(_ index: Int) -> Bool {
        guard index < tokens.count, tokens[index].gap.subtracting([.space, .period]) == [] else { return false }
        return (!tokens[index].isWord && tokens[index].digits <= 5)
            || (tokens[index].isWord && length(index) == 1 && tokens[index].capital)
    }

    /// Portuguese "é" ("é o 230"), folded.
    static let esWord = WordFolding.hash("e")
    static let unitWords = WordSet(
        hashes: [
            "anos", "ano", "meses", "mes", "semanas", "semana", "dias", "dia", "horas", "hora", "h", "min", "km", "kg",
            "years", "months", "weeks", "days", "hours", "minutos", "minutes", "sem", "sems", "wks", "wk", "ig",
            "anitos", "aninhos",
        ].map { WordFolding.hash($0) })

    /// Whether a house number comes right after token `last`: "1200", ", 45", "nº 88", "n 30", "número 7", "s/n",
    /// "sem número".
    func houseNumberFollows(after last: Int) -> Bool {
        var next = last + 1
        // On the next line, alone or with its word ("rua das palmeiras / 45 / casa 2"): an address a line at a time.
        let onNextLine =
            next < tokens.count && tokens[next].gap.contains(.newline)
            && tokens[next].gap.subtracting([.stop, .newline, .space]) == []
            && (next + 2 >= tokens.count || tokens[next + 2].gap.contains(.newline)
                || (next + 1 < tokens.count && tokens[next + 1].gap.contains(.newline)))
        guard next < tokens.count, onNextLine || tokens[next].gap.subtracting([.space, .comma, .period]) == [] else {
            return false
        }
        if tokens[next].isWord {
            if tokens[next].hash == Self.sWord, next + 1 < tokens.count, tokens[next + 1].gap == .slash {
                return true
            }
            if Self.withoutWords.contains(tokens[next].hash), next + 1 < tokens.count,
                Self.houseNumberWords.contains(tokens[next + 1].hash)
            {
                return true
            }
            if spelledHouseNumber(at: next, afterNumberWord: false) != nil { return true }
            guard Self.houseNumberWords.contains(tokens[next].hash) else { return false }
            next += 1
            guard next < tokens.count, tokens[next].gap.subtracting([.space, .period, .other]) == [] else {
                return false
            }
            if spelledHouseNumber(at: next, afterNumberWord: true) != nil { return true }
        }
        // "num sítio a 2 horas da cidade": a number with its unit is a distance, not a house.
        if next + 1 < tokens.count, tokens[next + 1].isWord,
            tokens[next + 1].gap.isSpaceOnly || tokens[next + 1].gap == [],
            Self.unitWords.contains(tokens[next + 1].hash)
        {
            return false
        }
        return !tokens[next].isWord && tokens[next].digits <= 5
    }

    /// Whether the words from `index` open directions to the door: "perto da igreja", "depois do posto", "do lado
    /// do bar", "a segunda à esquerda", "portão verde".
    func directionStart(_ index: Int) -> Bool {
        guard index < tokens.count, tokens[index].isWord else { return false }
        if has(index, .directionCue) { return true }
        return index + 1 < tokens.count && tokens[index + 1].gap.isSpaceOnly && has(index + 1, .directionCue)
            && (length(index) <= 3 || Self.directionAdverbs.contains(tokens[index].hash))
    }

    /// The last word of a description of her house from token `index`, by which it is found: a dwelling, its door or
    /// its wall with a colour or what it has ("a casa do portão azul", "muro rosa", "the house with the red door",
    /// "the trailer with the ramp", "casa esquinera de color verde"); nil when none starts there. It ends at the
    /// next comma or stop, or where the sentence goes on ("…, a casa é rosa e o bebê…" is no description).
    func houseDescription(at index: Int) -> Int? {
        guard index < tokens.count, tokens[index].isWord else { return nil }
        var noun = index
        if Self.houseArticles.contains(tokens[index].hash), index + 1 < tokens.count, tokens[index + 1].gap.isSpaceOnly
        {
            noun = index + 1
        }
        guard noun < tokens.count, tokens[noun].isWord, Self.dwellingWords.contains(tokens[noun].hash) else {
            return nil
        }
        var described = false
        var last = noun
        var next = noun + 1
        while next < tokens.count, next <= noun + 6, tokens[next].gap.isSpaceOnly, tokens[next].isWord,
            !Self.describingStops.contains(tokens[next].hash)
        {
            if Self.colours.contains(tokens[next].hash) || Self.houseMarks.contains(tokens[next].hash)
                || Self.withWords.contains(tokens[next].hash)
                || has(next, .directionCue) || (next > noun + 1 && Self.dwellingWords.contains(tokens[next].hash))
            {
                described = true
            }
            last = next
            next += 1
        }
        guard described else { return nil }
        // The description ends the phrase: a comma, a stop or the end after it, never the sentence going on.
        return next == tokens.count || !tokens[next].gap.isSpaceOnly ? last : nil
    }

    /// The last token of two cross streets from token `index` ("entre 5 y 6", "entre L y M", "entre Dr. Río de la
    /// Loza y Dr. Niños Héroes", "between 3rd and 4th"): "entre" or "between", one to five words or numbers, "y", "e",
    /// "and" or "&", and one to five more; nil when none starts there.
    func crossStreets(at index: Int) -> Int? {
        guard index + 3 < tokens.count, tokens[index].isWord, Self.betweenWords.contains(tokens[index].hash) else {
            return nil
        }
        func street(from first: Int) -> Int? {
            var last = first - 1
            var next = first
            while next < tokens.count, next - first < 5,
                next == first ? tokens[next].gap.isSpaceOnly : tokens[next].gap.subtracting([.space, .period]) == [],
                !tokens[next].isWord || tokens[next].capital || length(next) <= 2 || has(next, .particle)
                    || has(next, .streetType) || Self.ordinalEndings.contains(tokens[next].hash),
                !Self.crossJoiners.contains(tokens[next].hash) || next == first
            {
                last = next
                next += 1
            }
            return last >= first ? last : nil
        }
        guard let firstStreet = street(from: index + 1), firstStreet + 2 < tokens.count,
            Self.crossJoiners.contains(tokens[firstStreet + 1].hash), tokens[firstStreet + 1].gap.isSpaceOnly,
            let secondStreet = street(from: firstStreet + 2)
        else { return nil }
        return secondStreet
    }

    static let betweenWords = WordSet(hashes: ["entre", "between", "btwn"].map { WordFolding.hash($0) })
    static let crossJoiners = WordSet(hashes: ["y", "e", "and"].map { WordFolding.hash($0) })

    static let houseArticles = WordSet(
        hashes: ["a", "o", "the", "la", "el", "es", "its", "it's", "uma", "una", "um", "un"].map {
            WordFolding.hash($0)
        })
    static let dwellingWords = WordSet(
        hashes: [
            "casa", "house", "trailer", "home", "predio", "edificio", "building", "porta", "door", "muro", "wall",
            "portao", "gate", "one", "sobrado", "barraco", "puerta", "porton", "reja", "fachada", "cerca", "fence",
            "mobile", "cabin", "kitnet", "kitinete",
        ].map { WordFolding.hash($0) })
    /// What tells a house besides the colours of `colours`: more colours in English and Spanish, a corner, its wood.
    static let houseMarks = WordSet(
        hashes: [
            "pink", "purple", "grey", "gray", "black", "brown", "orange", "tan", "roja", "rojo", "blanca", "blanco",
            "amarilla", "amarillo", "morada", "morado", "celeste", "negra", "negro", "gris", "esquina", "esquinera",
            "madeira", "wood", "wooden", "madera",
        ].map { WordFolding.hash($0) })
    static let withWords = WordSet(hashes: ["with", "w", "com", "con", "without"].map { WordFolding.hash($0) })
    /// Words after which a description of her house has become a sentence ("a casa é rosa e…").
    static let describingStops = WordSet(
        hashes: [
            "e", "eh", "and", "is", "tem", "has", "but", "mas", "pero", "y", "ta", "esta", "fica", "so", "lol", "que",
            "eu", "pra", "onde", "mora", "moro", "we", "i", "pode", "vem", "liga", "manda", "can", "will", "please",
            "pls", "thanks", "obrigada", "obrigado", "gracias", "vivo", "vive", "live", "lives", "aqui", "here",
        ].map { WordFolding.hash($0) })

    /// Adverbs before the way to the door: "just past the grain elevator", "right behind", "bem perto", "logo depois".
    static let directionAdverbs = WordSet(
        hashes: ["just", "right", "bem", "logo", "justo", "bien", "mais", "pouco"].map { WordFolding.hash($0) })

    /// Whether the capitalised words from `first` to `last` are a city of 100,000 people or more, a state or a
    /// country: where an address stops. A district of a Brazilian city (Itaquera, Copacabana) is none.
    func isCity(_ first: Int, _ last: Int) -> Bool {
        if first == last {
            let word = entry(first)
            return word.facts.contains(.country) || localTownPopulation(first) >= 100_000
        }
        guard let places = lexicon.placeNames[tokens[first].hash] else { return false }
        return places.contains { place in
            place.parts.count == last - first + 1 && localTownPopulation(place) >= 100_000
                && place.parts.enumerated().allSatisfy { tokens[first + $0.offset].hash == $0.element }
        }
    }

    /// Whether the place from `first` to `last` is rather a district of a large Brazilian city than a town: GeoNames
    /// counts at least half as many people in the district as in the municipality of that name (São Paulo's Santana
    /// against Santana, Amapá; Cachoeirinha), so after her street and number it is her neighbourhood. Campinas and
    /// Belém, towns of a million with small districts of their name elsewhere, stay towns.
    func districtRatherThanTown(_ first: Int, _ last: Int) -> Bool {
        // A message may read as more than one language ("I am on 560 Elm St" is English and Portuguese to the word
        // lists): each language's evidence counts.
        if englishDistrictCloses(first, last) { return true }
        guard languages.contains(.portuguese) else { return false }
        func outweighs(district: UInt32, town: UInt32) -> Bool { district > 0 && 2 * UInt64(district) >= UInt64(town) }
        if first == last {
            let word = entry(first)
            return outweighs(district: word.districtPopulation, town: word.brazilianTownPopulation)
        }
        return lexicon.placeNames[tokens[first].hash]?.contains { place in
            place.parts.count == last - first + 1 && matches(place.parts, startingAt: first)
                && outweighs(district: place.districtPopulation, town: place.brazilianPopulation)
        } ?? false
    }

    /// Whether the words from `first` to `last` name a district of a large English-speaking city (`suburbs.tsv`:
    /// Harlem, Hollywood, Sunnyside, Bondi) and close the address: the end, a stop or a period, a dash, or a comma
    /// before a state's code, a postcode or a town ("…, East Harlem.", "…, Sunnyside, NY 11104"). "…, Newark NJ"
    /// names the town by its state, and "…, Hollywood and…" goes on with the sentence: neither is taken.
    func englishDistrictCloses(_ first: Int, _ last: Int) -> Bool {
        guard languages.contains(.english),
            lexicon.suburbs[tokens[first].hash]?.contains(where: {
                $0.count == last - first + 1 && matches($0, startingAt: first)
            }) ?? false
        else { return false }
        let after = last + 1
        guard after < tokens.count else { return true }
        let gap = tokens[after].gap
        if gap.contains(.stop) || gap.contains(.period) || gap.contains(.dash) { return true }
        guard gap.contains(.comma) else { return false }
        return !tokens[after].isWord || tokens[after].allCaps || cityFollows(after: last)
    }

    /// The population of the town named by token `index` where her address can be: in a Portuguese message a
    /// Brazilian municipality, in a Spanish one also a Spanish-speaking country's city (Palermo after "Av.
    /// Libertador 1200" is Buenos Aires' neighbourhood, not Sicily's city), in English or an unknown language any.
    func localTownPopulation(_ index: Int) -> UInt32 {
        let word = entry(index)
        switch languages {
        case [.portuguese]: return word.brazilianTownPopulation
        case [.portuguese, .spanish]: return max(word.brazilianTownPopulation, word.hispanicTownPopulation)
        default: return word.townPopulation
        }
    }

    /// The population of a town of several words where her address can be (see `localTownPopulation(_:)`).
    func localTownPopulation(_ place: PlaceName) -> UInt32 {
        switch languages {
        case [.portuguese]: return place.brazilianPopulation
        case [.portuguese, .spanish]: return max(place.brazilianPopulation, place.hispanicPopulation)
        default: return place.town ? place.population : 0
        }
    }

    /// The last of the capitalised words joined by spaces from `first` (four at most).
    func capitalisedRun(from first: Int) -> Int {
        var last = first
        while last + 1 < tokens.count, last - first < 3, tokens[last + 1].gap.isSpaceOnly, tokens[last + 1].isWord,
            tokens[last + 1].capital
        {
            last += 1
        }
        return last
    }

    /// Whether a large town (or a country) opens the segment after token `last`, past a comma or a dash.
    func cityFollows(after last: Int) -> Bool {
        let first = last + 1
        guard first < tokens.count, tokens[first].isWord, tokens[first].capital,
            tokens[first].gap.contains(.comma) || tokens[first].gap.contains(.dash)
        else { return false }
        // "Palermo, CABA", "Serra, BH", "Copacabana, Rio": a large town by its abbreviation or its nickname.
        if Self.cityAbbreviations.contains(tokens[first].hash), tokens[first].allCaps {
            return true
        }
        if townNickname(at: first) { return true }
        var end = first
        while end + 1 < tokens.count, end - first < 3, tokens[end + 1].gap.isSpaceOnly, tokens[end + 1].isWord {
            end += 1
        }
        return (first...end).contains { isCity(first, $0) }
    }

    /// Whether the capitalised name from `first` is known as no town anywhere and ends the address (the end, a stop,
    /// or a comma before a state's code): after an English address it is her neighbourhood, not the town. A name of
    /// two or three words ("Bed-Stuy", "Little Havana") is taken when none of its words is a town, a country or a
    /// pronoun; one word only when the gazetteer knows it as a place and not as a town (the lexicon holds no English
    /// dictionary, and "…, Apt 2, Thanks!" must keep its thanks).
    func placeUnknownAsTown(from first: Int) -> Bool {
        var last = first
        while last + 1 < tokens.count, last - first < 2, tokens[last + 1].isWord, tokens[last + 1].capital,
            tokens[last + 1].gap.isSpaceOnly || tokens[last + 1].gap == .hyphen
        {
            last += 1
        }
        for index in first...last {
            let word = entry(index)
            guard !tokens[index].allCaps, word.townPopulation == 0, !word.facts.contains(.country),
                !word.facts.contains(.functionWord), length(index) >= 3
            else { return false }
        }
        if last == first && entry(first).placePopulation == 0 { return false }
        if let places = lexicon.placeNames[tokens[first].hash], places.contains(where: { $0.town }) { return false }
        let after = last + 1
        guard after < tokens.count else { return true }
        let gap = tokens[after].gap
        if gap.contains(.stop) || gap.contains(.period) { return true }
        // "…, Sunnyside, NY 11104": a state's code after it.
        return gap.contains(.comma) && tokens[after].allCaps && length(after) == 2
    }

    /// Whether token `index` is a large town's short name alone in its segment ("…, Rio.", "…, Floripa").
    func townNickname(at index: Int) -> Bool {
        Self.townNicknames.contains(tokens[index].hash)
            && (index + 1 == tokens.count || !tokens[index + 1].gap.isSpaceOnly)
    }

    /// Large towns by the short name people use, alone in their segment ("…, Rio.", "…, Floripa").
    static let townNicknames = WordSet(
        hashes: ["rio", "sampa", "floripa", "beaga", "poa", "bsb"].map { WordFolding.hash($0) })
    /// Large towns written by their abbreviation (in capitals): Belo Horizonte, Buenos Aires, Mexico City, Porto
    /// Alegre, Brasília, New York.
    static let cityAbbreviations = WordSet(
        hashes: ["bh", "caba", "cdmx", "poa", "bsb", "nyc"].map { WordFolding.hash($0) })

    /// The last token of the address whose head ends at `head`, whether the address stands (a head of directions
    /// only needs at least one), and whether the tail holds more than directions (a number, a complement, a
    /// neighbourhood or another street).
    func addressTail(after head: Int, numbered: Bool, needsDirections: Bool, english: Bool) -> (Int, Bool, Bool) {
        var end = head
        var cursor = head + 1
        var hasNumber = numbered
        var hasComplement = false
        var neighbourhood = false
        var nestedStreet = false
        var directions = 0
        let lowerCase = !tokens[head].capital
        while cursor < tokens.count, !masked[cursor] {
            let gap = tokens[cursor].gap
            // "casa 3 (portão de madeira)", "Unit 2 (side door, blue porch)": a note in brackets after a part of the
            // address belongs to it, up to its closing bracket.
            if gap.contains(.open), hasNumber || hasComplement, !gap.contains(.stop) {
                // The bracket closes where a ")" or a "]" stands ("(Bº Uberaba)": the ordinal mark is no bracket).
                func closes(_ index: Int) -> Bool {
                    tokens[index].gap.contains(.other)
                        && bytes[tokens[index - 1].end..<tokens[index].start].contains { $0 == 0x29 || $0 == 0x5D }
                }
                var close = cursor + 1
                while close < tokens.count, close - cursor <= 14, !closes(close),
                    !tokens[close].gap.contains(.stop), !masked[close]
                {
                    close += 1
                }
                if close - cursor <= 14, close < tokens.count, closes(close) {
                    end = close - 1
                    cursor = close
                    continue
                }
            }
            let afterAbbreviation = tokens[cursor - 1].isWord && length(cursor - 1) <= 3
            // An address answered in pieces, a line each ("rua das palmeiras / 45 / casa 2 / jd america").
            let lineBreak =
                gap.contains(.newline) && gap.subtracting([.stop, .newline, .space]) == []
                && lineContinuesAddress(from: cursor, numbered: hasNumber)
            guard !gap.contains(.stop) || lineBreak, !gap.contains(.semicolon), !gap.contains(.colon),
                !gap.contains(.period) || afterAbbreviation || (!tokens[cursor].isWord && !tokens[cursor - 1].isWord)
                    // "…, 1049. Bloco 1, apto 23": a complement with its number after the house number's period.
                    || (hasNumber && !tokens[cursor - 1].isWord && tokens[cursor].capital
                        && has(cursor, .addressComplement) && cursor + 1 < tokens.count
                        && !tokens[cursor + 1].isWord && tokens[cursor + 1].gap.isSpaceOnly),
                lineBreak || gap.subtracting([.space, .comma, .dash, .hyphen, .period, .other, .slash]) == []
            else { break }
            let afterComma = gap.contains(.comma) || gap.contains(.dash) || lineBreak
            // ", rio Negro": the river she lives by ends it. (A town of 20,000 people after a comma does not: "Boa
            // Viagem", "Marco", "Cajazeiras" are neighbourhoods of large cities as often; tried in session 26.)
            if afterComma, tokens[cursor].isWord, Self.riverWords.contains(tokens[cursor].hash),
                cursor + 1 < tokens.count, tokens[cursor + 1].capital, tokens[cursor + 1].gap.isSpaceOnly
            {
                break
            }
            // "comunidade Bom Jesus no rio Arapiuns": so does "no rio" after it.
            if riverAfter(cursor) { break }
            // "fazenda Santa Maria, estrada do Taquari km 38, Coxim": after a rural address, a town of 20,000 people
            // is her town (in a city's address the same name is as often a neighbourhood: "Boa Viagem").
            if afterComma, tokens[cursor].capital, ruralAddress(before: cursor), townEndsRuralAddress(at: cursor) {
                break
            }
            // "Travessão do km 120 da Transamazônica", "ramal do km 8 da BR-163": the road its kilometre is on ("km 23
            // da Estrada do Pau Grande" is a second street, found below).
            if end == cursor - 1, cursor >= 2, tokens[cursor - 2].hash == Self.kmWord, !tokens[cursor - 1].isWord,
                has(cursor, .particle), gap.isSpaceOnly, cursor + 1 < tokens.count, tokens[cursor + 1].gap.isSpaceOnly,
                !masked[cursor + 1], !has(cursor + 1, .streetType),
                highway(at: cursor + 1) || (tokens[cursor + 1].capital && !isCity(cursor + 1, cursor + 1))
            {
                end = highway(at: cursor + 1) ? cursor + 2 : capitalisedRun(from: cursor + 1)
                cursor = end + 1
                hasNumber = true
                continue
            }
            // "…, município de Picos", "cidade de Tefé", "municipio de Arauca": the town, by its word, ends it.
            // Capitalised, "Cidade de Deus" is a neighbourhood's name.
            if tokens[cursor].isWord, Self.townWords.contains(tokens[cursor].hash),
                !tokens[cursor].capital || tokens[cursor].hash == Self.municipioWord, cursor + 1 < tokens.count,
                tokens[cursor + 1].gap.isSpaceOnly, Self.townLinks.contains(tokens[cursor + 1].hash)
            {
                break
            }
            // "Bº Industrial", "B. Santa Mônica", "(Bº Uberaba)": the bairro by its abbreviation, with its name.
            if !neighbourhood, hasNumber || hasComplement, let named = abbreviatedBairro(at: cursor) {
                neighbourhood = true
                end = named
                cursor = named + 1
                continue
            }
            // The house number: "245", "nº 40", "número 1.022", "s/n".
            // "nº 40" after a street named by a number ("Rua Projetada 3, nº 40") is the house number still.
            let numberWord =
                tokens[cursor].isWord && Self.houseNumberWords.contains(tokens[cursor].hash)
                && cursor + 1 < tokens.count
                && (!tokens[cursor + 1].isWord || spelledHouseNumber(at: cursor + 1, afterNumberWord: true) != nil)
            // ", é o número 2400", ", o numero é 70", ", é o 230": the house number said in a sentence.
            if !hasNumber, afterComma, let said = saidHouseNumber(at: cursor) {
                hasNumber = true
                end = said
                cursor = said + 1
                continue
            }
            if !hasNumber || numberWord {
                var number = cursor
                if tokens[number].isWord, Self.houseNumberWords.contains(tokens[number].hash),
                    number + 1 < tokens.count,
                    !tokens[number + 1].isWord
                {
                    number += 1
                }
                // "número cento e vinte", "quarenta e oito": the house number in words (a voice message).
                let spelled =
                    numberWord
                    ? spelledHouseNumber(at: cursor + 1, afterNumberWord: true)
                    : spelledHouseNumber(at: cursor, afterNumberWord: false)
                if let spelled, tokens[cursor + (numberWord ? 1 : 0)].gap.subtracting([.space, .period]) == [] {
                    hasNumber = true
                    end = spelled
                    cursor = spelled + 1
                    continue
                }
                // "aldeia Lagoa Quieta, 28 sem, PA 90x60": a number with its unit is her weeks or her age, no
                // house number ("Rodovia SP-55 km 120" keeps its kilometre).
                let counted =
                    number + 1 < tokens.count && tokens[number + 1].isWord && tokens[number + 1].gap.isSpaceOnly
                    && Self.ageUnits.contains(tokens[number + 1].hash)
                if !tokens[number].isWord, tokens[number].digits <= 5, !counted {
                    var last = number
                    if last + 1 < tokens.count, tokens[last + 1].gap == .period, tokens[last + 1].digits == 3 {
                        last += 1  // "1.022"
                    } else if last + 1 < tokens.count, !tokens[last + 1].isWord, tokens[last + 1].gap == .hyphen,
                        hashSignBefore(number) || number > cursor
                    {
                        last += 1  // "# 26-85", "N° 23-45"
                    } else if last + 1 < tokens.count, tokens[last + 1].isWord, tokens[last + 1].gap == .hyphen,
                        length(last + 1) == 1
                    {
                        last += 1  // "400-B"
                    }
                    // "nº 18 A", "12 B": a letter after the house number is part of it.
                    if last + 1 < tokens.count, tokens[last + 1].isWord, tokens[last + 1].capital,
                        length(last + 1) == 1, tokens[last + 1].gap.isSpaceOnly || tokens[last + 1].gap == []
                    {
                        last += 1
                    }
                    hasNumber = true
                    end = last
                    cursor = last + 1
                    continue
                }
                // "sem número", "sin número", "sin numero": no number is its number.
                if Self.withoutWords.contains(tokens[cursor].hash), cursor + 1 < tokens.count,
                    tokens[cursor + 1].gap.isSpaceOnly, Self.houseNumberWords.contains(tokens[cursor + 1].hash)
                {
                    hasNumber = true
                    end = cursor + 1
                    cursor += 2
                    continue
                }
                if tokens[cursor].hash == Self.sWord, cursor + 1 < tokens.count, tokens[cursor + 1].gap == .slash,
                    tokens[cursor + 1].hash == WordFolding.hash("n")
                {
                    hasNumber = true
                    end = cursor + 1
                    cursor += 2
                    continue
                }
            }
            // "2nd floor", "2º andar", "3er piso": a floor by its ordinal.
            if !tokens[cursor].isWord, hasNumber || hasComplement {
                var word = cursor + 1
                if word < tokens.count, tokens[word].isWord, tokens[word].gap == [] || tokens[word].gap == .other,
                    length(word) <= 2
                {
                    word += 1
                }
                if word < tokens.count, tokens[word].isWord,
                    tokens[word].gap.isSpaceOnly || (word == cursor + 1 && ordinalMarkOnly(before: word)),
                    Self.floorWords.contains(tokens[word].hash)
                {
                    hasComplement = true
                    end = word
                    cursor = word + 1
                    continue
                }
                // "3º B", "5° C", "2º izq": a Spanish floor and its door.
                let door = cursor + 1
                if door < tokens.count, tokens[door].isWord, ordinalMarkOnly(before: door),
                    (length(door) == 1 && tokens[door].capital) || Self.complementsAlone.contains(tokens[door].hash)
                {
                    hasComplement = true
                    end = door
                    cursor = door + 1
                    continue
                }
            }
            // "Calle 45 # 12-30", "Cra 45 #26-85": the Colombian house number after its sign.
            if !tokens[cursor].isWord, gap.contains(.other), hashSignBefore(cursor) {
                var last = cursor
                if last + 1 < tokens.count, !tokens[last + 1].isWord, tokens[last + 1].gap == .hyphen { last += 1 }
                // "#3R", "#207B": the door's letter glued to its number.
                if last + 1 < tokens.count, tokens[last + 1].isWord, tokens[last + 1].gap == [], length(last + 1) == 1 {
                    last += 1
                }
                hasNumber = true
                end = last
                cursor = last + 1
                continue
            }
            // ", zona rural", "zona norte": the zone belongs to the address.
            if tokens[cursor].isWord, tokens[cursor].hash == Self.zonaWord, cursor + 1 < tokens.count,
                tokens[cursor + 1].gap.isSpaceOnly,
                Self.zoneKinds.contains(tokens[cursor + 1].hash) || Self.compassWords.contains(tokens[cursor + 1].hash)
            {
                hasComplement = true
                end = cursor + 1
                cursor += 2
                continue
            }
            // A complement and its value: "apto 804", "bloco B", "Qd 9", "Lt 22", "km 412", "casa dos fundos",
            // "barraco 17", "casa 12-34".
            if tokens[cursor].isWord, has(cursor, .addressComplement) || tokens[cursor].hash == Self.barraco {
                var last = cursor
                if has(cursor, .particle) == false, cursor + 1 < tokens.count,
                    tokens[cursor + 1].gap.subtracting([.space, .period]) == []
                {
                    let value = cursor + 1
                    if let spelled = spelledHouseNumber(at: value, afterNumberWord: true),
                        !Self.articleNumbers.contains(tokens[value].hash) || spelled > value
                    {
                        last = spelled  // "apartamento quarenta e dois"
                    } else if tokens[value].isWord, Self.houseNumberWords.contains(tokens[value].hash),
                        length(value) >= 2, isValue(value + 1)
                    {
                        last = value + 1  // "casa nro 14", "casa nº 3"
                    } else if Self.withoutWords.contains(tokens[value].hash), value + 1 < tokens.count,
                        tokens[value + 1].gap.isSpaceOnly, Self.houseNumberWords.contains(tokens[value + 1].hash)
                    {
                        last = value + 1  // "casa sin número", "casa sem número"
                    } else if lowerCase, tokens[value].isWord, length(value) == 1, !tokens[value].capital,
                        !Self.singleLetterWords.contains(tokens[value].hash),
                        Self.lettered.contains(tokens[cursor].hash)
                    {
                        last = value  // "bloco b", "torre c" in a lower-case address
                    } else if !tokens[value].isWord {
                        last = value
                        if last + 1 < tokens.count, tokens[last + 1].gap == .hyphen,
                            !tokens[last + 1].isWord || length(last + 1) == 1
                        {
                            last += 1  // "12-34", "3-B"
                        }
                        // "Apt 3B", "casa 12A": a letter glued to the number.
                        if last + 1 < tokens.count, tokens[last + 1].isWord, tokens[last + 1].gap == [],
                            length(last + 1) == 1
                        {
                            last += 1
                        }
                    } else if length(value) == 1 && tokens[value].capital {
                        last = value  // "bloco B"
                    } else if tokens[value].capital
                        || (lowerCase && Self.namedComplements.contains(tokens[cursor].hash)),
                        tokens[value].isWord, !has(value, .streetType), !isCity(value, value)
                    {
                        // "bloco Margarida", "Edifício Solar das Palmeiras", "cond. Vivendas": the building's name.
                        let lowerName = !tokens[value].capital
                        last = value
                        while last + 1 < tokens.count, last - value < 3, tokens[last + 1].gap.isSpaceOnly,
                            tokens[last + 1].isWord,
                            tokens[last + 1].capital
                                || (has(last + 1, .particle) && last + 2 < tokens.count && tokens[last + 2].capital)
                                || (lowerName && !Self.sentenceWords.contains(tokens[last + 1].hash)
                                    && !Self.describingStops.contains(tokens[last + 1].hash)
                                    && !has(last + 1, .directionCue) && !has(last + 1, .addressComplement))
                        {
                            last += 1
                        }
                        if lowerName ? has(last, .particle) : !tokens[last].capital { last -= 1 }
                    } else if has(value, .particle), value + 1 < tokens.count, has(value + 1, .addressComplement) {
                        last = value + 1  // "casa dos fundos"
                    }
                }
                // "fundos da casa amarela", "casa verde": the colour that tells the house.
                if last + 1 < tokens.count, tokens[last + 1].gap.isSpaceOnly,
                    Self.colours.contains(tokens[last + 1].hash),
                    last > cursor || Self.housesByColour.contains(tokens[cursor].hash)
                {
                    last += 1
                }
                // "casa perto da escola", "casa sin número": the house, then how to find it.
                let directionsAfter =
                    last == cursor && tokens[cursor].hash == Self.casaWord && cursor + 1 < tokens.count
                    && tokens[cursor + 1].gap.isSpaceOnly && directionStart(cursor + 1)
                // "frente a la iglesia" tells the way; "fundos", "frente" alone are the house's side.
                let standsAlone =
                    Self.complementsAlone.contains(tokens[cursor].hash)
                    && !(cursor + 1 < tokens.count && tokens[cursor + 1].gap.isSpaceOnly
                        && Self.directionLinks.contains(tokens[cursor + 1].hash))
                if last > cursor || standsAlone || directionsAfter {
                    hasComplement = true
                    end = last
                    cursor = last + 1
                    continue
                }
            }
            // A second street or settlement: ", Rua 14", "km 23 da Estrada do Pau Grande", "con Avenida Bolívar",
            // ", sítio do japonês", ", Conjunto Nova Vida".
            var nested = cursor
            if tokens[nested].isWord, has(nested, .particle) || Self.streetJoiners.contains(tokens[nested].hash),
                nested + 1 < tokens.count, tokens[nested + 1].gap.isSpaceOnly
            {
                nested += 1
                // "esquina da Rua Amazonas com a Av. Brasil": an article between the joiner and the street.
                if has(nested, .article), nested + 1 < tokens.count, tokens[nested + 1].gap.isSpaceOnly,
                    has(nested + 1, .streetType)
                {
                    nested += 1
                }
            }
            if let second = addressHead(at: nested, inTail: true) {
                end = second.last
                cursor = second.last + 1
                nestedStreet = true
                hasNumber = hasNumber || second.numbered
                continue
            }
            // The neighbourhood: "bairro Cidade Alta", "barrio Caimbé", "Jardim Ângela", "na Vila São Jorge", or one
            // capitalised place after a comma (or right after the number) that is no large city ("Centro",
            // "República", "Paraisópolis").
            var first = cursor
            if tokens[first].isWord, [WordFolding.hash("na"), WordFolding.hash("no")].contains(tokens[first].hash),
                first + 1 < tokens.count, has(first + 1, .placePrefix)
            {
                first += 1
            }
            if !neighbourhood, tokens[first].isWord,
                Self.neighbourhoodWords.contains(tokens[first].hash) || has(first, .placePrefix)
                    // "… apto 304 bloco B Vieiralves", "… casa 3 Brooklin Paulista": right after the number or a
                    // complement's value, without a comma, too.
                    || ((afterComma || (gap.isSpaceOnly && end == cursor - 1)) && !english && tokens[first].capital
                        && (hasNumber || hasComplement))
                    // "58 Maple St, Apt 2, Dorchester, Boston MA": in English the part after a comma is the town,
                    // unless a town follows it.
                    || (english && afterComma && tokens[first].capital && (hasNumber || hasComplement)
                        && (cityFollows(after: capitalisedRun(from: first))
                            // "Hamilton Heights", "Echo Park", "East Harlem": a district by its word.
                            || (capitalisedRun(from: first) > first
                                && (Self.englishNeighbourhoodEnds.contains(tokens[capitalisedRun(from: first)].hash)
                                    || Self.compassNames.contains(tokens[first].hash)))
                            || (capitalisedRun(from: first) + 1 < tokens.count
                                && tokens[capitalisedRun(from: first) + 1].gap.contains(.comma)
                                && directionStart(capitalisedRun(from: first) + 1))
                            || placeUnknownAsTown(from: first)
                            || (first...capitalisedRun(from: first)).contains { englishDistrictCloses(first, $0) }))
            {
                var last = first
                var words = 0
                var next = first
                let bareStart = !(Self.neighbourhoodWords.contains(tokens[first].hash) || has(first, .placePrefix))
                if Self.neighbourhoodWords.contains(tokens[first].hash) || has(first, .placePrefix) {
                    next = first + 1
                    if next < tokens.count, tokens[next].hash == WordFolding.hash("rural") { next += 1 }
                }
                // "Jd. São Luís", "Pq. Industrial": an abbreviated neighbourhood word keeps its period.
                func joined(_ next: Int) -> Bool {
                    // "Bed-Stuy", "Vila Sônia-Leste": a hyphen joins two capitalised parts of one name.
                    tokens[next].gap.isSpaceOnly || (tokens[next].gap == .hyphen && tokens[next].capital)
                        || (next == first + 1 && !bareStart && length(first) <= 3
                            && tokens[next].gap.subtracting([.space, .period]) == [])
                }
                while next < tokens.count, next == first || joined(next), words < 4 {
                    // After "vila", "jd", "bairro" the name may be in lower case whatever the street's case
                    // ("Rua Wenceslau Brás 77 casa 9 vila industrial"), but not a word of the sentence going on.
                    let lowerName =
                        !bareStart && next > first && words < 3 && !has(next, .directionCue)
                        && !Self.sentenceWords.contains(tokens[next].hash)
                        && (!has(next, .particle)
                            || (next + 1 < tokens.count && tokens[next + 1].isWord && tokens[next + 1].gap.isSpaceOnly
                                && !Self.sentenceWords.contains(tokens[next + 1].hash)))
                    // "…, Sinop MT": a state's code ends the place, which is then the town.
                    if next > first, tokens[next].isWord, tokens[next].allCaps, length(next) == 2,
                        Self.stateCodes.contains(tokens[next].hash)
                    {
                        break
                    }
                    if tokens[next].isWord
                        && (tokens[next].capital || (lowerCase && !has(next, .directionCue)) || lowerName)
                    {
                        // "Jardim Natal", "Vila Rica": a town's name right after the neighbourhood's word is its name;
                        // "Bom Retiro" is a name of its own, though Madrid has a large Retiro.
                        let named =
                            next == first + 1 && (!bareStart || Self.compassNames.contains(tokens[first].hash))
                        let partOfName = (max(first, next - 3)..<next).contains { start in
                            lexicon.placeNames[tokens[start].hash]?.contains { place in
                                place.parts.count > next - start
                                    && (start...next).allSatisfy { tokens[$0].hash == place.parts[$0 - start] }
                            } ?? false
                        }
                        // "Cercado de Lima", "Jardim de Alah": after a particle the town is part of the name.
                        let afterParticle = next > first + 1 && has(next - 1, .particle)
                        // "bairro Nova Brasília", "Vila Nova Cachoeirinha": a town after "Nova", "Alto", "Grande"
                        // is part of the neighbourhood's name.
                        let qualified = next > first && Self.townQualifiers.contains(tokens[next - 1].hash)
                        if isCity(next, next) && next > first && !named && !partOfName && !afterParticle && !qualified {
                            break
                        }
                        // "… Centro Rio de Janeiro": a large town of several words after the neighbourhood ends it.
                        if next > first && !named && !has(next - 1, .particle),
                            lexicon.placeNames[tokens[next].hash]?.contains(where: {
                                localTownPopulation($0) >= 100_000 && matches($0.parts, startingAt: next)
                            }) ?? false
                        {
                            break
                        }
                        words += 1
                    } else if has(next, .particle), next + 1 < tokens.count, tokens[next + 1].capital {
                        // "Morro do Borel", "Jardim das Flores"
                    } else if !tokens[next].isWord, tokens[next].digits <= 3, words > 0 {
                        // "Conjunto 12", "Samambaia Norte"
                    } else {
                        break
                    }
                    last = next
                    next += 1
                }
                let bare = !(Self.neighbourhoodWords.contains(tokens[first].hash) || has(first, .placePrefix))
                // "Copacabana, Rio de Janeiro", "Brás, São Paulo", "Palermo, CABA": a place followed by its town is
                // the neighbourhood, whatever other town bears its name.
                let townFollows = cityFollows(after: last)
                // "- Aparecida de Goiânia": a large town of several words after the address is no neighbourhood.
                // A saint's or a "Vila" name is a neighbourhood's name in every town: only a city of half a million
                // ends the address there ("…, casa 18, São Luís"; but "…, São José").
                if !Self.neighbourhoodWords.contains(tokens[first].hash), !townFollows,
                    !districtRatherThanTown(first, last),
                    let places = lexicon.placeNames[tokens[first].hash],
                    places.contains(where: {
                        localTownPopulation($0) >= (bare ? 100_000 : 500_000) && matches($0.parts, startingAt: first)
                    })
                {
                    break
                }
                // A bare place is the town, not the neighbourhood, when its state follows it without a comma
                // ("Eldorado SP", "Caçapava/SP"; "Sumaré, SP" may be São Paulo's Sumaré) or when it is an
                // abbreviation ("CDMX", "CABA", "BH").
                let stateAfter =
                    last + 1 < tokens.count && tokens[last + 1].isWord && tokens[last + 1].allCaps
                    && length(last + 1) == 2 && Self.stateCodes.contains(tokens[last + 1].hash)
                    && !tokens[last + 1].gap.contains(.comma)
                // ("… - ap 64 - Ipiranga - SP": a district of São Paulo that outweighs the small town of its name is
                // the neighbourhood, with the state after it and the city left out.)
                if bare,
                    (stateAfter && !(tokens[last + 1].gap.contains(.dash) && districtRatherThanTown(first, last)))
                        || (tokens[first].allCaps && length(first) <= 4 && last == first)
                {
                    break
                }
                if words > 0 || (last > first && !bare),
                    !(bare && isCity(first, last)) || townFollows || districtRatherThanTown(first, last)
                {
                    neighbourhood = true
                    end = last
                    cursor = last + 1
                    continue
                }
            }
            // "… 1020 fundos centro, cascavel", "… cj 81 bela vista sp", "… ap 203 cachambi": a neighbourhood in lower
            // case after the number or a complement, one or two words that close the phrase (an end, a stop, a
            // comma, a state's code or a large town after them); a sentence going on is not one.
            if !neighbourhood, !english, hasNumber || hasComplement, tokens[cursor].isWord, !tokens[cursor].capital,
                !tokens[cursor].allCaps
            {
                var last = cursor - 1
                var next = cursor
                while next < tokens.count, next - cursor < 2, next == cursor || tokens[next].gap.isSpaceOnly,
                    tokens[next].isWord, !tokens[next].capital, length(next) >= 3,
                    !Self.sentenceWords.contains(tokens[next].hash), !has(next, .functionWord),
                    !has(next, .directionCue), !has(next, .addressComplement), !has(next, .month),
                    !has(next, .weekday), !Self.closingWords.contains(tokens[next].hash),
                    !Self.unitWords.contains(tokens[next].hash)
                {
                    if next > cursor && Self.stateCodes.contains(tokens[next].hash) && length(next) == 2 { break }
                    last = next
                    next += 1
                }
                // ("… 230 centro perto da padaria": the way to the door after it closes it too.)
                let closed =
                    last >= cursor
                    && (next == tokens.count
                        || tokens[next].gap.intersection([.stop, .period, .comma, .dash, .semicolon, .colon]) != []
                        || (tokens[next].isWord && has(next, .directionCue) && directionStart(next)
                            && !(cursor...last).contains { has($0, .particle) || length($0) < 4 })
                        || (tokens[next].isWord && length(next) == 2 && Self.stateCodes.contains(tokens[next].hash)
                            && (next + 1 == tokens.count || !tokens[next + 1].gap.isSpaceOnly)))
                if closed, !isCity(cursor, last) || districtRatherThanTown(cursor, last) {
                    neighbourhood = true
                    end = last
                    cursor = last + 1
                    continue
                }
            }
            // Directions to the door, up to the next comma or the sentence's end; "perto de Marabá", "near Red Deer"
            // place the address by its town and belong to none of it.
            // "calle 8 entre 5 y 6", "Calle 23 entre L y M": the block between two cross streets places the house as
            // a number does.
            if let corners = crossStreets(at: cursor) {
                hasComplement = true
                end = corners
                cursor = corners + 1
                continue
            }
            if (hasNumber || hasComplement) && afterComma, let described = houseDescription(at: cursor) {
                directions += 1
                end = described
                cursor = described + 1
                continue
            }
            if directionStart(cursor), !directionsToTown(from: cursor) {
                var last = cursor
                var next = cursor + 1
                while next < tokens.count, next <= cursor + 9, !masked[next],
                    tokens[next].gap.subtracting([.space, .hyphen]) == []
                {
                    last = next
                    next += 1
                }
                directions += 1
                end = last
                cursor = last + 1
                continue
            }
            break
        }
        let substantive = (hasNumber && !numbered) || hasComplement || neighbourhood || nestedStreet
        if needsDirections && directions == 0 { return (end, false, substantive) }
        return (end, true, substantive)
    }

    /// Whether the directions from `index` lead to a town of the gazetteer ("perto de Marabá", "near Red Deer").
    func directionsToTown(from index: Int) -> Bool {
        var next = index + 1
        while next < tokens.count, next <= index + 3, tokens[next].gap.isSpaceOnly, tokens[next].isWord,
            !tokens[next].capital, has(next, .particle) || has(next, .article) || has(next, .directionCue)
        {
            next += 1
        }
        guard next < tokens.count, next <= index + 3, tokens[next].gap.isSpaceOnly, tokens[next].capital else {
            return false
        }
        if entry(next).townPopulation > 0 { return true }
        return lexicon.placeNames[tokens[next].hash]?.contains { $0.town && matches($0.parts, startingAt: next) }
            ?? false
    }

    /// The last word of a bairro written "Bº Nome" or "B. Nome" from token `index` (up to four words of its name, in
    /// capitals or not, until a comma, a stop or the sentence going on), or nil when `index` opens none.
    func abbreviatedBairro(at index: Int) -> Int? {
        guard tokens[index].isWord, tokens[index].hash == Self.bWord, index + 1 < tokens.count,
            tokens[index + 1].isWord,
            ordinalMarkOnly(before: index + 1)
                || (tokens[index + 1].gap == [.period, .space] && tokens[index].capital && tokens[index + 1].capital)
        else { return nil }
        var last = index
        var next = index + 1
        while next < tokens.count, next - index <= 4, tokens[next].isWord,
            next == index + 1 || tokens[next].gap.isSpaceOnly,
            !Self.sentenceWords.contains(tokens[next].hash), !has(next, .directionCue),
            !(length(next) == 2 && tokens[next].allCaps && Self.stateCodes.contains(tokens[next].hash))
        {
            if has(next, .particle), next + 1 >= tokens.count || !tokens[next + 1].gap.isSpaceOnly { break }
            last = next
            next += 1
        }
        return last > index ? last : nil
    }

    /// Whether the line that starts at token `index` is one more piece of an address given a line at a time: a short
    /// line (six tokens at most) that opens with a number, a house number's or a complement's word, a neighbourhood's
    /// word, a street's type or the way to the door, or (once the house number is known) names a place in two words at
    /// most ("Centro", "North End"). A line that is a sentence ("era isso", "obrigada") ends the address.
    func lineContinuesAddress(from index: Int, numbered: Bool) -> Bool {
        var end = index
        while end + 1 < tokens.count, !tokens[end + 1].gap.contains(.newline) { end += 1 }
        guard end - index < 6, !tokens[end].gap.contains(.stop) || end == index else { return false }
        if !tokens[index].isWord || Self.houseNumberWords.contains(tokens[index].hash)
            || has(index, .addressComplement) || has(index, .streetType) || has(index, .placePrefix)
            || Self.neighbourhoodWords.contains(tokens[index].hash) || directionStart(index)
        {
            return true
        }
        guard numbered, end - index < 2 else { return false }
        return (index...end).allSatisfy { word in
            tokens[word].isWord && length(word) >= 3 && !Self.sentenceWords.contains(tokens[word].hash)
                && !has(word, .functionWord) && !Self.closingWords.contains(tokens[word].hash)
                && !Self.contactWords.contains(tokens[word].hash) && !has(word, .cepCue)
        }
    }

    /// Complements whose value is a name ("cond. parque das flores", "edifício solar"), in lower case too when the
    /// whole address is.
    static let namedComplements = WordSet(
        hashes: ["cond", "condominio", "residencial", "edificio", "ed", "edf", "conjunto", "conj", "cj"].map {
            WordFolding.hash($0)
        })

    static let bWord = WordFolding.hash("b")
    static let barraco = WordFolding.hash("barraco")
    static let zonaWord = WordFolding.hash("zona")
    /// Whether only an ordinal mark ("º", "ª", "°") and spaces stand between token `index` and the one before
    /// ("2º andar", "3ª casa").
    func ordinalMarkOnly(before index: Int) -> Bool {
        // º, ª and ° are two bytes in UTF-8: 0xC2 then 0xBA, 0xAA or 0xB0.
        let marks = bytes[tokens[index - 1].end..<tokens[index].start].filter { $0 != 0x20 }
        return marks.count == 2 && marks[marks.startIndex] == 0xC2
            && [0xBA, 0xAA, 0xB0].contains(marks[marks.startIndex + 1])
    }

    /// English words of a sentence that never stand in a street's name written in lower case.
    static let englishSentenceWords = WordSet(
        hashes: [
            "an", "to", "of", "in", "on", "at", "for", "or", "our", "your", "down", "up", "from", "by", "with", "is",
            "was", "are", "it", "this", "that", "more", "hours", "miles", "min", "mins", "minutes", "km", "blocks",
            "long", "whole", "same", "other", "next", "last", "first", "off",
        ].map { WordFolding.hash($0) })
    /// "5th", "21st", "2nd", "3rd": the letters after an ordinal's digits.
    static let ordinalEndings = WordSet(hashes: ["st", "nd", "rd", "th"].map { WordFolding.hash($0) })

    /// Words that go on with her sentence after an address rather than name a neighbourhood.
    static let sentenceWords = WordSet(
        hashes: [
            "que", "e", "eu", "pra", "para", "pro", "mas", "com", "onde", "tem", "to", "ta", "fica", "mora", "moro",
            "aqui", "ai", "la", "ela", "ele", "meu", "minha", "o", "a", "os", "as", "no", "na", "em", "se", "ja",
            "nao", "sim", "so", "vou", "vai", "the", "and", "y", "el", "la", "en", "es", "por", "mi", "we", "i",
            // Verbs of the request that follows an address: ", pode vir", ", liga antes", ", manda aqui".
            "pode", "podem", "vem", "vir", "venha", "passa", "passar", "liga", "ligar", "manda", "mandar", "chama",
            "chamar", "entra", "bate", "sobe", "desce", "traz", "leva", "puede", "pueden", "venga", "llama",
        ].map { WordFolding.hash($0) })

    /// Words that close a message after an address and name no neighbourhood ("… casa 3 obrigada").
    static let closingWords = WordSet(
        hashes: [
            "obrigada", "obrigado", "obg", "brigada", "grata", "bjs", "beijos", "bjo", "abs", "att", "atte", "hoje",
            "amanha", "ontem", "agora", "ok", "kkk", "kkkk", "kkkkk", "rs", "blz", "pfv", "pf", "por", "favor",
            "thanks",
            "thank", "thx", "pls", "please", "today", "tomorrow", "now", "gracias", "hoy", "manana", "ahora", "xoxo",
            "lol", "tb", "tbm", "tambem", "ne", "certo", "mesmo", "ainda", "tudo", "bem",
        ].map { WordFolding.hash($0) })

    /// Complements that need no number or name after them: "fundos", "sobrado", "térreo", "basement".
    static let complementsAlone = WordSet(
        hashes: [
            // "fds": "fundos" as it is typed.
            "fundos", "frente", "fondos", "sobrado", "terreo", "sobreloja", "cobertura", "basement", "rear", "izq",
            "dcha", "pb", "fds",
        ].map {
            WordFolding.hash($0)
        })

    static let floorWords = WordSet(
        hashes: ["floor", "fl", "andar", "piso", "pavimento", "etapa", "fase"].map { WordFolding.hash($0) })
    static let directionLinks = WordSet(
        hashes: ["a", "ao", "al", "da", "do", "de", "del", "to", "of"].map { WordFolding.hash($0) })
    static let englishNeighbourhoodEnds = WordSet(
        hashes: ["heights", "park", "estates", "village", "hills", "gardens", "square", "slope"].map {
            WordFolding.hash($0)
        })
    /// Whether a "Vila" with its name is followed, past a comma, by a house or an apartment and its value ("Vila
    /// Cristina, casa 2, depois da padaria"): a vila of houses is then her address, not the neighbourhood alone.
    func vilaWithHouse(at index: Int) -> Bool {
        guard tokens[index].capital, tokens[index].hash == Self.vilaWord else { return false }
        var next = index + 1
        while next < tokens.count, next - index <= 3, tokens[next].isWord, tokens[next].capital,
            tokens[next].gap.isSpaceOnly
        {
            next += 1
        }
        guard next > index + 1, next + 1 < tokens.count, tokens[next].isWord,
            tokens[next].gap.subtracting([.space, .comma]) == [], tokens[next].gap.contains(.comma),
            Self.lettered.contains(tokens[next].hash), tokens[next + 1].gap.isSpaceOnly
        else { return false }
        return isValue(next + 1)
    }

    static let vilaWord = WordFolding.hash("vila")

    /// Words that make a new place of a town's name: "Nova Brasília", "Alto Paraná", "Baixa Grande".
    static let townQualifiers = WordSet(
        hashes: ["nova", "novo", "velha", "velho", "alto", "alta", "baixo", "baixa", "grande", "pequena", "pequeno"]
            .map { WordFolding.hash($0) })
    static let compassNames = WordSet(
        hashes: ["east", "west", "north", "south", "upper", "lower"].map { WordFolding.hash($0) })
    /// Words that name the town that follows ("município de Picos"), where an address stops.
    static let townWords = WordSet(
        hashes: ["municipio", "cidade", "ciudad", "city", "town", "distrito", "district", "comarca"].map {
            WordFolding.hash($0)
        })
    static let municipioWord = WordFolding.hash("municipio")
    /// What joins a town word to the town.
    static let townLinks = WordSet(hashes: ["de", "do", "da", "of"].map { WordFolding.hash($0) })
    static let withoutWords = WordSet(hashes: ["sem", "sin"].map { WordFolding.hash($0) })
    /// Words that open a neighbourhood written before its street ("bairro Ponta Negra, Rua Praia de Muriú 301").
    static let leadingNeighbourhoodWords = WordSet(
        hashes: [
            "bairro", "barrio", "vila", "vl", "jardim", "jd", "parque", "pq", "conjunto", "residencial", "loteamento",
            "setor", "sector", "cidade", "colonia", "col", "fraccionamiento", "fracc", "urbanizacion", "urb", "caserio",
            "nucleo", "gleba", "edificio", "condominio", "cond", "aldeia", "comunidade", "comunidad",
        ].map { WordFolding.hash($0) })
    /// Prepositions (and a contraction with the article) between a neighbourhood written first and her street.
    static let streetPrepositions = WordSet(
        hashes: ["na", "no", "em", "en", "in", "on", "at"].map { WordFolding.hash($0) })
    static let zoneKinds = WordSet(hashes: ["rural", "urbana", "centro"].map { WordFolding.hash($0) })
}
