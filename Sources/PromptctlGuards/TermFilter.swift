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
    let normalizer = TextNormalizer()

    /// Builds the automaton over every term.
    public init(categories: [TermCategory]) {
        self.categories = categories
        var patterns: [[UInt8]] = []
        var owners: [(Int, String)] = []
        let normalizer = TextNormalizer()
        for (index, category) in categories.enumerated() {
            for term in category.terms {
                let isPrefix = term.hasSuffix("*")
                var bytes = normalizer.normalize(isPrefix ? String(term.dropLast()) : term).bytes
                guard bytes.count > 2 else { continue }
                if isPrefix { bytes.removeLast() }
                patterns.append(bytes)
                owners.append((index, term))
            }
        }
        automaton = AhoCorasick(patterns: patterns)
        patternOwners = owners
        regexes = categories.enumerated().flatMap { index, category in
            category.patterns.compactMap { pattern in
                (try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive])).map { (index, $0) }
            }
        }
    }

    /// Number of literal terms.
    public var termCount: Int { patternOwners.count }

    /// Every term found, in text order, without overlaps of the same category.
    public func scan(_ text: String) -> [TermMatch] {
        let output = normalizer.normalize(text)
        let utf8 = Array(text.utf8)
        var found: [TermMatch] = []
        var seen: Set<String> = []
        func characterOffset(_ byteOffset: Int) -> Int {
            let clamped = max(0, min(byteOffset, utf8.count))
            let index = text.utf8.index(text.utf8.startIndex, offsetBy: clamped)
            return text.distance(from: text.startIndex, to: index)
        }
        for match in automaton.matches(in: output.bytes) {
            let owner = patternOwners[match.pattern]
            // Skip the leading boundary space; the trailing one (if any) marks the end in the original.
            let firstByte = Int(output.origins[match.start + 1])
            let lastIndex = match.end - 1
            var endByte: Int
            if output.bytes[lastIndex] == TextNormalizer.space {
                endByte = Int(output.origins[lastIndex])
                // The origin of a separator is the separator itself; trim the original's trailing separators.
                while endByte > firstByte, endByte - 1 < utf8.count, utf8[endByte - 1] < 0x80,
                    TextNormalizer.asciiTable[Int(utf8[endByte - 1])] == 0
                {
                    endByte -= 1
                }
            } else {
                let origin = Int(output.origins[lastIndex])
                endByte = origin + (utf8[origin] >= 0xC0 ? 2 : 1)
                // A prefix term covers the rest of the word.
                while endByte < utf8.count, utf8[endByte] >= 0x80 || TextNormalizer.asciiTable[Int(utf8[endByte])] != 0
                {
                    endByte += 1
                }
            }
            let range = characterOffset(firstByte)..<characterOffset(endByte)
            let key = "\(owner.category):\(range.lowerBound)"
            guard seen.insert(key).inserted else { continue }
            let start = text.index(text.startIndex, offsetBy: range.lowerBound)
            let end = text.index(text.startIndex, offsetBy: range.upperBound)
            found.append(
                TermMatch(
                    category: categories[owner.category].name, term: owner.term, matched: String(text[start..<end]),
                    range: range))
        }
        if !regexes.isEmpty {
            let folded = TextFolding.fold(text)
            let characters = Array(text)
            for (category, regex) in regexes {
                for match in regex.matches(in: folded, range: NSRange(folded.startIndex..., in: folded)) {
                    guard let range = Range(match.range, in: folded) else { continue }
                    let lower = folded.distance(from: folded.startIndex, to: range.lowerBound)
                    let upper = min(characters.count, folded.distance(from: folded.startIndex, to: range.upperBound))
                    guard lower < upper, seen.insert("\(category):\(lower)").inserted else { continue }
                    found.append(
                        TermMatch(
                            category: categories[category].name, term: regex.pattern,
                            matched: String(characters[lower..<upper]), range: lower..<upper))
                }
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
        for node in reader.sequence("categories", required: true) ?? [] {
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
