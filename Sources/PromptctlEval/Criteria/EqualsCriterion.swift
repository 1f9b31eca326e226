import Foundation
import PromptctlCore

/// `equals`: the answer equals a value (trimmed; folded unless case_sensitive).
struct EqualsCriterion: Criterion {
    let spec: CriterionSpec
    let value: String
    let exact: Bool

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        value = reader.text("value", required: true) ?? ""
        exact = reader.bool("case_sensitive") ?? false
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        let answer = context.response.trimmingCharacters(in: .whitespacesAndNewlines)
        let equal = exact ? answer == value : TextFolding.fold(answer) == TextFolding.fold(value)
        return .check(equal, equal ? "equals \"\(value)\"" : "is not \"\(value)\"")
    }
}
