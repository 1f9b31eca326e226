import Foundation
import PromptctlCore
import Synchronization

/// Engines already built in this process, by definition file and text.
private let loadedEngines = Mutex<[String: ClinicalSignsEngine]>([:])

/// The engine a project's files gave, with the stamps those files had: asked again while the stamps are the same,
/// `forProject` neither reads nor hashes them (the learned model is a megabyte, and a run asks five times).
private let projectEngines = Mutex<[String: (stamps: [FileStamp?], engine: ClinicalSignsEngine)]>([:])

/// The last few hundred results of one engine, by text, language and weeks (oldest forgotten first).
final class RecentMemo<Value: Sendable>: Sendable {
    struct Key: Hashable, Sendable {
        var text: String
        var language: String
        var weeks: Int?
    }

    private struct State {
        var entries: [Key: Value] = [:]
        var order: [Key] = []
        var next = 0
    }

    static var capacity: Int { 256 }
    private let state = Mutex(State())

    func value(for key: Key) -> Value? { state.withLock { $0.entries[key] } }

    func store(_ value: Value, for key: Key) {
        state.withLock { state in
            guard state.entries[key] == nil else { return }
            if state.order.count < Self.capacity {
                state.order.append(key)
            } else {
                state.entries[state.order[state.next]] = nil
                state.order[state.next] = key
                state.next = (state.next + 1) % Self.capacity
            }
            state.entries[key] = value
        }
    }
}

/// An engine being built: a caller who asks for the same one meanwhile waits for it instead of building it again.
private final class EngineBuild: Sendable {
    let finished = DispatchSemaphore(value: 0)
    let result = Mutex<Result<ClinicalSignsEngine, any Error>?>(nil)
}

/// Builds in progress, by the same key as `loadedEngines`.
private let engineBuilds = Mutex<[String: EngineBuild]>([:])

/// Reads messages and answers for warning signs of pregnancy, the acts of an answer and its tone, from one
/// definition file (`guards/clinical-signs.yaml`): concepts that co-occur within a window, Snowball stems,
/// one-letter typos, numbers (temperature, weeks, blood pressure) and ConText's negation, hypothetical,
/// historical and other-person cues.
public struct ClinicalSignsEngine: Sendable {
    let definition: ClinicalDefinitionFile
    /// Each language's lexicon, built the first time a text in that language is read: a run in one language does
    /// not wait for the other two.
    let lexicons: [ClinicalLanguage: BuiltOnce<Lexicon>]
    /// The words that make a time recent ("semana", "dias", "week"), in every language: a cue of the past that holds
    /// one and dates the birth is the postpartum, not the past.
    let recentWords: Set<String>
    let concept: [String: Int]
    let cueSets: CueSets
    /// SHA-256 of the definition's text: a learned model records the one its features were read with.
    public let definitionSHA256: String
    /// The learned detector beside the rules, when the project has a model.
    let detector: LearnedDetector?
    /// The analyses of the messages read last.
    let memo = RecentMemo<SignAnalysis>()
    /// The answers read last: an answer is read by the output check, the clinical rules and two tone criteria.
    let answerReadings = RecentMemo<Reading>()
    /// For each sign, the concepts that show it is being described (its patterns' findings and evidence): the
    /// detector adds a sign only when the message has one of them, in whatever context.
    let signEvidence: [WarningSign: ConceptSet]
    /// Numbers for stems, shared by the lexicons and the detector's index.
    let stemNumbers: StemInterner
    /// The detector's features laid out for the engine's reading, built on the first message read (a run's suite
    /// checks and plan need the definition only, so they do not wait for it).
    let learnedIndexSlot: BuiltOnce<LearnedFeatureIndex>?
    /// The detector's index, built now if no message was read before.
    var learnedIndex: LearnedFeatureIndex? { learnedIndexSlot?.value }
    /// Each context cue kind's concept index, in `ContextCueKind.allCases` order.
    let cueConcepts: [Int]
    /// Each sign's patterns, by sign.
    let signPatterns: [WarningSign: [MatchPattern]]

    struct CueSets: Sendable {
        /// Every context cue's concept (the learned detector reads them as cues, not as findings).
        var allCues = ConceptSet()
        var forward = ConceptSet()
        var backward = ConceptSet()
        var terminator = ConceptSet()
        var breaker = ConceptSet()
        var clause = ConceptSet()
        var present = ConceptSet()
        var insideSpan = ConceptSet()
        var negation = ConceptSet()
        var personal = ConceptSet()
        var pregnant = ConceptSet()
        var caredFor = ConceptSet()
        var speaker = ConceptSet()
        var birth = ConceptSet()
        var proxy = ConceptSet()
        /// Qualifiers of a finding (intensity, suddenness, persistence).
        var qualifier = ConceptSet()
        /// Concepts that are findings rather than cues or numbers.
        var finding = ConceptSet()
    }

    /// The path of the definition inside a project.
    public static let projectPath = "guards/clinical-signs.yaml"

    /// Loads a definition file, and the learned model beside it when there is one; every mistake is a
    /// configuration error (exit 2) with `file:line:col`.
    public static func load(_ file: YAMLFile, model: (data: Data, displayPath: String)? = nil) throws
        -> ClinicalSignsEngine
    {
        // Building the lexicons (every term stemmed) is most of a short run's start-up, and a run asks for the
        // engine several times (suite checks, rubrics, guards): the same text gives the same engine.
        // The key holds the texts' digests, not the texts: hashing the 130 kB definition as a Swift string
        // (Unicode-normalised) for each of a build's five table operations cost more than its SHA-256 once.
        let modelKey = model.map { $0.displayPath + "\u{0}" + ContentHash.sha256($0.data) } ?? ""
        let definitionSHA256 = ContentHash.sha256(file.text)
        let key = file.displayPath + "\u{0}" + definitionSHA256 + "\u{0}" + modelKey
        if let cached = loadedEngines.withLock({ $0[key] }) { return cached }
        let (build, builder) = engineBuilds.withLock { builds -> (EngineBuild, Bool) in
            if let running = builds[key] { return (running, false) }
            let build = EngineBuild()
            builds[key] = build
            return (build, true)
        }
        if !builder {
            build.finished.wait()
            build.finished.signal()
            if let result = build.result.withLock({ $0 }) { return try result.get() }
        }
        let result = Result { () throws -> ClinicalSignsEngine in
            // The learned model (a megabyte of JSON) is decoded on another thread while the definition is read.
            let decoding = model.map { model in
                BackgroundResult { try LearnedSignModel.load(model.data, displayPath: model.displayPath) }
            }
            let diagnostics = DiagnosticCollector()
            let definition: ClinicalDefinitionFile
            do {
                definition = try ClinicalDefinitionFile.load(file, diagnostics: diagnostics)
                try diagnostics.throwIfErrors("\(file.displayPath) has errors")
            } catch {
                // The decoding thread finishes before the error is reported, never after the caller moved on.
                _ = try? decoding?.get()
                throw error
            }
            let learned = try decoding?.get()
            return ClinicalSignsEngine(
                definition: definition, definitionSHA256: definitionSHA256,
                detector: learned.map(LearnedDetector.init(model:)))
        }
        if case .success(let engine) = result { loadedEngines.withLock { $0[key] = engine } }
        if builder {
            build.result.withLock { $0 = result }
            engineBuilds.withLock { $0[key] = nil }
            build.finished.signal()
        }
        return try result.get()
    }

    /// Starts building the project's engine on a thread of its own, so that a command's other start-up work (its
    /// project, its store, its suite) runs meanwhile; the first caller of `forProject` waits for it. A mistake in
    /// the definition is reported to that caller, as without the head start.
    public static func preload(root: URL) {
        // Portuguese, the service's first language, is read first by nearly every run: its lexicon and the learned
        // detector's index are built here too, while the caller checks its suite; the others wait for a text in
        // their language.
        Thread.detachNewThread {
            guard let engine = try? forProject(root: root) else { return }
            _ = engine.lexicons[.pt]?.value
            _ = engine.learnedIndex
        }
    }

    /// Builds every language's lexicon now: a server does it before it says it is ready, so that no first message
    /// in a language waits for it.
    public func prepareAllLanguages() {
        for language in ClinicalLanguage.allCases { _ = lexicons[language]?.value }
        _ = learnedIndex
    }

    /// The definition shipped with promptctl, with its learned model, for a project without its own.
    public static func bundled(learned: Bool = true) throws -> ClinicalSignsEngine {
        guard
            let url = Bundle.module.url(forResource: "clinical-signs", withExtension: "yaml", subdirectory: "Resources")
        else {
            throw PromptctlError(.infrastructure, "the bundled clinical-signs definition is missing from this build")
        }
        let model =
            learned
            ? Bundle.module.url(forResource: "clinical-signs.model", withExtension: "json", subdirectory: "Resources")
            : nil
        return try load(
            YAMLFile(contentsOf: url, displayPath: "(bundled) clinical-signs.yaml"),
            model: try model.map { (try Data(contentsOf: $0), "(bundled) clinical-signs.model.json") })
    }

    /// The project's definition (and its learned model, `guards/clinical-signs.model.json`, when it has one),
    /// otherwise the bundled ones.
    public static func forProject(root: URL, learned: Bool = true) throws -> ClinicalSignsEngine {
        let url = root.appendingPathComponent(projectPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            return try bundled(learned: learned)
        }
        let modelURL = root.appendingPathComponent(LearnedSignModel.projectPath)
        // Stamped before reading: a file changed while it is read gives a different stamp at the next call.
        let memoKey = url.path + (learned ? "\u{0}learned" : "")
        let stamps = [FileStamp(path: url.path), learned ? FileStamp(path: modelURL.path) : nil]
        // A model absent both times (no stamp) is the same engine without one.
        if stamps[0] != nil, let memo = projectEngines.withLock({ $0[memoKey] }), memo.stamps == stamps {
            return memo.engine
        }
        var model: (Data, String)?
        // Without the learned model the file is not read: `signs train` rebuilds one that may be unreadable.
        if learned, FileManager.default.fileExists(atPath: modelURL.path) {
            do {
                model = (try Data(contentsOf: modelURL), LearnedSignModel.projectPath)
            } catch {
                throw PromptctlError(
                    .config, "cannot read \(LearnedSignModel.projectPath): \(error.localizedDescription)")
            }
        }
        let engine = try load(YAMLFile(contentsOf: url, displayPath: projectPath), model: model)
        if stamps.allSatisfy({ $0?.isSettled ?? true }) { projectEngines.withLock { $0[memoKey] = (stamps, engine) } }
        return engine
    }

    /// The same definition with another learned model, or none (`signs train` measures a model it just built).
    public func withModel(_ model: LearnedSignModel?) -> ClinicalSignsEngine {
        ClinicalSignsEngine(
            definition: definition, definitionSHA256: definitionSHA256,
            detector: model.map(LearnedDetector.init(model:)))
    }

    /// The learned model in use, if any.
    public var learnedModel: LearnedSignModel? { detector?.model }

    init(definition: ClinicalDefinitionFile, definitionSHA256: String, detector: LearnedDetector?) {
        self.definition = definition
        self.definitionSHA256 = definitionSHA256
        self.detector = detector
        let stemNumbers = StemInterner()
        self.stemNumbers = stemNumbers
        var lexicons: [ClinicalLanguage: BuiltOnce<Lexicon>] = [:]
        let speaker = definition.conceptNames.firstIndex(of: ContextCueKind.speaker.rawValue)!
        for language in ClinicalLanguage.allCases {
            var entries = definition.terms[language] ?? []
            // A phrase that holds the writer's "eu" ("quando eu não estiver mais aqui") speaks for her as the word
            // alone would: a longer term must not hide it.
            let speakerWords = Set(entries.filter { $0.concept == speaker && $0.words.count == 1 }.map { $0.words[0] })
            for entry in entries where entry.words.count > 1 && entry.concept != speaker {
                if entry.words.contains(where: speakerWords.contains) {
                    entries.append((entry.words, speaker, entry.exact))
                }
            }
            let spellings = definition.spellings[language] ?? [:]
            let respellings = definition.respellings[language] ?? []
            let typoMinimumLength = definition.typoMinimumLength
            let exactConcepts = definition.exactConcepts
            let terms = entries
            lexicons[language] = BuiltOnce {
                Lexicon(
                    language: language, entries: terms, spellings: spellings, respellings: respellings,
                    typoMinimumLength: typoMinimumLength, exactConcepts: exactConcepts, stemNumbers: stemNumbers)
            }
        }
        self.lexicons = lexicons
        let recentConcept = definition.conceptNames.firstIndex(of: ContextCueKind.recent.rawValue)
        self.recentWords = Set(
            definition.terms.values.joined().filter { $0.concept == recentConcept }.flatMap(\.words))
        var concept: [String: Int] = [:]
        for (index, name) in definition.conceptNames.enumerated() { concept[name] = index }
        self.concept = concept
        var cues = CueSets()
        for cue in ContextCueKind.allCases {
            let index = concept[cue.rawValue]!
            cues.allCues.insert(index)
            switch cue {
            case .negation, .hypothetical, .historical, .otherPerson, .otherPersonClose, .informational:
                cues.forward.insert(index)
            case .negationAfter, .historicalAfter, .otherPersonAfter: cues.backward.insert(index)
            case .terminator: cues.terminator.insert(index)
            case .assertion: cues.breaker.insert(index)
            case .present:
                cues.present.insert(index)
            case .clause: cues.clause.insert(index)
            case .pseudo, .personal: break
            case .caredFor: cues.caredFor.insert(index)
            case .speaker: cues.speaker.insert(index)
            case .pregnant: cues.pregnant.insert(index)
            case .birth: cues.birth.insert(index)
            case .proxy: cues.proxy.insert(index)
            case .recent: break
            }
        }
        for index in definition.findings { cues.finding.insert(index) }
        for index in definition.qualifiers { cues.qualifier.insert(index) }
        var evidenceConcepts = cues.finding
        for index in definition.evidence { evidenceConcepts.insert(index) }
        var signEvidence: [WarningSign: ConceptSet] = [:]
        for sign in definition.signs {
            var concepts = ConceptSet()
            for pattern in sign.patterns {
                for slot in pattern.slots {
                    slot.forEachMember { index in
                        if evidenceConcepts.contains(index) { concepts.insert(index) }
                    }
                }
            }
            signEvidence[sign.kind] = concepts
        }
        self.signEvidence = signEvidence
        signPatterns = Dictionary(definition.signs.map { ($0.kind, $0.patterns) }, uniquingKeysWith: +)
        cueConcepts = ContextCueKind.allCases.map { concept[$0.rawValue]! }
        learnedIndexSlot = detector.map { detector in
            BuiltOnce { Self.featureIndex(for: detector, definition: definition, stems: stemNumbers) }
        }
        cues.insideSpan.insert(concept[ContextCueKind.negation.rawValue]!)
        cues.negation.insert(concept[ContextCueKind.negation.rawValue]!)
        cues.personal.insert(concept[ContextCueKind.personal.rawValue]!)
        for name in [NumberConcept.weeksPreterm, .weeksTerm] { cues.pregnant.insert(concept[name.rawValue]!) }
        cues.insideSpan.insert(concept[ContextCueKind.hypothetical.rawValue]!)
        self.cueSets = cues
    }

    /// The referral the guard appends for a sign, in her language.
    public func referral(for sign: WarningSign, language: String) -> String {
        let language = ClinicalLanguage(tag: language) ?? .pt
        return definition.referrals[sign.rawValue]?[language] ?? definition.referrals["default"]?[language] ?? ""
    }

    // MARK: - Public reading

    /// The warning signs a message describes, with their context; `weeks` is the gestational age when the
    /// conversation knows it (the message's own figure wins).
    public func analyzeMessage(_ text: String, language: String, weeks: Int? = nil) -> SignAnalysis {
        // Her message is read by the input guard, again by the output check of the answer to it, and by the
        // rubric: the same text gives the same analysis, so the recent ones are kept.
        let key = RecentMemo<SignAnalysis>.Key(text: text, language: language, weeks: weeks)
        if let known = memo.value(for: key) { return known }
        let language = ClinicalLanguage(tag: language) ?? .pt
        let reading = read(text, language: language, weeks: weeks)
        var mentions = find(definition.signs, in: reading)
        var analysis = SignAnalysis(language: language, mentions: mentions)
        if let detector {
            let (learned, added) = learnedReading(reading, mentions: mentions, detector: detector)
            if let added { mentions.append(added) }
            analysis = SignAnalysis(language: language, mentions: mentions, learned: learned)
        }
        memo.store(analysis, for: key)
        return analysis
    }

    /// What an answer does: refers, urges, calls normal, suggests waiting, diagnoses, gives a dose.
    public func analyzeAnswer(_ text: String, language: String) -> AnswerAnalysis {
        let language = ClinicalLanguage(tag: language) ?? .pt
        let reading = readAnswer(text, language: language)
        return AnswerAnalysis(language: language, mentions: find(definition.answerActs, in: reading))
    }

    /// The tone markers of an answer (empathy, speaking to her), asserted ones only.
    public func tone(_ text: String, language: String) -> [ToneMention] {
        let language = ClinicalLanguage(tag: language) ?? .pt
        let reading = readAnswer(text, language: language)
        return find(definition.toneMarkers, in: reading, keepAll: true)
    }

    /// An answer as read (no gestational age), kept for the next caller that reads the same one.
    func readAnswer(_ text: String, language: ClinicalLanguage) -> Reading {
        let key = RecentMemo<Reading>.Key(text: text, language: language.rawValue, weeks: nil)
        if let known = answerReadings.value(for: key) { return known }
        let reading = read(text, language: language, weeks: nil)
        answerReadings.store(reading, for: key)
        return reading
    }

    // MARK: - Reading a text into units

    /// One unit of a sentence: a listed term (one or more words), a reading (number), or an unknown word.
    struct Unit {
        var concepts: ConceptSet
        /// Units with the same chain have no comma or symbol between them.
        var chain: Int = 0
        var position: Int
        var length: Int
        var range: Range<Int>
        var text: String
    }

    /// The message as written, cut by character offsets; split into characters only when a span is cut.
    struct OriginalText {
        let text: String
        private var characters: [Character]?

        init(_ text: String) { self.text = text }

        /// The characters in `range`, clamped to the text.
        mutating func cut(_ range: Range<Int>) -> String {
            if characters == nil { characters = Array(text) }
            let all = characters!
            return String(all[max(0, min(range.lowerBound, all.count))..<max(0, min(range.upperBound, all.count))])
        }
    }

    struct Reading {
        var sentences: [[Unit]]
        /// Each sentence's words as the lexicon read them (the learned detector's features).
        var words: [[ReadWord]]
        /// Whether each sentence ends with a question mark.
        var questions: [Bool]
        var all: ConceptSet
        var source: String
    }

    func read(_ text: String, language: ClinicalLanguage, weeks: Int?) -> Reading {
        let lexicon = lexicons[language]!.value
        let tokens = Tokenizer.tokens(text)
        var sentences: [[Unit]] = []
        var sentenceWords: [[ReadWord]] = []
        var questions: [Bool] = []
        var all = ConceptSet()
        var start = 0
        var sawWeeks = false
        while start < tokens.count {
            var end = start
            while end < tokens.count, tokens[end].kind != .sentenceEnd { end += 1 }
            if end > start {
                let (units, words) = readSentence(tokens[start..<end], lexicon: lexicon, language: language)
                sentenceWords.append(words)
                for unit in units {
                    all.formUnion(unit.concepts)
                }
                sentences.append(units)
                questions.append(end < tokens.count && tokens[end].text == "?")
            }
            start = end + 1
        }
        for name in [NumberConcept.weeksTerm, .weeksPreterm] where all.contains(concept[name.rawValue]!) {
            sawWeeks = true
        }
        if !sawWeeks, let weeks {
            all.insert(concept[(weeks >= 37 ? NumberConcept.weeksTerm : .weeksPreterm).rawValue]!)
        }
        return Reading(sentences: sentences, words: sentenceWords, questions: questions, all: all, source: text)
    }

    static let weekWords: Set<String> = [
        "semana", "semanas", "sem", "sems", "s", "week", "weeks", "wk", "wks", "w", "sm",
    ]
    static let monthWords: Set<String> = ["mes", "meses", "month", "months", "mese"]
    static let plainNumberWords: Set<String> = [
        "ano", "anos", "year", "years", "yo", "hora", "horas", "h", "hr", "hrs", "hour", "hours", "min", "minuto",
        "minutos", "minute", "minutes", "mins", "dia", "dias", "day", "days", "vez", "vezes", "times", "veces", "kg",
        "kilos", "quilos", "g", "mg", "ml", "reais", "real", "pounds", "lbs", "lb", "anos", "ano", "cm", "mm",
        "centimetros", "libras", "dolares", "pesos", "filhos", "filho", "hijos", "kids", "children", "am", "pm",
    ]
    static let timeUnits: Set<String> = [
        "semana", "semanas", "mes", "meses", "ano", "anos", "week", "weeks", "month", "months", "year", "years", "wk",
        "wks", "yr", "yrs",
    ]
    static let agoBefore: Set<String> = ["ha", "faz", "hace", "fazem"]
    static let agoAfter: Set<String> = ["atras", "ago", "antes"]
    static let pressureJoiners: Set<String> = ["x", "por", "sobre", "over", "de", "con", "com"]
    static let halfWords: [[String]] = [["e", "meio"], ["y", "medio"], ["and", "a", "half"], ["e", "pouco"]]

    func readSentence(_ tokens: ArraySlice<Token>, lexicon: Lexicon, language: ClinicalLanguage) -> (
        units: [Unit], words: [ReadWord]
    ) {
        let tokens = Array(tokens)
        // Words as the lexicon sees them, with spellings expanded.
        var words: [ReadWord] = []
        var chain = 0
        var tokenOfWord: [Int] = []
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .word:
                let expanded = lexicon.spellings[token.text] ?? [token.text]
                for word in expanded {
                    let form = lexicon.read(word)
                    words.append(
                        ReadWord(
                            text: form.text, stem: form.stem, root: form.root, position: words.count, chain: chain,
                            isNumber: false, range: token.range, candidates: form.candidates,
                            stemNumber: form.stemNumber))
                    tokenOfWord.append(index)
                }
            case .number:
                words.append(
                    ReadWord(
                        text: token.text, stem: token.text, root: token.text, position: words.count, chain: chain,
                        isNumber: true, range: token.range))
                tokenOfWord.append(index)
            case .comma, .symbol, .sentenceEnd:
                chain += 1
            }
        }
        var units: [Unit] = []
        var index = 0
        // A unit of `length` words from `index`; it keeps the folded words, and the original text is cut out only for
        // a mention that is reported.
        func append(_ concepts: ConceptSet, length: Int) {
            let first = words[index]
            let span = words[index..<index + length]
            units.append(
                Unit(
                    concepts: concepts, chain: first.chain, position: first.position, length: length,
                    range: first.range.lowerBound..<span.last!.range.upperBound,
                    text: span.map(\.text).joined(separator: " ")))
            index += length
        }
        // "se" (pt) and "si" (es) open a condition at the start of a clause; elsewhere "se" is a pronoun
        // ("o rosto se inchou") and "si" may be "sí".
        let conditional = language == .pt ? "se" : language == .es ? "si" : ""
        while index < words.count {
            let word = words[index]
            if word.isNumber,
                let reading = readNumber(words: words, tokens: tokens, tokenOfWord: tokenOfWord, at: index)
            {
                append(reading.concepts, length: reading.length)
            } else if word.text == conditional, index == 0 || words[index - 1].chain != word.chain,
                index + 1 < words.count, words[index + 1].chain == word.chain
            {
                append(ConceptSet(concept[ContextCueKind.hypothetical.rawValue]!), length: 1)
            } else if let match = lexicon.longestMatch(in: words, at: index) {
                var concepts = match.concepts
                // A qualifying phrase keeps the findings its own words name: "de tanta dor" is intensity and pain,
                // "dor muito forte" pain and intensity, so the sign's pattern still finds its pain inside the phrase.
                // Other phrases mean what they are listed as ("seeing spots" is vision, not spotting).
                if match.length > 1, match.concepts.intersects(cueSets.qualifier),
                    !match.concepts.intersects(cueSets.finding)
                {
                    for inner in index..<index + match.length {
                        concepts.formUnion(
                            lexicon.singleWordConcepts(in: words, at: inner).intersection(cueSets.finding))
                    }
                }
                append(concepts, length: match.length)
            } else {
                append(ConceptSet(), length: 1)
            }
        }
        // Portuguese first-person preterites ("levei", "acordei", "notei") say she is speaking of herself.
        if language == .pt {
            let personal = concept[ContextCueKind.personal.rawValue]!
            for (offset, unit) in units.enumerated() where unit.length == 1 {
                let folded = unit.text
                if folded.count >= 4, folded.hasSuffix("ei") { units[offset].concepts.insert(personal) }
            }
        }
        return (units, words)
    }

    /// Reads a number and what follows it: weeks or months of pregnancy, a blood pressure, a temperature.
    func readNumber(words: [ReadWord], tokens: [Token], tokenOfWord: [Int], at index: Int) -> (
        length: Int, concepts: ConceptSet
    )? {
        let value = Double(words[index].text) ?? 0
        var concepts = ConceptSet(concept[NumberConcept.number.rawValue]!)
        let next = index + 1 < words.count ? words[index + 1] : nil
        let previous = index > 0 ? words[index - 1] : nil
        func add(_ name: NumberConcept) { concepts.insert(concept[name.rawValue]!) }
        // "há 3 anos", "faz 2 meses", "4 years ago", "hace 2 semanas": something past, not happening now.
        if let next, Self.timeUnits.contains(next.text) {
            let before = previous.map { Self.agoBefore.contains($0.text) } ?? false
            let after = index + 2 < words.count && Self.agoAfter.contains(words[index + 2].text)
            if before || after {
                concepts.insert(concept[(after ? ContextCueKind.historicalAfter : .historical).rawValue]!)
                return (after ? 3 : 2, concepts)
            }
        }
        // "em 2019", "in 2021": a year before this one.
        if value >= 1950, value < 2100, value.rounded() == value, let previous,
            ["em", "in", "en", "no", "desde"].contains(previous.text)
        {
            concepts.insert(concept[ContextCueKind.historicalAfter.rawValue]!)
            concepts.insert(concept[ContextCueKind.historical.rawValue]!)
            return (1, concepts)
        }
        // Weeks: "33 semanas", "32 weeks", "semana 33", "7 meses".
        // A body temperature written with its decimal ("36,6 sem febre") is not weeks: "sem" is "without" there.
        let temperatureLike = value.rounded() != value && (35...42).contains(value)
        if let next, !next.isNumber, Self.weekWords.contains(next.text),
            next.text != "s" || next.chain == words[index].chain, !(temperatureLike && next.text == "sem")
        {
            add(value < 37 ? .weeksPreterm : .weeksTerm)
            return (2, concepts)
        }
        if let previous, Self.weekWords.contains(previous.text), previous.text.count > 2 {
            add(value < 37 ? .weeksPreterm : .weeksTerm)
            return (1, concepts)
        }
        if let next, Self.monthWords.contains(next.text), value <= 10 {
            add(value * 4.33 < 37 ? .weeksPreterm : .weeksTerm)
            return (2, concepts)
        }
        if let next, Self.plainNumberWords.contains(next.text) { return (1, concepts) }
        // Blood pressure: "140/90", "15 por 10", "15x10", "14 x 9".
        let tokenIndex = tokenOfWord[index]
        var secondIndex: Int?
        if tokenIndex + 2 < tokens.count, tokens[tokenIndex + 1].text == "/", tokens[tokenIndex + 2].kind == .number,
            index + 1 < words.count, words[index + 1].isNumber
        {
            secondIndex = index + 1
        } else if let next, Self.pressureJoiners.contains(next.text), index + 2 < words.count, words[index + 2].isNumber
        {
            secondIndex = index + 2
        }
        if let secondIndex, var diastolic = Double(words[secondIndex].text) {
            var systolic = value
            if systolic < 30 && diastolic < 20 {
                systolic *= 10
                diastolic *= 10
            }
            if (70...260).contains(systolic) && (40...160).contains(diastolic) && systolic > diastolic {
                if systolic >= 140 || diastolic >= 90 { add(.pressureHigh) }
                return (secondIndex - index + 1, concepts)
            }
        }
        // Temperature: 35-43 °C, or 95-110 °F; "38 e meio" adds half a degree.
        var celsius = value
        var length = 1
        let fahrenheitMarked = next.map { ["f", "fahrenheit"].contains($0.text) } ?? false
        if fahrenheitMarked || (95...110).contains(value) {
            celsius = (value - 32) * 5 / 9
            if fahrenheitMarked { length = 2 }
        }
        for half in Self.halfWords where index + half.count < words.count {
            if zip(half, words[(index + 1)...(index + half.count)]).allSatisfy({ $0 == $1.text }) {
                celsius += half[1] == "pouco" ? 0.2 : 0.5
                length = half.count + 1
                break
            }
        }
        if (35..<43).contains(celsius) {
            add(celsius >= 38 ? .temperatureHigh : .temperatureNormal)
            let degreeSign = tokenIndex + 1 < tokens.count && ["°", "º"].contains(tokens[tokenIndex + 1].text)
            if celsius >= 38, words[index].text.contains(".") || degreeSign || fahrenheitMarked { add(.feverReading) }
        }
        return (length, concepts)
    }

    // MARK: - Matching

    func find<Kind>(_ definitions: [Definition<Kind>], in reading: Reading, keepAll: Bool = false) -> [Mention<Kind>] {
        var mentions: [Mention<Kind>] = []
        var source = OriginalText(reading.source)
        func original(_ start: Int, _ end: Int) -> String { source.cut(start..<end) }
        for definition in definitions {
            for (patternIndex, pattern) in definition.patterns.enumerated() {
                guard pattern.slots.allSatisfy({ $0.intersects(reading.all) }) else { continue }
                if pattern.unlessMessage.intersects(reading.all) { continue }
                if !pattern.withMessage.allSatisfy({ $0.intersects(reading.all) }) { continue }
                for (sentenceIndex, sentence) in reading.sentences.enumerated() {
                    for match in matches(pattern, in: sentence) {
                        var (context, cue) = contextOf(match: match, in: sentence)
                        if context == .negated, !pattern.negatable { (context, cue) = (.current, nil) }
                        if context == .hypothetical, !pattern.supposable { (context, cue) = (.current, nil) }
                        if context == .otherPerson, !pattern.attributable { (context, cue) = (.current, nil) }
                        // A question that never speaks of herself ("falta de ar no fim da gravidez é normal?") asks
                        // about pregnancy in general.
                        if context == .current, reading.questions[sentenceIndex],
                            !reading.all.intersects(cueSets.personal), !reading.all.intersects(cueSets.pregnant)
                        {
                            context = .informational
                            let first = sentence[match.first]
                            cue = ContextCue(
                                context: .informational, text: "?", start: first.range.lowerBound,
                                end: first.range.lowerBound)
                        }
                        let words = match.slotUnits.sorted().map { index -> MatchedWords in
                            let unit = sentence[index]
                            let name =
                                pattern.slots.indices.first { sentence[index].concepts.intersects(pattern.slots[$0]) }
                                .map { slot in conceptName(in: unit.concepts, slot: pattern.slots[slot]) } ?? ""
                            return MatchedWords(
                                text: original(unit.range.lowerBound, unit.range.upperBound),
                                start: unit.range.lowerBound, end: unit.range.upperBound, concept: name
                            )
                        }
                        if var found = cue, found.end > found.start {
                            found.text = original(found.start, found.end)
                            cue = found
                        }
                        mentions.append(
                            Mention(
                                kind: definition.kind, context: context, cue: cue, words: words,
                                pattern: patternIndex + 1))
                    }
                }
            }
        }
        _ = keepAll
        return mentions.sorted { ($0.words.first?.start ?? 0) < ($1.words.first?.start ?? 0) }
    }

    func conceptName(in concepts: ConceptSet, slot: ConceptSet) -> String {
        for (index, name) in definition.conceptNames.enumerated() where concepts.contains(index) && slot.contains(index)
        {
            return name
        }
        return ""
    }

    struct Match {
        var first: Int
        var last: Int
        var slotUnits: Set<Int>
    }

    func matches(_ pattern: MatchPattern, in units: [Unit]) -> [Match] {
        var found: [Match] = []
        var start = 0
        let slotCount = pattern.slots.count
        while start < units.count {
            let first = units[start]
            guard pattern.slots.contains(where: { first.concepts.intersects($0) }) else {
                start += 1
                continue
            }
            if pattern.ordered && !first.concepts.intersects(pattern.slots[0]) {
                start += 1
                continue
            }
            var assigned = [Int?](repeating: nil, count: slotCount)
            var next = 0
            var end = start
            var matched = false
            while end < units.count, units[end].position - first.position < pattern.window {
                let unit = units[end]
                if pattern.ordered {
                    if next < slotCount, unit.concepts.intersects(pattern.slots[next]) {
                        assigned[next] = end
                        next += 1
                    }
                } else {
                    for slot in 0..<slotCount
                    where assigned[slot] == nil && unit.concepts.intersects(pattern.slots[slot]) {
                        assigned[slot] = end
                    }
                }
                // Two concepts need two words: "soaked" alone is not fluid that leaks.
                if assigned.allSatisfy({ $0 != nil }), slotCount < 2 || Set(assigned.compactMap { $0 }).count >= 2 {
                    matched = true
                    break
                }
                end += 1
            }
            if matched {
                if !pattern.unless.isEmpty {
                    let from = units[start].position - pattern.unlessWindow
                    let to = units[end].position + units[end].length - 1 + pattern.unlessWindow
                    // A negated look-alike does not count: "não é azia" leaves the pain a warning sign.
                    let blocked = units.indices.contains { index in
                        let unit = units[index]
                        guard unit.position >= from, unit.position <= to, unit.concepts.intersects(pattern.unless)
                        else { return false }
                        return !(max(0, index - 2)..<index).contains { units[$0].concepts.intersects(cueSets.negation) }
                    }
                    if blocked {
                        start += 1
                        continue
                    }
                }
                found.append(Match(first: start, last: end, slotUnits: Set(assigned.compactMap { $0 })))
                start = end + 1
            } else {
                start += 1
            }
        }
        return found
    }

    /// "Minha irmã está grávida de 30 semanas e está sangrando": someone writing for the pregnant woman, now.
    func relativeWritingAboutHer(_ units: [Unit], from: Int, to: Int) -> Bool {
        // "Ela não está grávida" says the opposite of a pregnancy marker.
        let negation = concept[ContextCueKind.negation.rawValue]!
        // "Meu marido desmaiou, tô grávida de 6 meses": the pregnancy is the writer's own, not the relative's.
        let pregnant = units.indices.contains { index in
            units[index].concepts.intersects(cueSets.pregnant)
                && !units[max(0, index - 2)..<index].contains {
                    $0.concepts.contains(negation) || $0.concepts.intersects(cueSets.speaker)
                }
        }
        // The present may come after the sign: "my sister had a seizure, she's 8 months pregnant".
        return pregnant && happeningNowToHer(units, from: from, last: to, statementsCount: false)
    }

    /// Whether a present tense stands from `from` to a little after `last` (with `statementsCount`, a new statement
    /// such as "ela está" counts too) and nobody says she is already cared for: a relative writing for her, now.
    func happeningNowToHer(_ units: [Unit], from: Int, last: Int, statementsCount: Bool) -> Bool {
        let reach = min(units.count - 1, last + definition.narrativeScope)
        let present = units[from...reach].contains {
            $0.concepts.intersects(cueSets.present) || (statementsCount && $0.concepts.intersects(cueSets.breaker))
        }
        return present && !units.contains { $0.concepts.intersects(cueSets.caredFor) }
    }

    /// "Aqui é a sogra da Ana Paula, ela tá com o rosto inchado": the writer named herself as writing for the
    /// relative right after, who is the woman the service cares for; what happens to her now is current, unless
    /// she is already cared for.
    func proxyWriting(_ units: [Unit], relativeAt index: Int, to last: Int) -> Bool {
        guard index > 0, units[index - 1].concepts.intersects(cueSets.proxy) else { return false }
        // A new statement in the present ("ela está", "she has") counts as the present too.
        return happeningNowToHer(units, from: index, last: last, statementsCount: true)
    }

    /// Whether the cue of the past at `index` dates a birth just before it with a recent time ("pari semana passada",
    /// "ganhei a Helena semana passada", "gave birth last week"): she is in the postpartum now, and what she
    /// describes is happening now.
    func datesBirth(_ units: [Unit], cueAt index: Int) -> Bool {
        func recent(_ unit: Unit) -> Bool {
            unit.text.split(separator: " ").contains { recentWords.contains(String($0)) }
        }
        let past = ConceptSet(concept[ContextCueKind.historical.rawValue]!)
            .union(ConceptSet(concept[ContextCueKind.historicalAfter.rawValue]!))
        // The cue is the birth itself, dated by a cue of the past just after it: "nasceu semana passada". A
        // gestational age is no date ("nasceu prematura de 33 semanas").
        if units[index].concepts.intersects(cueSets.birth) {
            let end = min(units.count, index + 5)
            guard let date = (index + 1..<end).first(where: { units[$0].concepts.intersects(past) }) else {
                return false
            }
            return units[(index + 1)...date].contains(where: recent)
        }
        // The cue is the date, after the birth: "pari semana passada", "c-section was 8 days ago".
        guard let birth = (max(0, index - 5)..<index).last(where: { units[$0].concepts.intersects(cueSets.birth) })
        else { return false }
        return units[(birth + 1)...index].contains(where: recent)
    }

    static let whenWords: Set<String> = ["quando", "when", "cuando"]
    static let pastVerbs: Set<String> = [
        "fui", "foi", "vi", "viu", "tive", "teve", "fiz", "fez", "deu", "dei", "vim", "veio", "pus", "disse", "tava",
        "estava", "senti", "sentiu", "fomos", "was", "were", "went", "got", "saw", "woke", "came", "fell", "felt",
        "had",
        "stood", "sat", "found", "told", "said", "did", "began", "took", "gave", "lay", "fue", "vio", "tuve", "tenia",
        "llegue", "llego", "sali", "salio", "desperte", "levante", "fuimos", "empece", "empezo", "vino", "paso",
    ]
    static let notPast: Set<String> = [
        "eu", "meu", "seu", "teu", "sou", "estou", "vou", "dou", "tou", "sei", "hei", "need", "feed", "bleed", "speed",
    ]

    /// "E quando fui ao banheiro, vi sangue": "quando" before a verb in the past tells what happened; it supposes
    /// nothing. Only a cue that ends in "quando", "when" or "cuando" is read so ("quando for", "when my water breaks"
    /// stay suppositions).
    func narratesThePast(_ units: [Unit], cueAt index: Int, through last: Int) -> Bool {
        guard let cueWord = units[index].text.split(separator: " ").last, Self.whenWords.contains(String(cueWord))
        else { return false }
        for unit in units[(index + 1)...min(last, index + 3)] {
            for word in unit.text.split(separator: " ").map(String.init) where !Self.notPast.contains(word) {
                if Self.pastVerbs.contains(word) { return true }
                if word.count >= 3, ["ou", "eu", "iu"].contains(where: word.hasSuffix) { return true }
                if word.count >= 4, word.hasSuffix("ei") || word.hasSuffix("aba") { return true }
                if word.count >= 4, word.hasSuffix("ed"), !word.hasSuffix("eed") { return true }
            }
        }
        return false
    }

    /// ConText: the nearest cue whose reach covers the match, within `scope` words, stopping at terminators
    /// ("mas", "but", "pero") and at a new statement once a finding was passed.
    func contextOf(match: Match, in units: [Unit]) -> (MentionContext, ContextCue?) {
        func cue(_ index: Int, _ set: ConceptSet) -> (MentionContext, ContextCue?)? {
            let unit = units[index]
            for kind in ContextCueKind.allCases {
                guard let context = kind.context, set.contains(concept[kind.rawValue]!),
                    unit.concepts.contains(concept[kind.rawValue]!)
                else { continue }
                return (
                    context,
                    ContextCue(
                        context: context, text: unit.text, start: unit.range.lowerBound, end: unit.range.upperBound)
                )
            }
            return nil
        }
        // Inside the span: "dor de cabeça não muito forte".
        if match.last > match.first {
            for index in match.first...match.last where !match.slotUnits.contains(index) {
                if units[index].concepts.intersects(cueSets.insideSpan), let found = cue(index, cueSets.insideSpan) {
                    return found
                }
            }
        }
        let scope = definition.scope
        // Suppositions, stories of the past and of other people run to the end of the sentence, longer than a denial.
        let narrativeScope = definition.narrativeScope
        // Before. A new statement ends the reach of a cue once a finding was passed: in "não tenho febre, estou
        // sangrando" the "não" covers "febre" only.
        var index = match.first - 1
        var breakerPending = false
        var broken = false
        // A match that opens with a clause word ("é eclâmpsia") starts a clause of its own.
        var clauseAt: Int? = units[match.first].concepts.intersects(cueSets.clause) ? match.first : nil
        // "Pra minha filha pra quando eu não estiver mais aqui": the writer's "eu" inside the finding makes it hers.
        var passedSpeaker = units[match.first...match.last].contains { $0.concepts.intersects(cueSets.speaker) }
        // "Descobri a gravidez faz 1 mês … e eu fico pensando em …": the writer speaking in the present after a cue
        // of the past starts a statement of her own.
        var passedPresent = false
        while index >= 0, units[match.first].position - units[index].position <= narrativeScope {
            let unit = units[index]
            if unit.concepts.intersects(cueSets.terminator) { break }
            if unit.concepts.intersects(cueSets.forward), !match.slotUnits.contains(index),
                var found = cue(index, cueSets.forward)
            {
                if found.0 == .otherPerson || found.0 == .historical, passedSpeaker,
                    found.0 == .otherPerson || passedPresent
                {
                    index -= 1
                    continue
                }
                if found.0 == .historical, datesBirth(units, cueAt: index) {
                    index -= 1
                    continue
                }
                if found.0 == .hypothetical, narratesThePast(units, cueAt: index, through: match.last) {
                    index -= 1
                    continue
                }
                if found.0 == .otherPerson,
                    unit.concepts.contains(concept[ContextCueKind.otherPersonClose.rawValue]!),
                    relativeWritingAboutHer(units, from: index, to: match.last)
                {
                    found = (.current, nil)
                }
                if found.0 == .otherPerson, proxyWriting(units, relativeAt: index, to: match.last) {
                    found = (.current, nil)
                }
                // "Minha filha me achou desacordada", "my mom found me on the floor": the relative is the subject,
                // the writer is the one it happened to.
                if found.0 == .otherPerson, index + 1 < match.first,
                    units[(index + 1)...min(match.first - 1, index + 2)].contains(where: { $0.text == "me" })
                {
                    index -= 1
                    continue
                }
                let distance = units[match.first].position - unit.position
                if found.0 == .negated {
                    // A denial that does not reach the finding leaves farther cues ("minha amiga …") to be found.
                    var reaches = distance <= scope && !broken
                    if let clauseAt, clauseAt > index + 1 { reaches = false }
                    // A comma ends a denial unless it already covered a finding before it: "não tive febre, dor ou
                    // sangramento" is a list; "não foi xixi, está saindo líquido" is a new clause.
                    if let boundary = (index + 1..<match.first).first(where: { units[$0].chain != unit.chain }),
                        !(index + 1..<boundary).contains(where: { units[$0].concepts.intersects(cueSets.finding) })
                    {
                        reaches = false
                    }
                    if !reaches {
                        index -= 1
                        continue
                    }
                } else if broken {
                    break
                }
                // "Não, estou sangrando": a "não" alone before a comma answers a question; it negates nothing.
                if index + 1 < units.count, units[index + 1].chain != unit.chain, found.0 == .negated,
                    index == 0 || units[index - 1].chain != unit.chain
                {
                    index -= 1
                    continue
                }
                return found
            }
            if unit.concepts.intersects(cueSets.clause) { clauseAt = index }
            if unit.concepts.intersects(cueSets.speaker) {
                passedSpeaker = true
            } else if unit.concepts.intersects(cueSets.present) {
                passedPresent = true
            }
            if unit.concepts.intersects(cueSets.breaker) || unit.concepts.intersects(cueSets.present) {
                breakerPending = true
            } else if breakerPending, unit.concepts.intersects(cueSets.finding) {
                broken = true
            }
            index -= 1
        }
        // After. "Sangrei um pouco, mas já parou": a resolution reaches back over "mas"; a denial does not.
        index = match.last + 1
        var crossedTerminator = false
        while index < units.count, units[index].position - units[match.last].position <= narrativeScope {
            let unit = units[index]
            if unit.concepts.intersects(cueSets.terminator) {
                crossedTerminator = true
                index += 1
                continue
            }
            if crossedTerminator, !unit.concepts.contains(concept[ContextCueKind.historicalAfter.rawValue]!) {
                index += 1
                continue
            }
            // A denial after the finding reaches only a few words ("sangramento nenhum"; not "sangue, ..., sem dor
            // nenhuma").
            if unit.concepts.contains(concept[ContextCueKind.negationAfter.rawValue]!),
                unit.position - units[match.last].position > 3
            {
                index += 1
                continue
            }
            if unit.concepts.intersects(cueSets.backward), let found = cue(index, cueSets.backward) {
                if found.0 == .historical, datesBirth(units, cueAt: index) {
                    index += 1
                    continue
                }
                // "minha filha está grávida e está saindo água dela": a relative writing for her, now.
                if found.0 == .otherPerson, relativeWritingAboutHer(units, from: 0, to: match.last) {
                    return (.current, nil)
                }
                return found
            }
            index += 1
        }
        return (.current, nil)
    }
}

/// A value computed on a thread of its own; `get()` waits for it.
final class BackgroundResult<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts computing `work` now.
    init(_ work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            let value = Result { try work() }
            result.withLock { $0 = value }
            done.signal()
        }
    }

    /// The value, or the error `work` threw, once it is there (any number of callers).
    func get() throws -> Value {
        done.wait()
        done.signal()
        return try result.withLock { $0! }.get()
    }
}
