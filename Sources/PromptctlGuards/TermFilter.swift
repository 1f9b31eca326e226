import Foundation
import PromptctlCore
import Yams

/// A category of sensitive terms: what they are, what to do with them on input and output, what to tell her.
public struct TermCategory: Sendable, Hashable {
    /// The category's name (contraindicated-drug, dose-request, self-harm, ...).
    public var name: String
    /// 0...1.
    public var severity: Double
    /// The action when her message contains a term; nil to ignore input.
    public var inputAction: GuardAction?
    /// The action when the response contains a term; nil to ignore output.
    public var outputAction: GuardAction?
    /// The message to append (escalate) or substitute (block), by language.
    public var messages: [String: String]
    /// Literal terms; a trailing `*` matches any word starting with the term.
    public var terms: [String]
    /// Regular expressions over folded text (for what a list cannot say, such as "500 mg").
    public var patterns: [String]

    /// Creates a category.
    public init(
        name: String, severity: Double, inputAction: GuardAction?, outputAction: GuardAction?,
        messages: [String: String],
        terms: [String], patterns: [String] = []
    ) {
        self.name = name
        self.severity = severity
        self.inputAction = inputAction
        self.outputAction = outputAction
        self.messages = messages
        self.terms = terms
        self.patterns = patterns
    }

    /// The message in a language, falling back to the primary language, then pt-BR.
    public func message(for language: String) -> String? {
        messages[language] ?? messages.first { LanguageTag.primary($0.key) == LanguageTag.primary(language) }?.value
            ?? messages["pt-BR"]
    }
}

/// One term found in a text.
public struct TermMatch: Sendable, Hashable {
    /// The category.
    public var category: String
    /// The listed term that matched.
    public var term: String
    /// The text as written.
    public var matched: String
    /// Character offsets [start, end) in the original text.
    public var range: Range<Int>
}

/// The sensitive clinical-term filter: every term of every category found in one pass (Aho–Corasick),
/// insensitive to case, accents, repeated letters, spacing and leetspeak, at word boundaries.
public struct TermFilter: TextGuard {
    public var name: String { "terms" }
    /// The categories.
    public let categories: [TermCategory]
    let automaton: AhoCorasick
    /// The automaton, for callers that scan normalized bytes themselves (benchmarks).
    public var matcher: AhoCorasick { automaton }
    let patternOwners: [(category: Int, term: String)]
    let regexes: [(category: Int, regex: NSRegularExpression)]

    /// Builds the automaton over every term.
    ///
    /// Each term is listed as both normalizers read it (punctuation as a boundary and joined: "don't" is "don t"
    /// and "dont"), and with a plural ending on its last word ("cytotecs", "abortion pills").
    public init(categories: [TermCategory]) {
        self.categories = categories
        var patterns: [[UInt8]] = []
        var owners: [(Int, String)] = []
        for (index, category) in categories.enumerated() {
            for term in category.terms {
                let isPrefix = term.hasSuffix("*")
                let stem = isPrefix ? String(term.dropLast()) : term
                var variants: [[UInt8]] = []
                for normalizer in [TextNormalizer(mode: .split), TextNormalizer(mode: .join)] {
                    for ending in isPrefix ? [""] : ["", "s", "es"] {
                        var bytes = normalizer.normalize(stem + ending).bytes
                        guard bytes.count > 2 else { continue }
                        if isPrefix { bytes.removeLast() }
                        if !variants.contains(bytes) { variants.append(bytes) }
                    }
                }
                for bytes in variants {
                    patterns.append(bytes)
                    owners.append((index, term))
                }
            }
        }
        automaton = AhoCorasick(patterns: patterns)
        patternOwners = owners
        termCount = categories.reduce(0) { count, category in
            count
                + category.terms.filter {
                    TextNormalizer().normalize($0.hasSuffix("*") ? String($0.dropLast()) : $0).bytes.count > 2
                }.count
        }
        regexes = categories.enumerated().flatMap { index, category in
            category.patterns.compactMap { pattern in
                (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])).map { (index, $0) }
            }
        }
    }

    /// Number of literal terms.
    public let termCount: Int

    /// A match before its offsets are turned into characters: UTF-8 offsets in the original text.
    struct RawMatch {
        var category: Int
        var term: String
        var bytes: Range<Int>
    }

    /// Literal terms found in one reading of the text.
    func literalMatches(_ output: TextNormalizer.Output, into found: inout [RawMatch]) {
        for match in automaton.matches(in: output.bytes) {
            let owner = patternOwners[match.pattern]
            // Skip the leading boundary space; a boundary space's origin is where the word before it ends.
            let firstByte = Int(output.origins[match.start + 1])
            var endIndex = match.end - 1
            if output.bytes[endIndex] != TextNormalizer.space {
                // A prefix term covers the rest of the word: up to the next boundary space.
                endIndex = match.end
                while endIndex < output.bytes.count, output.bytes[endIndex] != TextNormalizer.space { endIndex += 1 }
            }
            let endByte = Int(output.origins[min(endIndex, output.origins.count - 1)])
            guard firstByte < endByte else { continue }
            found.append(RawMatch(category: owner.category, term: owner.term, bytes: firstByte..<endByte))
        }
    }

    /// Every term found, in text order, without overlaps of the same category.
    ///
    /// Linear in the text: the text is read once as written and, only when it has punctuation inside a word,
    /// once more with that punctuation joined; offsets are turned into characters in one pass at the end.
    public func scan(_ text: String) -> [TermMatch] {
        var raw: [RawMatch] = []
        var utf8 = Array(text.utf8)
        let split = utf8.withUnsafeMutableBufferPointer {
            TextNormalizer(mode: .split).normalize(UnsafeBufferPointer($0))
        }
        literalMatches(split, into: &raw)
        if split.hasInnerPunctuation {
            let joined = utf8.withUnsafeMutableBufferPointer {
                TextNormalizer(mode: .join).normalize(UnsafeBufferPointer($0))
            }
            literalMatches(joined, into: &raw)
        }
        utf8 = []
        let offsets = CharacterOffsets(text, utf8Offsets: raw.flatMap { [$0.bytes.lowerBound, $0.bytes.upperBound] })
        var found: [TermMatch] = []
        var seen: Set<[Int]> = []
        for match in raw {
            let (lower, start) = offsets.floor(match.bytes.lowerBound)
            let (upper, end) = offsets.ceiling(match.bytes.upperBound)
            guard seen.insert([match.category, lower]).inserted else { continue }
            found.append(
                TermMatch(
                    category: categories[match.category].name, term: match.term, matched: String(text[start..<end]),
                    range: lower..<upper))
        }
        if !regexes.isEmpty {
            // Patterns read the folded text, whose characters line up with the original's.
            let folded = TextFolding.fold(text)
            var regexMatches: [(category: Int, pattern: String, bytes: Range<Int>)] = []
            for (category, regex) in regexes {
                for match in regex.matches(in: folded, range: NSRange(folded.startIndex..., in: folded)) {
                    guard let range = Range(match.range, in: folded) else { continue }
                    regexMatches.append(
                        (
                            category, regex.pattern,
                            folded.utf8.distance(
                                from: folded.startIndex, to: range.lowerBound)..<folded.utf8.distance(
                                    from: folded.startIndex, to: range.upperBound)
                        ))
                }
            }
            let foldedOffsets = CharacterOffsets(
                folded, utf8Offsets: regexMatches.flatMap { [$0.bytes.lowerBound, $0.bytes.upperBound] })
            let characterRanges = regexMatches.map {
                foldedOffsets.floor($0.bytes.lowerBound).0..<foldedOffsets.ceiling($0.bytes.upperBound).0
            }
            let textOffsets = CharacterOffsets(
                text, characterOffsets: characterRanges.flatMap { [$0.lowerBound, $0.upperBound] })
            for (match, characters) in zip(regexMatches, characterRanges) {
                guard let start = textOffsets.index(atCharacter: characters.lowerBound),
                    let end = textOffsets.index(atCharacter: characters.upperBound),
                    start < end, seen.insert([match.category, characters.lowerBound]).inserted
                else { continue }
                found.append(
                    TermMatch(
                        category: categories[match.category].name, term: match.pattern,
                        matched: String(text[start..<end]), range: characters))
            }
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Findings for the pipeline.
    public func check(_ text: String, stage: GuardStage, language: String) async throws -> [GuardFinding] {
        scan(text).compactMap { match in
            guard let category = categories.first(where: { $0.name == match.category }),
                let action = stage == .input ? category.inputAction : category.outputAction
            else { return nil }
            return GuardFinding(
                guardName: name, category: category.name, severity: category.severity, action: action,
                match: match.matched, range: [match.range.lowerBound, match.range.upperBound],
                reason:
                    "\(stage.rawValue) contains \"\(match.matched)\" (\(category.name), listed as \"\(match.term)\")",
                message: category.message(for: language))
        }
    }

    /// Reads term lists (`guards/terms.yaml`), reporting problems with their positions.
    public static func load(_ file: YAMLFile, diagnostics: DiagnosticCollector) throws -> TermFilter {
        let root = try file.parse()
        guard let reader = MappingReader(root, file: file.displayPath, diagnostics: diagnostics, context: "term lists")
        else { return TermFilter(categories: []) }
        var categories: [TermCategory] = []
        let nodes = reader.sequence("categories", required: true)
        if let nodes, nodes.isEmpty {
            // An empty list turned the whole filter off without a word.
            diagnostics.error(
                "'categories' is empty, so no sensitive term would be checked",
                at: reader.location(ofKey: "categories"),
                hint:
                    "list the categories, or write 'terms: none' in guards/policy.yaml to turn the filter off on purpose"
            )
        }
        for node in nodes ?? [] {
            guard let item = MappingReader(node, file: file.displayPath, diagnostics: diagnostics, context: "category")
            else { continue }
            let name = item.string("name", required: true) ?? ""
            func action(_ key: String) -> GuardAction? {
                guard let text = item.string(key) else { return nil }
                if text == "ignore" { return nil }
                guard let action = GuardAction(rawValue: text) else {
                    diagnostics.error(
                        "'\(key)' must be allow, redact, escalate, block or ignore", at: item.location(ofKey: key))
                    return nil
                }
                return action
            }
            let input = action("input")
            let output = action("output")
            var messages: [String: String] = [:]
            if let messageReader = item.mapping("message") {
                for entry in messageReader.entries() { messages[entry.key] = entry.value.string ?? "" }
            }
            let terms = item.strings("terms") ?? []
            let patterns = item.strings("patterns") ?? []
            for pattern in patterns where (try? NSRegularExpression(pattern: pattern)) == nil {
                diagnostics.error("invalid regular expression \(pattern)", at: item.location(ofKey: "patterns"))
            }
            let severity = item.double("severity") ?? 0.5
            item.rejectUnknownKeys()
            if terms.isEmpty && patterns.isEmpty {
                diagnostics.error("category '\(name)' has no terms or patterns", at: item.location)
            }
            categories.append(
                TermCategory(
                    name: name, severity: severity, inputAction: input, outputAction: output, messages: messages,
                    terms: terms, patterns: patterns))
        }
        reader.rejectUnknownKeys()
        return TermFilter(categories: categories)
    }
}
