import Synchronization

/// The words of one language: every listed term indexed by its first word's folded form, its Snowball stem, and
/// (for longer words) its one-deletion neighbours, so that one-letter typos still find it (SymSpell's idea).
struct Lexicon: Sendable {
    let language: ClinicalLanguage
    let terms: [LexiconTerm]
    let byKey: [String: [Int]]
    let byDeletion: [String: [Int]]
    let spellings: [String: [String]]
    /// Spoken spellings tried on a word no term knows ("inxada", "sangrano").
    let respellings: [Respelling]
    let stemmer: SnowballStemmer
    let typoMinimumLength: Int
    /// Words already read: messages share most of their words, and stemming and lookups are most of the cost.
    let cache = WordCache()
    /// Numbers for stems, shared by the engine's languages (the learned detector looks words up by number).
    let stemNumbers: StemInterner

    init(
        language: ClinicalLanguage, entries: [(words: [String], concept: Int, exact: Bool)],
        spellings: [String: [String]], respellings: [Respelling] = [],
        typoMinimumLength: Int, exactConcepts: Set<Int> = [], stemNumbers: StemInterner = StemInterner()
    ) {
        self.stemNumbers = stemNumbers
        guard let stemmer = SnowballStemmer(language: language) else {
            fatalError("libstemmer has no \(language.snowballName) stemmer")  // Debian's libstemmer ships all three
        }
        self.stemmer = stemmer
        self.language = language
        self.spellings = spellings
        self.respellings = respellings
        self.typoMinimumLength = typoMinimumLength
        // One term per distinct word sequence, with the union of its concepts.
        // Exact terms stay apart from inflected ones with the same words, so each keeps its own way of matching.
        // Sized up front: growing these tables was a fifth of the lexicon's build, which every command waits for.
        var merged: [[String]: ConceptSet] = Dictionary(minimumCapacity: entries.count)
        var mergedExact: [[String]: ConceptSet] = [:]
        var order: [([String], Bool)] = []
        order.reserveCapacity(entries.count)
        for entry in entries {
            if entry.exact || exactConcepts.contains(entry.concept) {
                if mergedExact[entry.words] == nil { order.append((entry.words, true)) }
                mergedExact[entry.words, default: ConceptSet()].insert(entry.concept)
            } else {
                if merged[entry.words] == nil { order.append((entry.words, false)) }
                merged[entry.words, default: ConceptSet()].insert(entry.concept)
            }
        }
        var terms: [LexiconTerm] = []
        terms.reserveCapacity(order.count)
        var byKey: [String: [Int]] = Dictionary(minimumCapacity: order.count * 2)
        var byDeletion: [String: [Int]] = Dictionary(minimumCapacity: order.count * 4)
        // Terms share most of their words ("dor", "de", "muito"): each distinct word is stemmed once, and a first
        // word's deletions are cut once.
        var forms: [String: (stem: String, root: String)] = Dictionary(minimumCapacity: order.count)
        var deletionsOf: [String: [String]] = [:]
        func form(_ word: String) -> (stem: String, root: String) {
            if let known = forms[word] { return known }
            let made = Self.isNumber(word) ? (word, word) : (stemmer.stem(word), Self.root(word, language: language))
            forms[word] = made
            return made
        }
        for (words, exact) in order {
            let wordForms = words.map(form)
            let stems = wordForms.map(\.stem)
            let roots = wordForms.map(\.root)
            let index = terms.count
            terms.append(
                LexiconTerm(
                    words: words, exact: exact, stems: stems, roots: roots,
                    concepts: (exact ? mergedExact : merged)[words]!))
            byKey[words[0], default: []].append(index)
            if !Self.isNumber(words[0]) && !exact {
                if stems[0].count >= Self.shortestStem { byKey["~" + stems[0], default: []].append(index) }
                if roots[0].count >= Self.shortestStem { byKey["^" + roots[0], default: []].append(index) }
            }
            if words[0].count >= typoMinimumLength && !exact {
                let deletions =
                    deletionsOf[words[0]]
                    ?? {
                        let made = Self.deletions(words[0])
                        deletionsOf[words[0]] = made
                        return made
                    }()
                for deletion in deletions { byDeletion[deletion, default: []].append(index) }
            }
        }
        self.terms = terms
        self.byKey = byKey
        self.byDeletion = byDeletion
    }

    static func isNumber(_ word: String) -> Bool { word.first?.isNumber ?? false }

    /// Stems and roots shorter than this match only by form: "para" and "parou" share the stem "par".
    static let shortestStem = 4

    /// Inflectional endings a root drops after Snowball, which keeps short verbs whole ("inchar", "inchou", "inchei"
    /// stay three stems): longest first, and only while four letters remain.
    static let endings: [ClinicalLanguage: [String]] = [
        .pt: [
            "aram", "eram", "iram", "ando", "endo", "indo", "ados", "adas", "idos", "idas", "ado", "ada", "ido", "ida",
            "ava", "ia", "ei", "ou", "ar", "er", "ir", "am", "em", "as", "es", "os", "a", "e", "o", "i",
        ],
        .es: [
            "aron", "ieron", "ando", "iendo", "ados", "adas", "idos", "idas", "ado", "ada", "ido", "ida", "aba", "ia",
            "ar", "er", "ir", "an", "en", "as", "es", "os", "a", "e", "o", "i",
        ],
        .en: ["ing", "ed", "es", "s", "y", "e"],
    ]

    /// A word without its inflectional ending ("inchada", "inchou", "inchei" → "inch").
    static func root(_ word: String, language: ClinicalLanguage) -> String {
        // Short words keep their form: "bolsa" and "bolso" are different things.
        guard word.count >= 6 else { return word }
        for ending in endings[language] ?? [] where word.hasSuffix(ending) && word.count - ending.count >= 4 {
            return String(word.dropLast(ending.count))
        }
        return word
    }

    /// Diminutives read as their base word ("sangramentozinho" → "sangramento", "febrinha" → "febre" by its root).
    static func undiminished(_ word: String, language: ClinicalLanguage) -> String? {
        let rules: [(String, String)] =
            switch language {
            case .pt:
                [
                    ("zinhos", "s"), ("zinhas", "s"), ("zinho", ""), ("zinha", ""), ("inhos", "os"), ("inhas", "as"),
                    ("inho", "o"), ("inha", "a"),
                ]
            case .es:
                [
                    ("citos", ""), ("citas", ""), ("cito", ""), ("cita", ""), ("itos", "os"), ("itas", "as"),
                    ("ito", "o"), ("ita", "a"),
                ]
            case .en: []
            }
        for (suffix, replacement) in rules where word.hasSuffix(suffix) && word.count - suffix.count >= 3 {
            return String(word.dropLast(suffix.count)) + replacement
        }
        return nil
    }

    /// Whether any term starts with this word by form, stem or root.
    func knows(text: String, stem: String, root: String) -> Bool {
        byKey[text] != nil || (stem.count >= Self.shortestStem && byKey["~" + stem] != nil)
            || (root.count >= Self.shortestStem && byKey["^" + root] != nil)
    }

    /// The word as the lexicon reads it, with the terms it may start; cached.
    func read(_ word: String) -> WordCache.Entry {
        if let entry = cache.get(word) { return entry }
        let form = uncachedRead(word)
        let entry = WordCache.Entry(
            text: form.text, stem: form.stem, root: form.root,
            candidates: candidates(text: form.text, stem: form.stem, root: form.root),
            stemNumber: stemNumbers.number(form.stem))
        cache.put(word, entry)
        return entry
    }

    /// The word as the lexicon reads it: itself, or, when no term knows it, its base as an unknown diminutive of a
    /// known word, or the known word it spells as spoken ("inxada" → "inchada"; "doeno" → "doendo"), or both.
    func uncachedRead(_ word: String) -> (text: String, stem: String, root: String) {
        let stem = stemmer.stem(word)
        let root = Self.root(word, language: language)
        if knows(text: word, stem: stem, root: root) { return (word, stem, root) }
        func known(_ candidate: String) -> (text: String, stem: String, root: String)? {
            let candidateStem = stemmer.stem(candidate)
            let candidateRoot = Self.root(candidate, language: language)
            return knows(text: candidate, stem: candidateStem, root: candidateRoot)
                ? (candidate, candidateStem, candidateRoot) : nil
        }
        if let base = Self.undiminished(word, language: language), let found = known(base) { return found }
        // Short words are left alone: "ano" is a year, not "ando".
        guard word.count >= 4 else { return (word, stem, root) }
        for rule in respellings {
            guard let respelled = rule.apply(to: word) else { continue }
            if let found = known(respelled) { return found }
            if let base = Self.undiminished(respelled, language: language), let found = known(base) { return found }
        }
        return (word, stem, root)
    }

    /// The word with each one of its letters left out.
    static func deletions(_ word: String) -> [String] {
        // Folded words are almost always ASCII: their deletions are cut from the bytes.
        let bytes = Array(word.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return bytes.indices.map { index in
                String(unsafeUninitializedCapacity: bytes.count - 1) { buffer in
                    var written = 0
                    for (offset, byte) in bytes.enumerated() where offset != index {
                        buffer[written] = byte
                        written += 1
                    }
                    return written
                }
            }
        }
        let characters = Array(word)
        return characters.indices.map { index in
            var copy = characters
            copy.remove(at: index)
            return String(copy)
        }
    }

    /// Whether two words are at most one edit apart (insertion, deletion, substitution or transposition).
    static func withinOneEdit(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        if abs(x.count - y.count) > 1 { return false }
        if x.count == y.count {
            var differences: [Int] = []
            for index in x.indices where x[index] != y[index] {
                differences.append(index)
                if differences.count > 2 { return false }
            }
            if differences.count == 1 { return true }
            if differences.count == 2 {
                let (i, j) = (differences[0], differences[1])
                return j == i + 1 && x[i] == y[j] && x[j] == y[i]
            }
            return false
        }
        let (longer, shorter) = x.count > y.count ? (x, y) : (y, x)
        var i = 0
        var j = 0
        var skipped = false
        while i < longer.count && j < shorter.count {
            if longer[i] == shorter[j] {
                i += 1
                j += 1
            } else {
                if skipped { return false }
                skipped = true
                i += 1
            }
        }
        return true
    }
}

/// A word of the message as the lexicon sees it: folded, stemmed, with where it came from.
struct ReadWord {
    var text: String
    var stem: String
    var root: String
    /// The word's place among the words of its sentence (for windows).
    var position: Int
    /// Words with the same chain are written one after the other, with no comma or symbol between.
    var chain: Int
    var isNumber: Bool
    /// Character offsets in the original text.
    var range: Range<Int>
    /// The terms that may start with this word.
    var candidates: [Int] = []
    /// The stem's number in the engine's `StemInterner` (-1 for a number).
    var stemNumber: Int32 = -1
}

/// Numbers for stems, so that the learned detector finds a word's weights by number instead of hashing its text.
/// Shared by an engine's lexicons; a stem is numbered the first time any of them reads it (then the word is cached).
final class StemInterner: Sendable {
    private let numbers = Mutex<[String: Int32]>([:])

    /// The stem's number, assigned on first sight.
    func number(_ stem: String) -> Int32 {
        numbers.withLock { numbers in
            if let known = numbers[stem] { return known }
            let next = Int32(numbers.count)
            numbers[stem] = next
            return next
        }
    }
}

/// A bounded, thread-safe memo of words already read.
final class WordCache: Sendable {
    /// A word as read: its form, stem, root and the terms it may start.
    struct Entry: Sendable {
        let text: String
        let stem: String
        let root: String
        let candidates: [Int]
        let stemNumber: Int32
    }
    private let entries = Mutex<[String: Entry]>([:])
    static let capacity = 200_000

    func get(_ word: String) -> Entry? { entries.withLock { $0[word] } }

    func put(_ word: String, _ entry: Entry) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[word] = entry
        }
    }
}

extension Lexicon {
    /// Whether a listed word matches a word of the message: same form, same stem, or (for long words) one edit.
    func matches(_ word: ReadWord, _ term: LexiconTerm, at index: Int) -> Bool {
        let listed = term.words[index]
        if word.text == listed || (word.text == "eh" && listed == "e") { return true }
        if word.isNumber || Self.isNumber(listed) || term.exact { return false }
        if word.stem.count >= Self.shortestStem, word.stem == term.stems[index] { return true }
        if word.root.count >= Self.shortestStem, word.root == term.roots[index] { return true }
        return listed.count >= typoMinimumLength && word.text.count >= typoMinimumLength
            && Self.withinOneEdit(word.text, listed)
    }

    /// The longest terms that start at `start`: how many words they cover and their concepts.
    func longestMatch(in words: [ReadWord], at start: Int) -> (length: Int, concepts: ConceptSet)? {
        let word = words[start]
        let candidates = word.isNumber ? (byKey[word.text] ?? []) : word.candidates
        return longest(of: candidates, in: words, at: start)
    }

    /// The terms a word may start, by form, stem, root, or one letter wrong.
    func candidates(text: String, stem: String, root: String) -> [Int] {
        let word = ReadWord(text: text, stem: stem, root: root, position: 0, chain: 0, isNumber: false, range: 0..<0)
        var candidates = byKey[word.text] ?? []
        do {  // the order of the lookups does not matter: each adds the terms one way of reading finds
            if word.stem.count >= Self.shortestStem, let more = byKey["~" + word.stem] { candidates += more }
            if word.root.count >= Self.shortestStem, let more = byKey["^" + word.root] { candidates += more }
            // "é" is read as "eh" (a verb, not "e", and): it still matches terms written without the accent.
            if word.text == "eh", let more = byKey["e"] { candidates += more }
            if candidates.isEmpty, word.text.count >= typoMinimumLength {
                // One letter wrong, missing or extra: the word and its deletions against the listed words' deletions,
                // and the word's deletions against the listed words themselves ("sangrandoo").
                for key in [word.text] + Self.deletions(word.text) {
                    if let more = byDeletion[key] { candidates += more }
                    if key != word.text, let more = byKey[key] { candidates += more }
                }
            }
        }
        // Each term once, in index order.
        return Array(Set(candidates)).sorted()
    }

    /// The concepts of the one-word terms that are the word at `position` by form or stem (no typo reading: a
    /// word inside a phrase already matched is not guessed at).
    func singleWordConcepts(in words: [ReadWord], at position: Int) -> ConceptSet {
        let word = words[position]
        var concepts = ConceptSet()
        for candidate in word.isNumber ? [] : word.candidates where terms[candidate].words.count == 1 {
            let term = terms[candidate]
            let same =
                word.text == term.words[0]
                || (!term.exact && word.stem.count >= Self.shortestStem && word.stem == term.stems[0])
            if same { concepts.formUnion(term.concepts) }
        }
        return concepts
    }

    /// The longest of the candidate terms that match the words from `start`, with their concepts.
    func longest(of candidates: [Int], in words: [ReadWord], at start: Int) -> (length: Int, concepts: ConceptSet)? {
        let word = words[start]
        guard !candidates.isEmpty else { return nil }
        var best = 0
        var concepts = ConceptSet()
        for candidate in candidates {
            let term = terms[candidate]
            let length = term.words.count
            guard length >= best, start + length <= words.count, words[start + length - 1].chain == word.chain
            else { continue }
            var matched = true
            for offset in 0..<length where !matches(words[start + offset], term, at: offset) {
                matched = false
                break
            }
            guard matched else { continue }
            if length > best {
                best = length
                concepts = term.concepts
            } else {
                concepts.formUnion(term.concepts)
            }
        }
        return best > 0 ? (best, concepts) : nil
    }
}

/// A value built on first use (a language's lexicon, the learned detector's index): readers that come meanwhile wait
/// for the one build.
final class BuiltOnce<Value: Sendable>: Sendable {
    private let build: @Sendable () -> Value
    private let built = Mutex<Value?>(nil)

    init(_ build: @escaping @Sendable () -> Value) { self.build = build }

    /// The value, built now if nobody asked for it before.
    var value: Value {
        built.withLock { built in
            if let built { return built }
            let value = build()
            built = value
            return value
        }
    }
}
