import Foundation

/// Folds UTF-8 words (lower case, accents dropped) and hashes them, so the masker compares words without Strings.
enum WordFolding {
    /// The FNV-1a offset basis; a word's hash starts here.
    static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0100_0000_01b3

    /// Latin-1 letters after the 0xC3 lead byte (0x80...0xBF), folded to ASCII; 0 for × and ÷, which are no letters.
    static let latin1: [UInt8] =
        Array("aaaaaaaceeeeiiiidnooooo\0ouuuuyts".utf8)
        + Array("aaaaaaaceeeeiiiidnooooo\0ouuuuyty".utf8)

    /// Whether `byte` is an ASCII letter.
    @inline(__always) static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
    }

    /// Mixes one folded byte into a hash.
    @inline(__always) static func mix(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* prime }

    /// The hash of a word given as text, folded the way the tokenizer folds it.
    static func hash(_ word: some StringProtocol) -> UInt64 {
        var hash = basis
        for byte in folded(Array(word.utf8)) { hash = mix(hash, byte) }
        return hash
    }

    /// The hash of a word given as UTF-8 bytes, folded the way the tokenizer folds it.
    static func hash(bytes: some Collection<UInt8>) -> UInt64 {
        var hash = basis
        for byte in folded(Array(bytes)) { hash = mix(hash, byte) }
        return hash
    }

    /// Folded bytes of a UTF-8 word: ASCII lower case, Latin-1 letters without accents, combining marks dropped.
    static func folded(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                index += 1
            } else if byte == 0xC3, index + 1 < bytes.count {
                let letter = latin1[Int(bytes[index + 1] & 0x3F)]
                if letter != 0 { out.append(letter) }
                index += 2
            } else if byte == 0xCC || byte == 0xCD {
                index += 2  // a combining accent of decomposed text
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }
}

/// Which languages' word lists know a census name as an ordinary word (Rosa, Dolores, Will).
struct WordLanguages: OptionSet, Sendable {
    let rawValue: UInt8
    static let portuguese = WordLanguages(rawValue: 1)
    static let spanish = WordLanguages(rawValue: 2)
    static let english = WordLanguages(rawValue: 4)
    static let all: WordLanguages = [.portuguese, .spanish, .english]

    /// The word lists that count for a message in `language` (BCP 47); Portuguese always does, in Brazil.
    static func relevant(to language: String?) -> WordLanguages {
        guard let language = language?.lowercased(), !language.isEmpty else { return .all }
        if language.hasPrefix("es") { return [.portuguese, .spanish] }
        if language.hasPrefix("en") { return [.portuguese, .english] }
        if language.hasPrefix("pt") { return [.portuguese] }
        return .all
    }
}

/// What the lexicon knows about one folded word; a word can be several things (Rocha: a surname and a word).
struct WordFacts: OptionSet, Sendable {
    let rawValue: UInt64
    /// Whether every fact of `member` is set, as `OptionSet`'s own says, inlined: its generic one was a call each
    /// time a rule asked (2% of the masking).
    @inline(__always) func contains(_ member: WordFacts) -> Bool { rawValue & member.rawValue == member.rawValue }
    static let givenName = WordFacts(rawValue: 1 << 0)
    static let surname = WordFacts(rawValue: 1 << 1)
    static let notName = WordFacts(rawValue: 1 << 2)
    static let relationCue = WordFacts(rawValue: 1 << 3)
    static let title = WordFacts(rawValue: 1 << 4)
    static let particle = WordFacts(rawValue: 1 << 5)
    static let placePreposition = WordFacts(rawValue: 1 << 6)
    static let placePrefix = WordFacts(rawValue: 1 << 7)
    static let place = WordFacts(rawValue: 1 << 8)
    static let streetType = WordFacts(rawValue: 1 << 9)
    static let addressComplement = WordFacts(rawValue: 1 << 10)
    static let birthCue = WordFacts(rawValue: 1 << 11)
    static let month = WordFacts(rawValue: 1 << 12)
    static let article = WordFacts(rawValue: 1 << 13)
    static let cepCue = WordFacts(rawValue: 1 << 14)
    static let rgCue = WordFacts(rawValue: 1 << 15)
    /// A digit said in words ("nove", "cero", "seven"): phones and CPFs dictated by voice typing.
    static let digitWord = WordFacts(rawValue: 1 << 16)
    /// A two-digit number said in words ("onze", "vinte"): a DDD dictated.
    static let tensWord = WordFacts(rawValue: 1 << 17)
    /// A rural or informal settlement or a housing estate (sítio, aldeia, ocupação, loteamento): an address head.
    static let settlementType = WordFacts(rawValue: 1 << 18)
    /// A professional council whose registration number identifies a clinician (CRM, COREN).
    static let council = WordFacts(rawValue: 1 << 19)
    /// A vehicle plate cue (placa, patente, plate).
    static let plateCue = WordFacts(rawValue: 1 << 20)
    /// A word that opens directions to a house ("perto", "depois", "descendo").
    static let directionCue = WordFacts(rawValue: 1 << 21)
    /// A country (GeoNames) or a Brazilian state: a place whatever its context.
    static let country = WordFacts(rawValue: 1 << 22)
    /// A Brasília address code (QR, SQS, SHIS) or a quadra: an address head when a number follows.
    static let blockCode = WordFacts(rawValue: 1 << 23)
    /// A word of a spoken e-mail address ("ponto", "arroba", "dot").
    static let spokenEmailJoiner = WordFacts(rawValue: 1 << 24)
    /// The "@" of a spoken e-mail address ("arroba").
    static let spokenAt = WordFacts(rawValue: 1 << 25)
    /// A weekday, a month day's companion under a birth cue ("nació el martes 5").
    static let weekday = WordFacts(rawValue: 1 << 26)
    /// A blood pressure word: a day/month shape after it is a reading ("pressão 14/9", "presión 16/11").
    static let pressureCue = WordFacts(rawValue: 1 << 27)
    /// A verb whose subject is a person: born, arrived, said ("Luz nació", "Will says hi").
    static let personVerb = WordFacts(rawValue: 1 << 28)
    /// A verb that, before a number, gives a person's age ("Hope is 3 months", "Pilar ya tiene 6 meses").
    static let ageVerb = WordFacts(rawValue: 1 << 29)
    /// An adverb or object pronoun between a subject and its verb ("ya llegó", "te manda", "just turned").
    static let predicateFiller = WordFacts(rawValue: 1 << 30)
    /// A verb or phrase after which a name is given ("se llama", "named her", "pusimos").
    static let namingVerb = WordFacts(rawValue: 1 << 31)
    /// A common illness of a baby or a child ("febre", "cough"): after "has"/"tem"/"está com", a person has it.
    static let symptomWord = WordFacts(rawValue: 1 << 32)
    /// The name of a record number (prontuário, matrícula, MRN): the digits after it identify her however short.
    static let recordCue = WordFacts(rawValue: 1 << 33)
    /// A pronoun, possessive or time word that never starts a name (`Scan.functionWords`).
    static let functionWord = WordFacts(rawValue: 1 << 34)
    /// "primeiro", "primero", "first": the first day of a month said in words.
    static let firstDayWord = WordFacts(rawValue: 1 << 35)
    /// "endereço", "address", "dirección": her address follows (asked of every word, so a bit, not a set).
    static let addressCue = WordFacts(rawValue: 1 << 36)
    /// Hundreds and thousands in words ("cento", "mil", "ciento", "hundred"): a house number said in a voice message.
    static let hundredsWord = WordFacts(rawValue: 1 << 37)
    /// The first word of a country of several words ("costa" of Costa Rica): looked up only where it stands.
    static let countryOpening = WordFacts(rawValue: 1 << 38)
    /// A trade ("motorista", "porteiro", "pharmacist"): a person word before her name, but before an article and a
    /// name it names the workplace ("a farmacêutica da Extrafarma").
    static let trade = WordFacts(rawValue: 1 << 39)
    /// "milhões", "millones", "million": a number of a million or more said aloud, in a voice message a document's.
    static let millionWord = WordFacts(rawValue: 1 << 40)
    /// "moro", "vivo", "live": she says where she lives next (asked of every word, so a bit).
    static let livingVerb = WordFacts(rawValue: 1 << 41)
    /// An Indigenous people ("Xavante", "Macuxi", "Warao"): after "sou"/"é"/"somos" it says who her people are, not
    /// her name.
    static let people = WordFacts(rawValue: 1 << 42)
}

/// One folded word's entry: its facts, how many people the census gives the name, and which word lists know it.
struct WordEntry: Sendable {
    var facts: WordFacts = []
    var people: UInt32 = 0
    var wordIn: WordLanguages = []
    /// For a GeoNames place of one word, its population.
    var placePopulation: UInt32 = 0
    /// For a GeoNames town of one word (a Brazilian municipality, a city abroad, a country), its population; a
    /// district of a Brazilian city (Itaquera, Copacabana) has none: after an address it is her neighbourhood.
    var townPopulation: UInt32 = 0
    /// The population of the Brazilian municipality of that name, and of the Spanish-speaking country's city.
    var brazilianTownPopulation: UInt32 = 0
    var hispanicTownPopulation: UInt32 = 0
    /// The population of the district of a Brazilian city of that name (Santana, São Paulo's), when there is one.
    var districtPopulation: UInt32 = 0
}

/// A GeoNames place of several words: its words' hashes, its population, and whether it is a town (no district of a
/// Brazilian city), with the populations of its Brazilian and Spanish-speaking towns.
struct PlaceName: Sendable {
    var parts: [UInt64]
    var population: UInt32
    var town: Bool = true
    /// A country ("Costa Rica", "El Salvador"): a place whatever its context.
    var country: Bool = false
    var brazilianPopulation: UInt32 = 0
    var hispanicPopulation: UInt32 = 0
    /// The population of the district of a Brazilian city of that name, when there is one.
    var districtPopulation: UInt32 = 0
}

/// The gazetteer and the cue lists, loaded once from the module's resources.
///
/// A class: every scan holds it, and a struct of sixteen arrays was retained sixteen times each time a scan was
/// copied.
final class PrivacyLexicon: Sendable {
    /// Every word the gazetteer and the lists know, by its folded hash.
    let words: WordTable<WordEntry>
    /// Cues of several words, keyed by their last word's hash; each cue as its words' hashes in order.
    let selfCues: WordTable<[[UInt64]]>
    let greetingCues: WordTable<[[UInt64]]>
    let trailingCues: WordTable<[[UInt64]]>
    let placePrefixes: WordTable<[[UInt64]]>
    /// Places of several words, keyed by their first word's hash.
    let multiWordPlaces: WordTable<[[UInt64]]>
    /// GeoNames places of several words, keyed by their first word's hash: places only where their context says so
    /// when they start with a given name.
    let placeNames: WordTable<[PlaceName]>
    /// Districts and suburbs of large English-speaking cities (scripts/build-suburbs.py), each as its words' hashes,
    /// keyed by the first word's hash.
    let suburbs: WordTable<[[UInt64]]>
    /// Census names carried by fewer people are not masked in lower case without a cue: they are mostly typos.
    static let lowerCaseMinimumPeople: UInt32 = 5_000
    /// A listed surname carried by this many people as a first name is read as a first name (Anderson, Wilson).
    static let firstNameFirstMinimumPeople: UInt32 = 50_000

    /// The lexicon from the bundled resources.
    static let shared: PrivacyLexicon = {
        do {
            return try PrivacyLexicon(bundle: Bundle.module)
        } catch {
            fatalError("the privacy lexicon shipped with promptctl cannot be read: \(error)")
        }
    }()

    convenience init(bundle: Bundle) throws {
        guard let namesURL = bundle.url(forResource: "Resources/given-names", withExtension: "tsv"),
            let lexiconURL = bundle.url(forResource: "Resources/lexicon", withExtension: "txt"),
            let placesURL = bundle.url(forResource: "Resources/places", withExtension: "tsv"),
            let suburbsURL = bundle.url(forResource: "Resources/suburbs", withExtension: "tsv")
        else { throw CocoaError(.fileNoSuchFile) }
        try self.init(
            names: Data(contentsOf: namesURL), lexicon: String(decoding: Data(contentsOf: lexiconURL), as: UTF8.self),
            places: String(decoding: Data(contentsOf: placesURL), as: UTF8.self),
            suburbs: String(decoding: Data(contentsOf: suburbsURL), as: UTF8.self))
    }

    init(names: Data, lexicon: String, places: String = "", suburbs: String = "") {
        // Built in dictionaries, then frozen into tables for the lookups of every token.
        var words: [UInt64: WordEntry] = [:]
        var selfCues: [UInt64: [[UInt64]]] = [:]
        var greetingCues: [UInt64: [[UInt64]]] = [:]
        var trailingCues: [UInt64: [[UInt64]]] = [:]
        var placePrefixes: [UInt64: [[UInt64]]] = [:]
        var multiWordPlaces: [UInt64: [[UInt64]]] = [:]
        var placeNames: [UInt64: [PlaceName]] = [:]
        // The census table: "name<TAB>people<TAB>flags", already folded by scripts/build-names.py.
        names.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var index = 0
            let count = raw.count
            while index < count {
                if raw[index] == 0x23 {  // the header comment
                    while index < count && raw[index] != 0x0A { index += 1 }
                    index += 1
                    continue
                }
                var hash = WordFolding.basis
                while index < count && raw[index] != 0x09 {
                    hash = WordFolding.mix(hash, raw[index])
                    index += 1
                }
                index += 1
                var people: UInt32 = 0
                while index < count && raw[index] >= 0x30 && raw[index] <= 0x39 {
                    people = people &* 10 &+ UInt32(raw[index] - 0x30)
                    index += 1
                }
                index += 1
                var languages: WordLanguages = []
                while index < count && raw[index] != 0x0A {
                    switch raw[index] {
                    case 0x70: languages.insert(.portuguese)
                    case 0x65: languages.insert(.spanish)
                    case 0x6E: languages.insert(.english)
                    default: break
                    }
                    index += 1
                }
                index += 1
                words[hash, default: WordEntry()].facts.insert(.givenName)
                words[hash]!.people = max(words[hash]!.people, people)
                words[hash]!.wordIn.formUnion(languages)
            }
        }
        var section = ""
        for rawLine in lexicon.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            let parts = line.split(separator: " ").map { WordFolding.hash($0) }
            func single(_ fact: WordFacts) {
                if parts.count == 1 { words[parts[0], default: WordEntry()].facts.insert(fact) }
            }
            func ordinary(_ language: WordLanguages) {
                if parts.count == 1 { words[parts[0], default: WordEntry()].wordIn.formUnion(language) }
            }
            switch section {
            case "self-cues": selfCues[parts.last!, default: []].append(parts)
            case "greeting-cues": greetingCues[parts.last!, default: []].append(parts)
            case "trailing-cues": trailingCues[parts.first!, default: []].append(parts)
            case "relation-cues": single(.relationCue)
            case "trade-cues": single([.relationCue, .trade])
            case "titles": single(.title)
            case "particles": single(.particle)
            case "place-prepositions": single(.placePreposition)
            case "place-prefixes":
                placePrefixes[parts.last!, default: []].append(parts)
                single(.placePrefix)
            case "places":
                if parts.count == 1 { single(.place) } else { multiWordPlaces[parts[0], default: []].append(parts) }
            case "not-names": single(.notName)
            case "peoples": single([.surname, .people])
            case "person-verbs": single(.personVerb)
            case "age-verbs": single(.ageVerb)
            case "predicate-fillers": single(.predicateFiller)
            case "naming-verbs": single(.namingVerb)
            case "symptom-words": single(.symptomWord)
            case "record-cues": single(.recordCue)
            case "surnames": single(.surname)
            // Ordinary words of a language that are also names (a nickname the census misses, a census name the
            // generated word flags missed): read as the census's word flags are, so context decides.
            case "ordinary-words-pt": ordinary(.portuguese)
            case "ordinary-words-es": ordinary(.spanish)
            case "ordinary-words-en": ordinary(.english)
            case "given-names":
                if parts.count == 1 {
                    words[parts[0], default: WordEntry()].facts.insert(.givenName)
                    words[parts[0]]!.people = max(words[parts[0]]!.people, Self.lowerCaseMinimumPeople)
                }
            default: break
            }
        }
        // Closed sets of the address, date and document rules: the words, not their meaning, vary by language.
        for word in [
            "rua", "r", "avenida", "av", "avda", "travessa", "tv", "trav", "alameda", "al", "estrada", "rodovia",
            "praca", "largo", "beco", "viela", "servidao", "street", "st", "avenue", "ave", "road", "rd", "calle",
            "carrera", "ladeira", "passagem", "cra", "cr", "kra", "pasaje", "pje", "jr", "jiron", "callejon", "privada",
            "diagonal", "transversal", "calzada", "blvd", "bulevar", "boulevard", "paseo", "bv", "bvar", "bvd", "ruta",
            "autopista", "carretera", "camino",
            // The Amazon's and the South's rural side roads: "ramal do km 22", "travessão da linha sete".
            "ramal", "travessao",
        ] { words[WordFolding.hash(word), default: WordEntry()].facts.insert(.streetType) }
        // Street types typed in a hurry: one letter dropped or two swapped ("estrda", "avendia", "rau"), except
        // where that makes another word ("venida", "estada").
        for word in Self.streetTypeTypos() {
            words[WordFolding.hash(word), default: WordEntry()].facts.insert(.streetType)
        }
        for word in [
            "fundos", "frente", "casa", "apto", "apt", "ap", "apartamento", "bloco", "bl", "lote", "lt", "quadra", "qd",
            "sala", "andar", "conjunto", "cj", "torre", "km", "piso", "depto", "dpto", "unit", "suite", "floor", "flat",
            "int", "interior", "cond", "edificio", "ed", "edf", "block", "lot", "loja", "sobrado", "galpao", "kitnet",
            "quarto", "quitinete", "terreo", "sobreloja", "portaria", "pieza", "portal", "bldg", "building", "fl",
            "basement", "room", "rm", "habitacion", "modulo", "manzana", "mz", "rear", "oficina", "ofic", "dto",
            "pb", "bajo", "parcela", "etapa", "bloque", "escalera", "esc", "apartment", "space", "trailer", "predio",
            // Rondônia's and Acre's rural roads by their number, after the farm: "Sítio São José, linha 7, km 12".
            "gleba", "app", "appt", "cs", "solar", "fds", "linha",
            // A shelter's sector, before its tent: "abrigo de Boa Vista, setor 4, barraca 12".
            "setor", "sector",
        ] { words[WordFolding.hash(word), default: WordEntry()].facts.insert(.addressComplement) }
        for word in [
            "nascimento", "nasc", "nasci", "nascida", "nascido", "naci", "nacimiento", "nacida", "born", "birth", "dob",
            "birthday", "aniversario", "cumpleanos", "dn",
        ] { words[WordFolding.hash(word), default: WordEntry()].facts.insert(.birthCue) }
        for word in [
            "janeiro", "fevereiro", "marco", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
            "novembro", "dezembro", "enero", "febrero", "marzo", "mayo", "junio", "julio", "septiembre", "setiembre",
            "octubre", "noviembre", "diciembre", "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december", "jan", "fev", "feb", "mar", "abr", "apr", "mai",
            "jun", "jul", "ago", "aug", "set", "sep", "out", "oct", "nov", "dez", "dic", "dec",
            // As they are written by ear: "n" before "b" ("dezenbro"), a dropped "i" ("janero"), "ou" heard as "o"
            // ("otubro"), "z" as "s" ("desembro").
            "janero", "feverero", "fevreiro", "setenbro", "septembro", "otubro", "novenbro", "dezenbro", "desembro",
            "desenbro", "febuary", "feburary", "novienbre", "disiembre",
        ] { words[WordFolding.hash(word), default: WordEntry()].facts.insert(.month) }
        for word in ["a", "o", "as", "os", "la", "el", "the", "my", "minha", "meu", "mi", "da", "do", "de", "na", "no"]
        {
            words[WordFolding.hash(word), default: WordEntry()].facts.insert(.article)
        }
        for word in ["cep", "zip", "postal"] {
            words[WordFolding.hash(word), default: WordEntry()].facts.insert(.cepCue)
        }
        for word in [
            "rg", "identidade", "cedula", "dni", "documento", "id", "ci", "rne", "crnm", "passaporte", "passport",
        ] {
            words[WordFolding.hash(word), default: WordEntry()].facts.insert(.rgCue)
        }
        func facts(_ fact: WordFacts, _ list: [String]) {
            for word in list { words[WordFolding.hash(word), default: WordEntry()].facts.insert(fact) }
        }
        facts(
            .digitWord,
            [
                "zero", "um", "uma", "dois", "duas", "tres", "quatro", "cinco", "seis", "meia", "sete", "oito", "nove",
                "cero", "uno", "una", "dos", "cuatro", "siete", "ocho", "nueve", "oh", "one", "two", "three", "four",
                "five", "six", "seven", "eight", "nine",
            ])
        facts(
            .tensWord,
            [
                "dez", "onze", "doze", "treze", "catorze", "quatorze", "quinze", "dezesseis", "dezessete", "dezoito",
                "dezenove", "vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta", "noventa",
                "diez", "once", "doce", "trece", "catorce", "quince", "veinte", "treinta", "cuarenta", "cincuenta",
                "sesenta", "setenta", "ochenta", "noventa", "ten", "eleven", "twelve", "twenty", "thirty", "forty",
                "fifty", "sixty", "seventy", "eighty", "ninety",
                // Spanish writes its teens and twenties as one word ("el veintitrés de octubre"), English its teens.
                "dieciseis", "diecisiete", "dieciocho", "diecinueve", "veintiuno", "veintiun", "veintidos",
                "veintitres",
                "veinticuatro", "veinticinco", "veintiseis", "veintisiete", "veintiocho", "veintinueve", "thirteen",
                "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
            ])
        facts(.millionWord, ["milhao", "milhoes", "millon", "millones", "million", "millions"])
        facts(
            .livingVerb,
            [
                "moro", "mora", "moram", "moramos", "morando", "vivo", "vive", "viven", "vivimos", "viviendo", "live",
                "lives", "living", "resido", "reside", "residimos", "sou", "somos", "soy",
            ])
        facts(
            .hundredsWord,
            [
                "cem", "cento", "duzentos", "trezentos", "quatrocentos", "quinhentos", "seiscentos", "setecentos",
                "oitocentos", "novecentos", "mil", "cien", "ciento", "doscientos", "trescientos", "cuatrocientos",
                "quinientos", "seiscientos", "setecientos", "ochocientos", "novecientos", "hundred", "thousand",
            ])
        facts(
            .settlementType,
            [
                "sitio", "fazenda", "chacara", "granja", "rancho", "estancia", "assentamento", "acampamento", "aldeia",
                "comunidade", "ocupacao", "loteamento", "condominio", "conjunto", "conj", "residencial", "quilombo",
                "colonia", "linha", "invasao", "favela", "comunidad", "asentamiento", "barraco", "povoado", "nucleo",
                "cohab", "ramal", "vereda", "finca", "urbanizacion", "reparto", "poblacion", "vicinal", "caserio",
                "agrovila", "localidade",
            ])
        facts(
            .council,
            [
                "crm", "coren", "cro", "crp", "crf", "crefito", "crn", "cress", "crea", "oab", "crmv", "crbm", "cref",
                "rqe", "crfa", "cau", "crbio",
            ])
        facts(.plateCue, ["placa", "patente", "plate", "plates", "matricula", "chapa", "tag"])
        facts(
            .directionCue,
            [
                "perto", "depois", "antes", "lado", "frente", "atras", "descendo", "subindo", "entrando", "virando",
                "seguindo", "proximo", "proxima", "esquina", "portao", "primeira", "segunda", "terceira", "ultima",
                "cerca", "despues", "near", "behind", "across", "referencia", "ref", "entre", "between", "beside",
                "opposite", "espaldas", "junto", "next", "cima", "sobre", "encima", "arriba", "above", "upstairs",
                "fondo", "past",
            ])
        facts(
            .blockCode,
            [
                "qr", "qs", "qn", "qnm", "qnn", "qno", "qnl", "qnp", "qnq", "qnr", "qi", "ql", "qe", "qc", "qsa", "qsb",
                "qsc", "qsd", "qse", "qnd", "qnj", "sqs", "sqn", "sqsw", "sqnw", "shis", "shin", "shcgn", "cln", "cls",
                "scln", "scls", "quadra", "qd", "setor",
            ])
        facts(.spokenEmailJoiner, ["ponto", "punto", "dot", "underline", "underscore", "traco", "tracinho", "guion"])
        facts(.spokenAt, ["arroba"])
        facts(.firstDayWord, ["primeiro", "primero", "first"])
        facts(.addressCue, ["endereco", "end", "address", "direccion", "dire", "domicilio", "addr"])
        // One bit per word instead of a set lookup per token: these are tested for every token of every message.
        for hash in Scan.functionWords.hashes { words[hash, default: WordEntry()].facts.insert(.functionWord) }
        facts(
            .weekday,
            [
                "domingo", "segunda", "terca", "quarta", "quinta", "sexta", "sabado", "lunes", "martes", "miercoles",
                "jueves", "viernes", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                "dia",
            ])
        facts(
            .birthCue,
            ["nasceu", "nasceram", "nacio", "nacieron", "nacido", "nascimento", "dpp", "dum", "fur", "parto", "due"])
        facts(.cepCue, ["postcode", "zipcode"])
        facts(.pressureCue, ["pressao", "presion", "pressure", "pa", "tensao", "tension", "bp", "arterial"])
        // Brazil's states and the countries as Brazilians and Spanish speakers write them: places whatever their context.
        facts(
            .country,
            [
                "acre", "alagoas", "amapa", "amazonas", "bahia", "ceara", "goias", "maranhao", "paraiba", "parana",
                "pernambuco", "piaui", "rondonia", "roraima", "sergipe", "tocantins", "brasil", "brazil", "venezuela",
                "bolivia", "peru", "colombia", "haiti", "paraguai", "paraguay", "argentina", "chile", "uruguai",
                "uruguay", "angola", "siria", "siria", "afeganistao", "nigeria", "senegal", "cuba", "mexico",
                "espanha", "espana", "portugal", "eua", "usa",
            ])
        // GeoNames places (scripts/build-places.py): "name<TAB>population<TAB>flag", already folded.
        for line in places.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count == 3 else { continue }
            let parts = fields[0].split(separator: " ").map { WordFolding.hash($0) }
            let population = max(UInt32(fields[1]) ?? 0, 1)
            let town = fields[2] != "d"
            let brazilian = fields[2] == "b" ? population : 0
            let hispanic = fields[2] == "h" ? population : 0
            let district = fields[2] == "d" ? population : 0
            if parts.count == 1 {
                // GeoNames' own places are no places whatever their context (Fontana, Torres, Albuquerque are
                // surnames too): only countries are; the rest counts where a preposition or a state says so.
                if fields[2] == "c" { words[parts[0], default: WordEntry()].facts.insert([.place, .country]) }
                var entry = words[parts[0]] ?? WordEntry()
                entry.placePopulation = max(entry.placePopulation, population)
                if town { entry.townPopulation = max(entry.townPopulation, population) }
                entry.brazilianTownPopulation = max(entry.brazilianTownPopulation, brazilian)
                entry.hispanicTownPopulation = max(entry.hispanicTownPopulation, hispanic)
                entry.districtPopulation = max(entry.districtPopulation, district)
                words[parts[0]] = entry
            } else if let known = placeNames[parts[0]]?.firstIndex(where: { $0.parts == parts }) {
                // A district and a town of the same name: the town's line decides where an address stops.
                var place = placeNames[parts[0]]![known]
                if town && !place.town {
                    place.town = true
                    place.population = population
                } else if town == place.town {
                    place.population = max(place.population, population)
                }
                place.brazilianPopulation = max(place.brazilianPopulation, brazilian)
                place.hispanicPopulation = max(place.hispanicPopulation, hispanic)
                if fields[2] == "c" {
                    place.country = true
                    words[parts[0], default: WordEntry()].facts.insert(.countryOpening)
                }
                place.districtPopulation = max(place.districtPopulation, district)
                placeNames[parts[0]]![known] = place
            } else {
                if fields[2] == "c" { words[parts[0], default: WordEntry()].facts.insert(.countryOpening) }
                placeNames[parts[0], default: []].append(
                    PlaceName(
                        parts: parts, population: population, town: town, country: fields[2] == "c",
                        brazilianPopulation: brazilian, hispanicPopulation: hispanic, districtPopulation: district))
            }
        }
        // Anderson, Nelson, Wilson, Jackson: surnames elsewhere that hundreds of thousands of Brazilians carry as
        // their first name are first names here ("o Anderson chegou"); the census, not the surname list, says so.
        for (hash, entry) in words
        where entry.facts.contains(.surname) && entry.facts.contains(.givenName)
            && entry.people >= Self.firstNameFirstMinimumPeople
        {
            words[hash]!.facts.remove(.surname)
        }
        self.words = WordTable(words)
        self.selfCues = WordTable(selfCues)
        self.greetingCues = WordTable(greetingCues)
        self.trailingCues = WordTable(trailingCues)
        self.placePrefixes = WordTable(placePrefixes)
        self.multiWordPlaces = WordTable(multiWordPlaces)
        self.placeNames = WordTable(placeNames)
        var suburbNames: [UInt64: [[UInt64]]] = [:]
        for line in suburbs.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            let parts = line.split(separator: " ").map { WordFolding.hash($0) }
            guard let first = parts.first else { continue }
            suburbNames[first, default: []].append(parts)
        }
        self.suburbs = WordTable(suburbNames)
    }

    /// The misspellings of the long street types that stand for them: each with one letter dropped or two
    /// neighbours swapped, and "rau" for "rua".
    static func streetTypeTypos() -> [String] {
        var typos: Set<String> = ["rau"]
        for word in ["avenida", "estrada", "travessa", "rodovia", "alameda"] {
            let letters = Array(word)
            for index in letters.indices {
                var dropped = letters
                dropped.remove(at: index)
                typos.insert(String(dropped))
                if index + 1 < letters.count {
                    var swapped = letters
                    swapped.swapAt(index, index + 1)
                    typos.insert(String(swapped))
                }
            }
        }
        return typos.subtracting(["avenida", "estrada", "travessa", "rodovia", "alameda", "venida", "estada"]).sorted()
    }

    @inline(__always) func entry(_ hash: UInt64) -> WordEntry { words[hash] ?? WordEntry() }
}
