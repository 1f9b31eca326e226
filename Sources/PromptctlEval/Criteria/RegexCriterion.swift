import Foundation
import PromptctlCore

/// `regex` / `not-regex`: a pattern that must (or must not) match the folded or raw answer.
struct RegexCriterion: Criterion {
    let spec: CriterionSpec
    let regex: NSRegularExpression?
    let pattern: String
    let negate: Bool
    let fold: Bool

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        pattern = reader.text("pattern", required: true) ?? ""
        negate = spec.type == "not-regex"
        fold = reader.bool("fold") ?? true
        reader.rejectUnknown()
        do {
            regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        } catch {
            diagnostics.error(
                "criterion '\(spec.id)': invalid regular expression \(pattern)", at: spec.location,
                hint: "check brackets and escapes (YAML needs '\\\\' inside double quotes)")
            regex = nil
        }
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        guard let regex else { return .failed("invalid pattern") }
        let text = fold ? TextFolding.fold(context.response) : context.response
        let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        let matched = match.flatMap { Range($0.range, in: text) }.map { String(text[$0]) }
        if negate {
            return matched.map { .check(false, "matches forbidden pattern: \"\($0)\"") }
                ?? .check(true, "does not match \(pattern)")
        }
        return matched.map { .check(true, "matches \"\($0)\"") } ?? .check(false, "does not match \(pattern)")
    }
}
