import Foundation
import PromptctlCore
import Yams

/// The cues of ConText, written in the `context:` block of the definition file. Each is a concept of its own.
enum ContextCueKind: String, CaseIterable, Sendable {
    /// Before a finding: "não", "sem", "nenhum", "no", "never".
    case negation
    /// After a finding: "sangramento nenhum", "fever: no".
    case negationAfter = "negation-after"
    /// Before: "se", "caso", "what if", "si".
    case hypothetical
    /// Before: "na outra gravidez", "last pregnancy".
    case historical
    /// After: "na gravidez passada", "years ago", "já passou".
    case historicalAfter = "historical-after"
    /// After: "a pressão dela", "de ella".
    case otherPersonAfter = "other-person-after"
    /// She is pregnant or has just given birth ("grávida", "de 30 semanas", "pariu", "embarazada"): with a present
    /// tense, a relative is writing about her, not telling a story about someone else.
    case pregnant
    /// The other person is already cared for, or the writer compares with herself ("ela já está internada", "could
    /// that happen to me?"): a story about someone else, not someone writing for her.
    case caredFor = "cared-for"
    /// A speaker's own words ("eu", "minha", "I", "my", "estoy"): a question without them asks about pregnancy in
    /// general ("falta de ar no fim da gravidez é normal?").
    case personal
    /// The writer as the subject ("eu", "I", "yo"): between someone else and a finding, it makes the finding hers
    /// ("escrevi uma carta pra minha filha pra quando eu não estiver mais aqui").
    case speaker
    /// Before: "minha amiga", "my coworker", "vi no tiktok": someone else, even in the present tense.
    case otherPerson = "other-person"
    /// Before: "minha irmã", "my sister": someone else, unless she is pregnant and it is happening now (a sister
    /// writing for her).
    case otherPersonClose = "other-person-close"
    /// Before: "quais são os sinais", "what are the signs".
    case informational
    /// Looks like a cue and is not: "não sei se", "não para de", "sem parar".
    case pseudo
    /// Ends every cue's reach: "mas", "but", "pero".
    case terminator
    /// A new statement ("estou", "tô com", "I have"): ends a cue's reach once a finding was passed.
    case assertion
    /// Now ("está", "agora", "hoje"): a statement about someone else that is happening now is hers to act on.
    case present
    /// Always opens a new clause ("é", "vá", "ligue", "go"): ends a cue's reach unless it follows the cue directly.
    case clause
    /// The birth itself ("pari", "ganhei a Helena", "gave birth", "di a luz"): a recent time right after it dates the
    /// birth, which makes her postpartum now, not a story of the past ("pari semana passada, estou sangrando").
    case birth
    /// The writer names herself as writing for her ("aqui é a irmã da Josilene", "sou o marido da", "escribo por mi
    /// hija", "writing for my sister"): the relative named right after it is the woman the service cares for, and
    /// what is happening to her now is hers to act on.
    case proxy
    /// Words that make a time recent ("semana", "dias", "ontem", "week", "ayer"): only a recent date of the birth
    /// puts her in the postpartum ("nasceu há 3 anos" stays a story of the past).
    case recent

    /// The mention context this cue gives, for the cues that give one.
    var context: MentionContext? {
        switch self {
        case .negation, .negationAfter: .negated
        case .hypothetical: .hypothetical
        case .historical, .historicalAfter: .historical
        case .otherPerson, .otherPersonClose, .otherPersonAfter: .otherPerson
        case .informational: .informational
        case .pseudo, .terminator, .assertion, .present, .clause, .personal, .speaker, .pregnant, .caredFor, .birth,
            .recent, .proxy:
            nil
        }
    }

    /// Whether the cue reaches forward (a cue before the finding) or backward (a cue after it).
    var reachesForward: Bool { self != .negationAfter && self != .historicalAfter && self != .otherPersonAfter }
}

/// Concepts the engine derives from numbers rather than from word lists.
enum NumberConcept: String, CaseIterable, Sendable {
    /// Any number.
    case number
    /// A body temperature of 38 °C or more ("39", "38,5", "101 F", "38 e meio").
    case temperatureHigh = "temperature-high"
    /// A reading that can only be a temperature, of 38 °C or more: written with a decimal ("38.2"), a degree sign
    /// ("39°") or in Fahrenheit ("101 F").
    case feverReading = "fever-reading"
    /// A body temperature below 38 °C ("37,2").
    case temperatureNormal = "temperature-normal"
    /// A gestational age below 37 weeks ("33 semanas", "7 meses").
    case weeksPreterm = "weeks-preterm"
    /// A gestational age of 37 weeks or more.
    case weeksTerm = "weeks-term"
    /// A blood pressure of 140/90 or more ("15 por 10", "140/90").
    case pressureHigh = "pressure-high"
}

/// A set of concepts as a bitset (the definition may name at most 256 concepts).
struct ConceptSet: Sendable, Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    static let capacity = 256

    init() {}
    init(_ index: Int) { insert(index) }

    mutating func insert(_ index: Int) {
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func contains(_ index: Int) -> Bool {
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    func intersects(_ other: ConceptSet) -> Bool {
        words.0 & other.words.0 != 0 || words.1 & other.words.1 != 0 || words.2 & other.words.2 != 0
            || words.3 & other.words.3 != 0
    }

    var isEmpty: Bool { words.0 | words.1 | words.2 | words.3 == 0 }

    /// The concepts in both sets.
    func intersection(_ other: ConceptSet) -> ConceptSet {
        var result = ConceptSet()
        result.words = (
            words.0 & other.words.0, words.1 & other.words.1, words.2 & other.words.2, words.3 & other.words.3
        )
        return result
    }

    /// The concepts in either set.
    func union(_ other: ConceptSet) -> ConceptSet {
        var result = self
        result.formUnion(other)
        return result
    }

    mutating func formUnion(_ other: ConceptSet) {
        words.0 |= other.words.0
        words.1 |= other.words.1
        words.2 |= other.words.2
        words.3 |= other.words.3
    }

    static func == (lhs: ConceptSet, rhs: ConceptSet) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

/// One way of recognising something: concepts that co-occur within a window of words, in one sentence.
struct MatchPattern: Sendable {
    /// Each slot is satisfied by any one of its concepts.
    var slots: [ConceptSet]
    /// Concepts that, near the match, mean it is something else ("gengiva" for bleeding).
    var unless: ConceptSet
    /// Concepts that, anywhere in the message, mean it is something else ("38 semanas" for contractions).
    var unlessMessage: ConceptSet
    /// Concepts of which one must appear somewhere in the message ("ele está parado" needs the baby or the belly).
    var withMessage: [ConceptSet]
    /// The most words from the first matched word to the last.
    var window: Int
    /// How many words around the match `unless` looks at.
    var unlessWindow: Int
    /// Whether the slots must appear in the order written.
    var ordered: Bool
    /// Whether a negation can deny it; absence is the sign itself for "não senti nenhum chute".
    var negatable: Bool = true
    /// Whether a supposition voids it; "se eu não acordar amanhã, tanto faz" wishes it rather than supposes it.
    var supposable: Bool = true
    /// Whether someone named beside it is the one it happens to; for thoughts of smothering the baby the baby
    /// ("o rostinho dele") is its object, and the thought is hers.
    var attributable: Bool = true
}

/// A recognisable thing with its patterns.
struct Definition<Kind: Sendable>: Sendable {
    var kind: Kind
    var patterns: [MatchPattern]
}

/// One listed term: its words, folded and stemmed, and the concepts it stands for.
struct LexiconTerm: Sendable {
    var words: [String]
    /// Matched by form only: no stem, root or typo ("descanse" is not "descansar").
    var exact: Bool = false
    var stems: [String]
    var roots: [String]
    var concepts: ConceptSet
}

/// A way a sound is written when a word is spelled as it is said: letters for letters anywhere in the word
/// ("inxada" for "inchada"), or an ending for an ending ("sangrano" for "sangrando").
struct Respelling: Sendable, Hashable {
    /// The letters as written.
    var written: String
    /// The letters they stand for.
    var standsFor: String
    /// Whether the rule rewrites the word's ending only.
    var endingOnly: Bool

    /// Reads "x: ch" or "-ano: -ando"; nil when the two sides are not of one kind or are empty.
    init?(written: String, standsFor: String) {
        let ending = written.hasPrefix("-")
        guard ending == standsFor.hasPrefix("-") else { return nil }
        self.written = ending ? String(written.dropFirst()) : written
        self.standsFor = ending ? String(standsFor.dropFirst()) : standsFor
        self.endingOnly = ending
        guard !self.written.isEmpty, !self.standsFor.isEmpty, self.written != self.standsFor,
            self.written.allSatisfy(\.isLetter), self.standsFor.allSatisfy(\.isLetter)
        else { return nil }
    }

    /// The word with this rule applied, or nil when the rule does not apply to it.
    func apply(to word: String) -> String? {
        if endingOnly {
            guard word.hasSuffix(written) else { return nil }
            return String(word.dropLast(written.count)) + standsFor
        }
        guard word.contains(written) else { return nil }
        return word.replacingOccurrences(of: written, with: standsFor)
    }
}

/// The parsed definition file.
struct ClinicalDefinitionFile: Sendable {
    var conceptNames: [String]
    /// Per language: terms (a term written "=word" matches by form only), spellings.
    var terms: [ClinicalLanguage: [(words: [String], concept: Int, exact: Bool)]]
    /// Concepts matched by form only.
    var exactConcepts: Set<Int> = []
    var spellings: [ClinicalLanguage: [String: [String]]]
    /// Per language: how sounds are written when spelled as spoken, tried in order on a word the lists do not know.
    var respellings: [ClinicalLanguage: [Respelling]] = [:]
    var signs: [Definition<WarningSign>]
    var answerActs: [Definition<AnswerAct>]
    var toneMarkers: [Definition<ToneMarker>]
    var scope: Int
    var narrativeScope: Int = 16
    var typoMinimumLength: Int
    /// Concepts that are findings for ConText's scope rules (a cue that covered one continues past a comma).
    var findings: [Int] = []
    /// Concepts besides the findings that show a sign is being described, so that the learned detector may add
    /// it ("ensopada", "coágulo", "tremendo"): the detector never adds a sign from a message without one.
    var evidence: [Int] = []
    /// Concepts that qualify a finding (intensity, suddenness, persistence): a phrase that is one of them keeps the
    /// findings its own words name ("de tanta dor" is intensity and pain).
    var qualifiers: [Int] = []
    /// What the guard appends for a sign ("default" for every sign without its own), by language.
    var referrals: [String: [ClinicalLanguage: String]] = [:]

    /// Reads and checks the file; every problem becomes a diagnostic with its position.
    static func load(_ file: YAMLFile, diagnostics: DiagnosticCollector) throws -> ClinicalDefinitionFile {
        let root = try file.parse()
        var result = ClinicalDefinitionFile(
            conceptNames: [], terms: [:], spellings: [:], signs: [], answerActs: [], toneMarkers: [], scope: 8,
            typoMinimumLength: 6)
        guard
            let reader = MappingReader(
                root, file: file.displayPath, diagnostics: diagnostics, context: "clinical-signs definition")
        else { return result }
        if let version = reader.int("version", required: true), version != 1 {
            diagnostics.error(
                "unsupported version \(version)", at: reader.location(ofKey: "version"),
                hint: "this promptctl reads version 1")
        }
        let defaultWindow = positive(reader, "window") ?? 8
        result.scope = positive(reader, "scope") ?? 8
        result.narrativeScope = positive(reader, "narrative_scope") ?? 16
        result.typoMinimumLength = positive(reader, "typo_min_length") ?? 6

        var conceptIndex: [String: Int] = [:]
        func declare(_ name: String) -> Int {
            if let index = conceptIndex[name] { return index }
            conceptIndex[name] = result.conceptNames.count
            result.conceptNames.append(name)
            return result.conceptNames.count - 1
        }
        for concept in NumberConcept.allCases { _ = declare(concept.rawValue) }
        for cue in ContextCueKind.allCases { _ = declare(cue.rawValue) }

        func readLanguageLists(_ node: Node, owner: String, concept: Int) {
            guard
                let lists = MappingReader(
                    node, file: file.displayPath, diagnostics: diagnostics, context: "'\(owner)'")
            else { return }
            var count = 0
            for entry in lists.entries() {
                let languages: [ClinicalLanguage]
                if entry.key == "match" {
                    switch entry.value.string {
                    case "exact": result.exactConcepts.insert(concept)
                    case "inflected": break
                    default:
                        diagnostics.error(
                            "'match' must be exact or inflected", at: entry.keyLocation,
                            hint: "exact: only the forms listed; inflected (the default): stems, roots and typos too")
                    }
                    continue
                }
                if entry.key == "all" {
                    languages = ClinicalLanguage.allCases
                } else if let language = ClinicalLanguage(rawValue: entry.key) {
                    languages = [language]
                } else {
                    diagnostics.error(
                        "unknown language '\(entry.key)' in '\(owner)'", at: entry.keyLocation,
                        hint: "use pt, en, es, or all")
                    continue
                }
                guard let sequence = entry.value.sequence else {
                    lists.typeError(entry.key, entry.value, expected: "a list of words or phrases")
                    continue
                }
                if sequence.isEmpty {
                    diagnostics.error(
                        "'\(owner)' has an empty list for \(entry.key)", at: entry.keyLocation,
                        hint: "list its words, or remove the language")
                }
                for item in sequence {
                    guard case .scalar(let scalar) = item else {
                        diagnostics.error(
                            "each term of '\(owner)' must be text",
                            at: MappingReader.location(of: item, file: file.displayPath))
                        continue
                    }
                    // "=segurou": this form only, so a past-tense cue does not fire on the present ("seguro").
                    let exact = scalar.string.hasPrefix("=")
                    let written = exact ? String(scalar.string.dropFirst()) : scalar.string
                    let words = Tokenizer.termWords(written)
                    guard !words.isEmpty else {
                        diagnostics.error(
                            "the term '\(scalar.string)' has no words",
                            at: MappingReader.location(of: item, file: file.displayPath))
                        continue
                    }
                    for language in languages { result.terms[language, default: []].append((words, concept, exact)) }
                    count += 1
                }
            }
            if count == 0 {
                diagnostics.error(
                    "'\(owner)' lists no terms", at: lists.location, hint: "give at least one word under pt, en or es")
            }
        }

        // Context cues: a closed set of names.
        if let context = reader.mapping("context", required: true) {
            for entry in context.entries() {
                guard let cue = ContextCueKind(rawValue: entry.key) else {
                    let suggestion = MappingReader.nearest(to: entry.key, in: ContextCueKind.allCases.map(\.rawValue))
                    diagnostics.error(
                        "unknown context cue '\(entry.key)'", at: entry.keyLocation,
                        hint: suggestion.map { "did you mean '\($0)'?" }
                            ?? "known cues: \(ContextCueKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                readLanguageLists(entry.value, owner: entry.key, concept: conceptIndex[cue.rawValue]!)
            }
        }

        // Concepts: free names, each with words per language.
        var conceptLocations: [String: SourceLocation] = [:]
        if let concepts = reader.mapping("concepts", required: true) {
            for entry in concepts.entries() {
                if conceptIndex[entry.key] != nil {
                    diagnostics.error(
                        "'\(entry.key)' is a reserved concept name", at: entry.keyLocation,
                        hint: "built-in concepts come from numbers or the context block; choose another name")
                    continue
                }
                conceptLocations[entry.key] = entry.keyLocation
                readLanguageLists(entry.value, owner: entry.key, concept: declare(entry.key))
            }
        }
        if result.conceptNames.count > ConceptSet.capacity {
            diagnostics.error(
                "\(result.conceptNames.count) concepts; at most \(ConceptSet.capacity) are supported",
                at: reader.location(ofKey: "concepts"))
        }

        // A mapping per language ("pt:", "en:", "es:"), each read by `body`; an unknown language is an error.
        func perLanguage(_ key: String, _ body: (ClinicalLanguage, MappingReader) -> Void) {
            guard let languages = reader.mapping(key) else { return }
            for entry in languages.entries() {
                guard let language = ClinicalLanguage(rawValue: entry.key) else {
                    diagnostics.error("unknown language '\(entry.key)' in \(key)", at: entry.keyLocation)
                    continue
                }
                if let map = MappingReader(entry.value, file: file.displayPath, diagnostics: diagnostics, context: key)
                {
                    body(language, map)
                }
            }
        }

        // Spellings: WhatsApp forms read as the words they stand for.
        perLanguage("spellings") { language, map in
            for pair in map.entries() {
                let from = Tokenizer.tokens(pair.key).map(\.text)
                guard from.count == 1, let to = pair.value.string else {
                    diagnostics.error(
                        "a spelling maps one written word to the words it stands for", at: pair.keyLocation)
                    continue
                }
                let words = Tokenizer.tokens(to).filter { $0.kind == .word }.map(\.text)
                if words.isEmpty {
                    diagnostics.error("the spelling '\(pair.key)' stands for no word", at: pair.keyLocation)
                    continue
                }
                result.spellings[language, default: [:]][from[0]] = words
            }
        }
        perLanguage("respellings") { language, map in
            for pair in map.entries() {
                guard let to = pair.value.string, let rule = Respelling(written: pair.key, standsFor: to) else {
                    diagnostics.error(
                        "a respelling maps letters to letters ('x: ch'), or an ending to an ending ('-ano: -ando')",
                        at: pair.keyLocation)
                    continue
                }
                result.respellings[language, default: []].append(rule)
            }
        }

        func readPatterns(_ node: Node, owner: String) -> [MatchPattern] {
            guard let sequence = node.sequence, !sequence.isEmpty else {
                diagnostics.error(
                    "'\(owner)' needs a non-empty list of patterns ('- all: [concept, ...]')",
                    at: MappingReader.location(of: node, file: file.displayPath))
                return []
            }
            var patterns: [MatchPattern] = []
            for item in sequence {
                guard
                    let pattern = MappingReader(
                        item, file: file.displayPath, diagnostics: diagnostics, context: "pattern of '\(owner)'")
                else { continue }
                func concepts(_ key: String, required: Bool) -> [ConceptSet] {
                    guard let node = pattern.value(key, required: required) else { return [] }
                    guard let items = node.sequence else {
                        pattern.typeError(key, node, expected: "a list of concept names")
                        return []
                    }
                    if items.isEmpty {
                        diagnostics.error(
                            "'\(key)' in '\(owner)' is empty",
                            at: MappingReader.location(of: node, file: file.displayPath),
                            hint: "name at least one concept")
                    }
                    return items.map { item in
                        var set = ConceptSet()
                        for name in (item.string ?? "").split(separator: "|").map({
                            $0.trimmingCharacters(in: .whitespaces)
                        }) {
                            if let index = conceptIndex[name] {
                                set.insert(index)
                            } else {
                                let suggestion = MappingReader.nearest(to: name, in: result.conceptNames)
                                diagnostics.error(
                                    "unknown concept '\(name)' in '\(owner)'",
                                    at: MappingReader.location(of: item, file: file.displayPath),
                                    hint: suggestion.map { "did you mean '\($0)'?" }
                                        ?? "declare it under 'concepts:' with its words")
                            }
                        }
                        return set
                    }
                }
                let slots = concepts("all", required: true)
                var unless = ConceptSet()
                for set in concepts("unless", required: false) { unless.formUnion(set) }
                let window = positive(pattern, "window") ?? defaultWindow
                let ordered = pattern.bool("ordered") ?? false
                let negatable = pattern.bool("negatable") ?? true
                let supposable = pattern.bool("supposable") ?? true
                let attributable = pattern.bool("attributable") ?? true

                let unlessWindow = positive(pattern, "unless_window") ?? 3
                var unlessMessage = ConceptSet()
                for set in concepts("unless_message", required: false) { unlessMessage.formUnion(set) }
                let withMessage = concepts("with_message", required: false)
                pattern.rejectUnknownKeys()
                if !slots.isEmpty {
                    patterns.append(
                        MatchPattern(
                            slots: slots, unless: unless, unlessMessage: unlessMessage, withMessage: withMessage,
                            window: window,
                            unlessWindow: unlessWindow, ordered: ordered, negatable: negatable,
                            supposable: supposable, attributable: attributable))
                }
            }
            return patterns
        }

        func readDefinitions<Kind: RawRepresentable & CaseIterable & Sendable>(
            _ key: String, _ type: Kind.Type, requireAll: Bool
        ) -> [Definition<Kind>] where Kind.RawValue == String {
            guard let block = reader.mapping(key, required: true) else { return [] }
            var definitions: [Definition<Kind>] = []
            for entry in block.entries() {
                guard let kind = Kind(rawValue: entry.key) else {
                    let names = Kind.allCases.map(\.rawValue)
                    let suggestion = MappingReader.nearest(to: entry.key, in: names)
                    diagnostics.error(
                        "unknown \(key == "signs" ? "sign" : "entry") '\(entry.key)' in '\(key)'",
                        at: entry.keyLocation,
                        hint: suggestion.map { "did you mean '\($0)'?" } ?? "known: \(names.joined(separator: ", "))")
                    continue
                }
                guard
                    let item = MappingReader(
                        entry.value, file: file.displayPath, diagnostics: diagnostics, context: "'\(entry.key)'")
                else { continue }
                _ = item.string("description")
                let patterns = item.value("match", required: true).map { readPatterns($0, owner: entry.key) } ?? []
                item.rejectUnknownKeys()
                definitions.append(Definition(kind: kind, patterns: patterns))
            }
            if requireAll {
                for kind in Kind.allCases where !definitions.contains(where: { $0.kind.rawValue == kind.rawValue }) {
                    diagnostics.error("'\(key)' does not define '\(kind.rawValue)'", at: block.location)
                }
            }
            return definitions
        }
        if let referral = reader.mapping("referral", required: true) {
            let names = ["default"] + WarningSign.allCases.map(\.rawValue)
            for entry in referral.entries() {
                guard names.contains(entry.key) else {
                    diagnostics.error(
                        "unknown sign '\(entry.key)' in 'referral'", at: entry.keyLocation,
                        hint: MappingReader.nearest(to: entry.key, in: names).map { "did you mean '\($0)'?" }
                            ?? "use default or a sign id")
                    continue
                }
                guard
                    let texts = MappingReader(
                        entry.value, file: file.displayPath, diagnostics: diagnostics,
                        context: "referral '\(entry.key)'")
                else { continue }
                var messages: [ClinicalLanguage: String] = [:]
                for text in texts.entries() {
                    guard let language = ClinicalLanguage(rawValue: text.key), let value = text.value.string,
                        !value.isEmpty
                    else {
                        diagnostics.error(
                            "a referral is text under pt, en or es", at: text.keyLocation)
                        continue
                    }
                    messages[language] = value
                }
                result.referrals[entry.key] = messages
            }
            let defaults = result.referrals["default"] ?? [:]
            for language in ClinicalLanguage.allCases where defaults[language] == nil {
                diagnostics.error(
                    "'referral' needs a default message in \(language.rawValue)", at: referral.location)
            }
        }
        func conceptList(_ key: String, required: Bool) -> [Int] {
            var indices: [Int] = []
            for node in reader.sequence(key, required: required) ?? [] {
                let name = node.string ?? ""
                if let index = conceptIndex[name] {
                    indices.append(index)
                } else {
                    diagnostics.error(
                        "unknown concept '\(name)' in '\(key)'",
                        at: MappingReader.location(of: node, file: file.displayPath),
                        hint: MappingReader.nearest(to: name, in: result.conceptNames).map { "did you mean '\($0)'?" })
                }
            }
            return indices
        }
        result.findings = conceptList("findings", required: true)
        result.evidence = conceptList("evidence", required: false)
        result.qualifiers = conceptList("qualifiers", required: false)
        result.signs = readDefinitions("signs", WarningSign.self, requireAll: true)
        result.answerActs = readDefinitions("answer", AnswerAct.self, requireAll: true)
        result.toneMarkers = readDefinitions("tone", ToneMarker.self, requireAll: true)
        reader.rejectUnknownKeys()
        return result
    }

    private static func positive(_ reader: MappingReader, _ key: String) -> Int? {
        guard let value = reader.int(key) else { return nil }
        guard value > 0 else {
            reader.diagnostics.error(
                "'\(key)' must be at least 1, found \(value)", at: reader.location(ofKey: key),
                hint: "a window of zero words can never match")
            return nil
        }
        return value
    }
}
