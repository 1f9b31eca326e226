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
        do {
            self.text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PromptctlError(
                .config, "cannot read \(self.displayPath)", remedy: "check that the file exists and is UTF-8 text",
                cause: error)
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
            guard let node = try Yams.compose(yaml: text) else {
                throw PromptctlError(
                    .config, "\(displayPath) is empty",
                    diagnostics: [
                        .error(
                            "the file is empty", at: SourceLocation(file: displayPath, line: 1, column: 1),
                            hint: "write a YAML mapping here")
                    ])
            }
            return node
        } catch let error as YamlError {
            throw PromptctlError(.config, "\(displayPath) is not valid YAML", diagnostics: [diagnostic(for: error)])
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

    /// The raw node under a key, marking the key as known.
    public func value(_ key: String, required: Bool = false) -> Node? {
        consumed.insert(key)
        if let pair = pairs.first(where: { $0.key == key }) {
            if case .scalar(let scalar) = pair.value,
                scalar.tag.description.hasSuffix(":null") || scalar.string.isEmpty,
                scalar.style == .plain
            {
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
