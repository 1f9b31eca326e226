import Foundation
import PromptctlCore

/// What a criterion sees: the user's message, the answer, the prompt's language and the case's variables.
public struct CriterionContext: Sendable {
    /// The user's message.
    public var userMessage: String
    /// The answer being scored.
    public var response: String
    /// The prompt's language (BCP 47).
    public var language: String
    /// The case's variables.
    public var vars: [String: String]

    /// Creates a context.
    public init(userMessage: String, response: String, language: String, vars: [String: String] = [:]) {
        self.userMessage = userMessage
        self.response = response
        self.language = language
        self.vars = vars
    }
}

/// A criterion's verdict: a score in [0, 1] with a reason, or skipped (a judge with no judge provider).
public struct CriterionOutcome: Sendable, Hashable, Codable {
    /// The score; nil when skipped or failed to evaluate.
    public var score: Double?
    /// Why.
    public var reason: String
    /// Not evaluated on purpose (excluded from the weighted mean).
    public var skipped: Bool
    /// Could not be evaluated (a judge call failed); counts as a failure.
    public var error: String?

    /// A score with its reason.
    public static func scored(_ score: Double, _ reason: String) -> CriterionOutcome {
        CriterionOutcome(score: min(1, max(0, score)), reason: reason, skipped: false, error: nil)
    }

    /// Pass (1) or fail (0).
    public static func check(_ passed: Bool, _ reason: String) -> CriterionOutcome { .scored(passed ? 1 : 0, reason) }

    /// Skipped, with why.
    public static func skipped(_ reason: String) -> CriterionOutcome {
        CriterionOutcome(score: nil, reason: reason, skipped: true, error: nil)
    }

    /// Failed to evaluate.
    public static func failed(_ error: String) -> CriterionOutcome {
        CriterionOutcome(score: nil, reason: error, skipped: false, error: error)
    }
}

/// One rubric criterion: deterministic or model-graded.
public protocol Criterion: Sendable {
    /// How it was configured.
    var spec: CriterionSpec { get }
    /// Scores one answer.
    func evaluate(_ context: CriterionContext) async -> CriterionOutcome
}

/// Reads a criterion's parameters, reporting wrong ones at the criterion's position.
struct ParameterReader {
    let spec: CriterionSpec
    let diagnostics: DiagnosticCollector
    private(set) var used: Set<String> = []

    init(_ spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        self.diagnostics = diagnostics
    }

    mutating func texts(_ key: String, required: Bool = false) -> [String] {
        used.insert(key)
        guard let value = spec.parameters[key] else {
            if required { missing(key) }
            return []
        }
        return value.texts ?? []
    }

    mutating func text(_ key: String, required: Bool = false) -> String? {
        used.insert(key)
        guard let value = spec.parameters[key]?.text else {
            if required { missing(key) }
            return nil
        }
        return value
    }

    mutating func number(_ key: String) -> Double? {
        used.insert(key)
        guard let value = spec.parameters[key] else { return nil }
        guard let number = value.number else {
            diagnostics.error("criterion '\(spec.id)': '\(key)' must be a number", at: spec.location)
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? {
        used.insert(key)
        return spec.parameters[key]?.bool
    }

    mutating func raw(_ key: String) -> ConfigValue? {
        used.insert(key)
        return spec.parameters[key]
    }

    func missing(_ key: String) {
        diagnostics.error(
            "criterion '\(spec.id)' of type \(spec.type) needs '\(key)'", at: spec.location, hint: "add '\(key): ...'")
    }

    func rejectUnknown() {
        for key in spec.parameters.keys.sorted() where !used.contains(key) {
            let suggestion = MappingReader.nearest(to: key, in: Array(used))
            diagnostics.error(
                "criterion '\(spec.id)' of type \(spec.type) has no parameter '\(key)'", at: spec.location,
                hint: suggestion.map { "did you mean '\($0)'?" } ?? "known: \(used.sorted().joined(separator: ", "))")
        }
    }
}

/// The language-specific part of a list parameter: `values: [...]` or `pt: [...]`, `en: [...]`, `es: [...]`.
struct LocalizedList: Sendable {
    let common: [String]
    let byLanguage: [String: [String]]

    init(_ reader: inout ParameterReader, key: String) {
        common = reader.texts(key)
        var byLanguage: [String: [String]] = [:]
        for language in ["pt", "en", "es"] {
            let values = reader.texts(language)
            if !values.isEmpty { byLanguage[language] = values }
        }
        self.byLanguage = byLanguage
    }

    func values(for language: String) -> [String] {
        common + (byLanguage[LanguageTag.primary(language)] ?? [])
    }

    var isEmpty: Bool { common.isEmpty && byLanguage.isEmpty }
}

extension CriterionOutcome: SortedJSONEncodable {
    /// Writes the outcome with its keys sorted.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("error", error)
        writer.field("reason", reason)
        try writer.field("score", score)
        writer.field("skipped", skipped)
        writer.endObject()
    }
}
