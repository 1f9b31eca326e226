import Foundation
import Yams

/// A YAML file read from disk, parsed by Yams, with errors mapped to `file:line:column` diagnostics.
public struct YAMLFile: Sendable {
    /// The path shown in diagnostics.
    public let displayPath: String
    /// The file's text.
    public let text: String

    /// Reads a file; a missing or unreadable file is a configuration error.
    public init(contentsOf url: URL, displayPath: String? = nil) throws {
        self.displayPath = displayPath ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PromptctlError(
                .config, "cannot read \(self.displayPath)", remedy: "check that the file exists and is readable",
                cause: error)
        }
        self.text = try Self.decode(data, displayPath: self.displayPath)
    }

    /// The file's text, or an error naming the byte offset of the first byte that is not UTF-8 text.
    public static func decode(_ data: Data, displayPath: String) throws -> String {
        // The common case, a valid file without NUL, is checked at memory speed; the byte-by-byte walk below runs
        // only to name the offending byte.
        let hasNUL = data.withUnsafeBytes { bytes in
            bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false
        }
        if !hasNUL, let text = String(validating: data, as: UTF8.self) { return text }
        if let offset = data.firstIndex(of: 0) {
            let at = data.distance(from: data.startIndex, to: offset)
            throw PromptctlError(
                .config, "\(displayPath) is not a text file: it holds a NUL byte at byte offset \(at)",
                remedy: "save it as UTF-8 text; a binary file cannot be read as YAML")
        }
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
            case .emptyInput:
                return String(decoding: data, as: UTF8.self)
            case .error:
                throw PromptctlError(
                    .config, "\(displayPath) is not valid UTF-8: the first bad byte is at byte offset \(offset)",
                    remedy: "save the file as UTF-8 (in most editors: File › Save with encoding › UTF-8)")
            }
        }
    }

    /// Wraps text already in memory.
    public init(text: String, displayPath: String) {
        self.text = text
        self.displayPath = displayPath
    }

    /// Parses the file into a Yams node tree; syntax errors become one diagnostic with the position.
    public func parse() throws -> Node {
        do {
            // Plain scalars are typed by the readers (`int`, `bool`, `ConfigValue`) from their text, never by Yams'
            // implicit tags: resolving a tag runs up to seven regular expressions, and Yams resolves every mapping
            // key while checking for duplicates (a twentieth of a run's start-up CPU for the clinical definition).
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw PromptctlError(
                    .config, "\(displayPath) is empty",
                    diagnostics: [
                        .error(
                            "the file is empty", at: SourceLocation(file: displayPath, line: 1, column: 1),
                            hint: "write a YAML mapping here")
                    ])
            }
            try checkAliases(node)
            return node
        } catch let error as YamlError {
            throw PromptctlError(.config, "\(displayPath) is not valid YAML", diagnostics: [diagnostic(for: error)])
        }
    }

    /// How many nodes aliases may add to a file once expanded.
    public static let maxAliasExpansion = 10_000
    /// How deeply aliases may nest (an alias to a node that holds aliases to nodes that hold aliases...).
    public static let maxAliasDepth = 4

    /// Refuses a file whose aliases expand beyond the limits: a 1 KB file of aliases nested 9 × 7 deep expands
    /// to millions of nodes (the "billion laughs"), and every reader of the tree would walk them all.
    ///
    /// Yams shares an anchored node with each alias to it, so the tree is small in memory, but it drops the
    /// anchors once parsing is done. A shared node is recognised by its start mark instead (an alias yields the
    /// node defined there), and its expanded size is measured once, so the check is linear in the file.
    func checkAliases(_ root: Node) throws {
        // An alias is written `*name`: a file without an asterisk has none to expand.
        guard text.utf8.contains(UInt8(ascii: "*")) else { return }
        let cap = Self.maxAliasExpansion * 4 + 1_000_000
        var measured: [String: (size: Int, depth: Int)] = [:]
        var literal = 0
        var visits = 0
        var deepest: (depth: Int, at: Node)? = nil
        func key(_ node: Node) -> String? {
            guard let mark = node.mark else { return nil }
            let kind =
                switch node {
                case .scalar: "s"
                case .sequence: "q"
                case .mapping: "m"
                case .alias: "a"
                }
            return "\(kind)\(mark.line):\(mark.column)"
        }
        struct OverBudget: Error {}
        // Returns the expanded size (capped, never overflowing) and the alias depth below the node.
        func measure(_ node: Node) throws -> (size: Int, depth: Int) {
            visits += 1
            if visits > cap { throw OverBudget() }  // only a tree without marks could get here
            let key = key(node)
            if let key, let known = measured[key] {
                literal += 1
                let depth = known.depth + 1
                if depth > (deepest?.depth ?? 0) { deepest = (depth, node) }
                return (known.size, depth)
            }
            literal += 1
            var size = 1
            var depth = 0
            switch node {
            case .scalar, .alias: break
            case .sequence(let sequence):
                for child in sequence {
                    let inner = try measure(child)
                    size = min(cap, size + inner.size)
                    depth = max(depth, inner.depth)
                }
            case .mapping(let mapping):
                for (keyNode, value) in mapping {
                    for child in [keyNode, value] {
                        let inner = try measure(child)
                        size = min(cap, size + inner.size)
                        depth = max(depth, inner.depth)
                    }
                }
            }
            if let key { measured[key] = (size, depth) }
            return (size, depth)
        }
        let added: Int
        do {
            added = try measure(root).size - literal
        } catch {
            added = cap
        }
        if let deepest, deepest.depth > Self.maxAliasDepth {
            let location = MappingReader.location(of: deepest.at, file: displayPath)
            throw PromptctlError(
                .config, "\(displayPath) nests aliases \(deepest.depth) deep, more than \(Self.maxAliasDepth)",
                diagnostics: [
                    .error(
                        "aliases nest \(deepest.depth) deep here (the limit is \(Self.maxAliasDepth))", at: location,
                        hint: "write the values out, or use aliases that do not refer to other aliases")
                ])
        }
        if added > Self.maxAliasExpansion {
            throw PromptctlError(
                .config,
                "\(displayPath): aliases expand to \(added >= cap - literal ? "more than \(cap - literal)" : String(added)) "
                    + "extra nodes, more than the \(Self.maxAliasExpansion) allowed",
                diagnostics: [
                    .error(
                        "aliases expand to more than \(Self.maxAliasExpansion) extra nodes",
                        at: SourceLocation(file: displayPath, line: 1, column: 1),
                        hint: "write the values out, or use fewer aliases")
                ])
        }
    }

    private func diagnostic(for error: YamlError) -> Diagnostic {
        let hint =
            "check the indentation (spaces only, consistent per level), the colons after keys, and quote values that contain ': ' or start with '{', '[', '*', '&', '!', '%' or '@'"
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = problem
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return .error(
                message, at: SourceLocation(file: displayPath, line: mark.line, column: mark.column), hint: hint)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .error(
                "duplicate key(s) \(duplicates.joined(separator: ", ")) in one mapping",
                at: SourceLocation(file: displayPath, line: context.mark.line, column: context.mark.column),
                hint: "keep one of each key")
        case .reader(let problem, _, _, _):
            return .error(
                problem, at: SourceLocation(file: displayPath, line: 1, column: 1), hint: "save the file as UTF-8")
        default:
            return .error(String(describing: error), at: SourceLocation(file: displayPath, line: 1, column: 1))
        }
    }
}

/// Reads one YAML mapping with known keys and typed values, reporting every problem with its position.
///
/// This is a typed view over the Yams node tree, not a parser: Yams parses; this class checks the
/// shape (unknown keys with a suggestion, wrong types, missing required keys) and reports where.
public final class MappingReader {
    /// The mapping node being read.
    public let node: Node
    /// The path shown in diagnostics.
    public let file: String
    /// Where problems go.
    public let diagnostics: DiagnosticCollector
    /// What this mapping is, for messages ("prompt", "model settings").
    public let context: String
    private let pairs: [(key: String, keyNode: Node, value: Node)]
    private var consumed: Set<String> = []

    /// Creates a reader; emits an error and returns nil when the node is not a mapping.
    public init?(_ node: Node, file: String, diagnostics: DiagnosticCollector, context: String) {
        self.node = node
        self.file = file
        self.diagnostics = diagnostics
        self.context = context
        guard let mapping = node.mapping else {
            diagnostics.error(
                "\(context) must be a mapping of keys to values, found \(Self.kind(of: node))",
                at: Self.location(of: node, file: file), hint: "write it as 'key: value' lines")
            return nil
        }
        pairs = mapping.map { (key: $0.key.string ?? "", keyNode: $0.key, value: $0.value) }
    }

    /// Where a node starts.
    public static func location(of node: Node, file: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// A human name for a node's kind.
    public static func kind(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "an empty value" : "the value '\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The position of this mapping.
    public var location: SourceLocation { Self.location(of: node, file: file) }

    /// The position of a key, or of the mapping when the key is absent.
    public func location(ofKey key: String) -> SourceLocation {
        if let pair = pairs.first(where: { $0.key == key }) { return Self.location(of: pair.keyNode, file: file) }
        return location
    }

    /// The plain scalars YAML reads as null (its core schema): such a value is an absent one.
    static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// The raw node under a key, marking the key as known.
    public func value(_ key: String, required: Bool = false) -> Node? {
        consumed.insert(key)
        if let pair = pairs.first(where: { $0.key == key }) {
            if case .scalar(let scalar) = pair.value, scalar.style == .plain, Self.nullWords.contains(scalar.string) {
                if required { missing(key) }
                return nil
            }
            return pair.value
        }
        if required { missing(key) }
        return nil
    }

    private func missing(_ key: String) {
        diagnostics.error("\(context) is missing the required key '\(key)'", at: location, hint: "add '\(key): ...'")
    }

    /// A string value; numbers and booleans are accepted as their text.
    public func string(_ key: String, required: Bool = false) -> String? {
        guard let node = value(key, required: required) else { return nil }
        guard case .scalar(let scalar) = node else {
            typeError(key, node, expected: "a text value")
            return nil
        }
        return scalar.string
    }

    /// An integer value.
    public func int(_ key: String, required: Bool = false) -> Int? {
        guard let node = value(key, required: required) else { return nil }
        guard case .scalar(let scalar) = node, let value = Int(scalar.string.trimmingCharacters(in: .whitespaces))
        else {
            typeError(key, node, expected: "a whole number")
            return nil
        }
        return value
    }

    /// A floating-point value.
    public func double(_ key: String, required: Bool = false) -> Double? {
        guard let node = value(key, required: required) else { return nil }
        guard case .scalar(let scalar) = node, let value = Double(scalar.string.trimmingCharacters(in: .whitespaces))
        else {
            typeError(key, node, expected: "a number")
            return nil
        }
        return value
    }

    /// A number that must lie in `range`; a value outside it (or not a number) is an error at the key.
    public func double(_ key: String, in range: ClosedRange<Double>, required: Bool = false) -> Double? {
        guard let value = double(key, required: required) else { return nil }
        guard range.contains(value) else {
            diagnostics.error(
                "'\(key)' must be from \(Self.number(range.lowerBound)) to \(Self.number(range.upperBound)), got \(Self.number(value))",
                at: location(ofKey: key), hint: "fix the value in \(context)")
            return nil
        }
        return value
    }

    /// A whole number that must lie in `range`; a value outside it is an error at the key.
    public func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let value = int(key, required: required) else { return nil }
        guard range.contains(value) else {
            diagnostics.error(
                "'\(key)' must be from \(range.lowerBound) to \(range.upperBound), got \(value)",
                at: location(ofKey: key),
                hint: "fix the value in \(context)")
            return nil
        }
        return value
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// A boolean value (`true`/`false`, `yes`/`no`).
    public func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let node = value(key, required: required) else { return nil }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            typeError(key, node, expected: "true or false")
            return nil
        }
    }

    /// A list of strings; a single string is accepted as a one-item list.
    public func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let node = value(key, required: required) else { return nil }
        if case .scalar(let scalar) = node { return [scalar.string] }
        guard let sequence = node.sequence else {
            typeError(key, node, expected: "a list of text values")
            return nil
        }
        var result: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item else {
                diagnostics.error(
                    "each item of '\(key)' must be a text value, found \(Self.kind(of: item))",
                    at: Self.location(of: item, file: file))
                continue
            }
            result.append(scalar.string)
        }
        return result
    }

    /// A nested mapping.
    public func mapping(_ key: String, required: Bool = false) -> MappingReader? {
        guard let node = value(key, required: required) else { return nil }
        return MappingReader(node, file: file, diagnostics: diagnostics, context: "'\(key)'")
    }

    /// A list of nodes.
    public func sequence(_ key: String, required: Bool = false) -> [Node]? {
        guard let node = value(key, required: required) else { return nil }
        guard let sequence = node.sequence else {
            typeError(key, node, expected: "a list ('- item' lines)")
            return nil
        }
        return Array(sequence)
    }

    /// Every key with its value node, in file order; marks them all as known.
    public func entries() -> [(key: String, keyLocation: SourceLocation, value: Node)] {
        pairs.map {
            consumed.insert($0.key)
            return (key: $0.key, keyLocation: Self.location(of: $0.keyNode, file: file), value: $0.value)
        }
    }

    /// Reports a value of the wrong type.
    public func typeError(_ key: String, _ node: Node, expected: String) {
        diagnostics.error(
            "'\(key)' must be \(expected), found \(Self.kind(of: node))", at: Self.location(of: node, file: file))
    }

    /// Reports keys that were never asked for, with the nearest known key as a suggestion.
    public func rejectUnknownKeys(known extra: [String] = []) {
        let known = consumed.union(extra)
        for pair in pairs where !known.contains(pair.key) {
            let suggestion = Self.nearest(to: pair.key, in: Array(known))
            diagnostics.error(
                "unknown key '\(pair.key)' in \(context)", at: Self.location(of: pair.keyNode, file: file),
                hint: suggestion.map { "did you mean '\($0)'?" }
                    ?? "known keys are: \(known.sorted().joined(separator: ", "))")
        }
    }

    /// The candidate within edit distance 2 of `word`, if any.
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        candidates
            .map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= max(2, word.count / 3) }
            .min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
