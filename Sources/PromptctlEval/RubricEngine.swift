import Foundation
import PromptctlClinical
import PromptctlCore

/// A criterion's result within a rubric.
public struct CriterionResult: Sendable, Hashable, Codable {
    /// The criterion id.
    public var id: String
    /// Its type.
    public var type: String
    /// Its weight.
    public var weight: Double
    /// Its own threshold, if any.
    public var threshold: Double?
    /// Score, reason, skipped or error.
    public var outcome: CriterionOutcome
    /// Whether it met its own threshold (skipped criteria pass).
    public var passed: Bool
}

/// A rubric's result: the weighted mean and each criterion.
public struct RubricResult: Sendable, Hashable, Codable {
    /// The rubric's name.
    public var rubric: String
    /// Weighted mean of the evaluated criteria (errors count as 0); nil when every criterion was skipped.
    public var score: Double?
    /// The rubric's threshold.
    public var threshold: Double
    /// Mean at or above threshold and every criterion at or above its own.
    public var passed: Bool
    /// Each criterion.
    public var criteria: [CriterionResult]
}

/// The criterion types promptctl knows, one implementation file each.
public enum CriterionFactory {
    /// Every type name.
    public static let types = [
        "contains", "not-contains", "regex", "not-regex", "equals", "length", "json", "json-schema", "language",
        "readability", "sentence-length", "second-person", "empathy", "clinical-rules", "llm-judge",
    ]

    /// Builds a criterion; unknown types and bad parameters go to `diagnostics`.
    public static func make(
        _ spec: CriterionSpec, judge: JudgeService?, signs: ClinicalSignsEngine, diagnostics: DiagnosticCollector
    ) -> (any Criterion)? {
        switch spec.type {
        case "contains", "not-contains": ContainsCriterion(spec: spec, diagnostics: diagnostics)
        case "regex", "not-regex": RegexCriterion(spec: spec, diagnostics: diagnostics)
        case "equals": EqualsCriterion(spec: spec, diagnostics: diagnostics)
        case "length": LengthCriterion(spec: spec, diagnostics: diagnostics)
        case "json", "json-schema": JSONCriterion(spec: spec, diagnostics: diagnostics)
        case "language": LanguageCriterion(spec: spec, diagnostics: diagnostics)
        case "readability": ReadabilityCriterion(spec: spec, diagnostics: diagnostics)
        case "sentence-length": SentenceLengthCriterion(spec: spec, diagnostics: diagnostics)
        case "second-person": SecondPersonCriterion(spec: spec, signs: signs, diagnostics: diagnostics)
        case "empathy": EmpathyCriterion(spec: spec, signs: signs, diagnostics: diagnostics)
        case "clinical-rules": ClinicalRulesCriterion(spec: spec, signs: signs, diagnostics: diagnostics)
        case "llm-judge": LLMJudgeCriterion(spec: spec, judge: judge, diagnostics: diagnostics)
        default:
            {
                let suggestion = MappingReader.nearest(to: spec.type, in: types)
                diagnostics.error(
                    "unknown criterion type '\(spec.type)'", at: spec.location,
                    hint: suggestion.map { "did you mean '\($0)'?" } ?? "known types: \(types.joined(separator: ", "))")
                return nil
            }()
        }
    }
}

extension CriterionFactory {
    /// Builds every assertion of a suite and its cases once, so that a misspelt type or parameter is a configuration
    /// error with file:line:col before anything runs, never an assertion silently left out.
    public static func validateAssertions(
        of suite: SuiteSpec, signs: ClinicalSignsEngine, diagnostics: DiagnosticCollector
    ) {
        for spec in suite.assertions + suite.cases.flatMap(\.assertions) {
            _ = make(spec, judge: nil, signs: signs, diagnostics: diagnostics)
        }
    }
}

/// A loaded rubric, ready to score answers.
public struct Rubric: Sendable {
    /// The rubric as written.
    public let spec: RubricSpec
    /// Its criteria.
    public let criteria: [any Criterion]

    /// Builds a rubric's criteria; throws with every diagnostic when any is wrong.
    public init(spec: RubricSpec, judge: JudgeService?, signs: ClinicalSignsEngine) throws {
        let diagnostics = DiagnosticCollector()
        self.spec = spec
        criteria = spec.criteria.compactMap {
            CriterionFactory.make($0, judge: judge, signs: signs, diagnostics: diagnostics)
        }
        try diagnostics.throwIfErrors("rubric \(spec.name) has errors")
    }

    /// Loads `rubrics/NAME.yaml` under the project root, or a path.
    public static func load(_ nameOrPath: String, root: URL, judge: JudgeService?, signs: ClinicalSignsEngine) throws
        -> Rubric
    {
        let url =
            nameOrPath.hasSuffix(".yaml") || nameOrPath.contains("/")
            ? URL(
                fileURLWithPath: nameOrPath.hasPrefix("/") ? nameOrPath : root.appendingPathComponent(nameOrPath).path)
            : root.appendingPathComponent("rubrics/\(nameOrPath).yaml")
        guard FileManager.default.fileExists(atPath: url.path) else {
            let available =
                (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("rubrics").path))?
                .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted() ?? []
            throw PromptctlError(
                .notFound, "rubric '\(nameOrPath)' not found at \(url.path)",
                remedy: available.isEmpty
                    ? "create rubrics/\(nameOrPath).yaml" : "available: \(available.joined(separator: ", "))")
        }
        let diagnostics = DiagnosticCollector()
        let relative = url.path.hasPrefix(root.path + "/") ? String(url.path.dropFirst(root.path.count + 1)) : url.path
        let spec = try RubricSpec.load(YAMLFile(contentsOf: url, displayPath: relative), diagnostics: diagnostics)
        try diagnostics.throwIfErrors("rubric \(relative) has errors")
        return try Rubric(spec: spec!, judge: judge, signs: signs)
    }

    /// Scores one answer; criteria run concurrently (judges are the slow ones).
    public func score(_ context: CriterionContext) async -> RubricResult {
        let outcomes = await withTaskGroup(of: (Int, CriterionOutcome).self) { group in
            for (index, criterion) in criteria.enumerated() {
                group.addTask { (index, await criterion.evaluate(context)) }
            }
            var results = [CriterionOutcome?](repeating: nil, count: criteria.count)
            for await (index, outcome) in group { results[index] = outcome }
            return results.compactMap { $0 }
        }
        return Self.combine(spec: spec, criteria: criteria.map(\.spec), outcomes: outcomes)
    }

    /// The weighted mean and pass decision from criterion outcomes.
    public static func combine(spec: RubricSpec, criteria: [CriterionSpec], outcomes: [CriterionOutcome])
        -> RubricResult
    {
        var results: [CriterionResult] = []
        var weighted = 0.0
        var weights = 0.0
        for (criterion, outcome) in zip(criteria, outcomes) {
            let passed: Bool
            if outcome.skipped {
                passed = true
            } else if let score = outcome.score {
                passed = score >= (criterion.threshold ?? 0) - 1e-9
                weighted += score * criterion.weight
                weights += criterion.weight
            } else {
                passed = false
                weights += criterion.weight
            }
            results.append(
                CriterionResult(
                    id: criterion.id, type: criterion.type, weight: criterion.weight, threshold: criterion.threshold,
                    outcome: outcome, passed: passed))
        }
        let score = weights > 0 ? weighted / weights : nil
        let passed = (score ?? 1) >= spec.threshold - 1e-9 && results.allSatisfy(\.passed)
        return RubricResult(
            rubric: spec.name, score: score, threshold: spec.threshold, passed: passed, criteria: results)
    }
}

extension CriterionResult: SortedJSONEncodable {
    /// Writes the result with its keys sorted.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("id", id)
        try writer.field("outcome", outcome)
        writer.field("passed", passed)
        try writer.field("threshold", threshold)
        writer.field("type", type)
        try writer.field("weight", weight)
        writer.endObject()
    }
}

extension RubricResult: SortedJSONEncodable {
    /// Writes the result with its keys sorted.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        try writer.field("criteria", criteria)
        writer.field("passed", passed)
        writer.field("rubric", rubric)
        try writer.field("score", score)
        try writer.field("threshold", threshold)
        writer.endObject()
    }
}
