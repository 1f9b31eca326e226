import Foundation
import PromptctlClinical
import PromptctlCore

/// Reads a suite file as `eval` and `prompts lint` both do: its YAML, then every assertion checked against the
/// criteria and the warning-sign definition, so a misspelled assertion type is the same error in both.
public enum SuiteLoader {
    /// The suite at `url`, or an error carrying every diagnostic with its file:line:col.
    public static func load(_ url: URL, project: Project) throws -> SuiteSpec {
        let diagnostics = DiagnosticCollector()
        let file = try YAMLFile(contentsOf: url, displayPath: project.relativePath(url))
        // Case files are named, not read: the planner and the runner stream them one case at a time.
        let suite = try SuiteSpec.load(
            file, baseDirectory: url.deletingLastPathComponent(), diagnostics: diagnostics, streamCaseFiles: true)
        if let suite {
            CriterionFactory.validateAssertions(
                of: suite, signs: try ClinicalSignsEngine.forProject(root: project.root), diagnostics: diagnostics)
        }
        try diagnostics.throwIfErrors("suite \(file.displayPath) has errors")
        return suite!
    }
}
