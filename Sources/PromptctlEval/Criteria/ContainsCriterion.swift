import Foundation
import PromptctlCore

/// `contains` / `not-contains`: phrases that must (or must not) appear; any or all; case- and accent-insensitive.
struct ContainsCriterion: Criterion {
    let spec: CriterionSpec
    let phrases: LocalizedList
    let negate: Bool
    let requireAll: Bool
    let exact: Bool

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        phrases = LocalizedList(&reader, key: "values")
        negate = spec.type == "not-contains"
        let mode = reader.text("mode") ?? "any"
        requireAll = mode == "all"
        exact = reader.bool("case_sensitive") ?? false
        if !["any", "all"].contains(mode) {
            diagnostics.error("criterion '\(spec.id)': mode must be any or all", at: spec.location)
        }
        if phrases.isEmpty { reader.missing("values") }
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        let values = phrases.values(for: context.language)
        guard !values.isEmpty else { return .skipped("no phrases for language \(context.language)") }
        let haystack = exact ? context.response : TextFolding.fold(context.response)
        let found = values.filter { ByteSearch.contains(haystack, exact ? $0 : TextFolding.fold($0)) }
        if negate {
            return found.isEmpty
                ? .check(true, "none of the forbidden phrases appears")
                : .check(false, "contains forbidden: \(found.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        if requireAll {
            let missing = values.filter { !found.contains($0) }
            return missing.isEmpty
                ? .check(true, "contains all \(values.count) phrases")
                : .scored(
                    Double(found.count) / Double(values.count),
                    "missing: \(missing.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        return found.isEmpty
            ? .check(false, "contains none of: \(values.prefix(5).map { "\"\($0)\"" }.joined(separator: ", "))")
            : .check(true, "contains \"\(found[0])\"")
    }
}
