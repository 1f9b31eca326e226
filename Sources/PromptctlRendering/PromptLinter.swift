import Foundation
import PromptctlCore

/// Checks a whole prompt repository: schema, variables, partials, releases, labels.
public struct PromptLinter: Sendable {
    /// The project to check.
    public let project: Project

    /// Creates a linter.
    public init(project: Project) { self.project = project }

    /// Every finding, errors and warnings, in file order.
    public func lint() -> [Diagnostic] {
        var findings: [Diagnostic] = []
        let renderer = PromptRenderer(project: project)
        let config = project.config

        var seen: [String: PromptVersion] = [:]
        for prompt in project.prompts {
            let fileStart = SourceLocation(file: prompt.file, line: 1, column: 1)
            if let earlier = seen[prompt.key] {
                findings.append(
                    .error(
                        "\(prompt.key) is declared twice: here and in \(earlier.file)", at: fileStart,
                        hint: "give this file a new version number"))
            }
            seen[prompt.key] = prompt

            if !config.languages.contains(prompt.language) {
                findings.append(
                    .error(
                        "language '\(prompt.language)' is not one of the project's languages", at: fileStart,
                        hint: "use one of \(config.languages.joined(separator: ", ")) or add it to promptctl.yaml"))
            }
            if config.personas[prompt.persona] == nil {
                findings.append(
                    .error(
                        "persona '\(prompt.persona)' is unknown", at: fileStart,
                        hint: config.personas.isEmpty
                            ? "declare personas in promptctl.yaml under 'personas:'"
                            : "use one of \(config.personas.keys.sorted().joined(separator: ", ")) or declare it in promptctl.yaml"
                    ))
            }
            if let provider = prompt.model.provider, config.providers[provider] == nil {
                findings.append(
                    .error(
                        "model.provider '\(provider)' is not declared in promptctl.yaml", at: fileStart,
                        hint: "declare it under 'providers:' or remove the line"))
            }

            var used: Set<String> = []
            var templatesParse = true
            for message in prompt.messages {
                do {
                    used.formUnion(
                        try TemplateAnalyzer.usage(of: message.template, location: message.location).variables)
                } catch let error as PromptctlError {
                    findings += error.diagnostics
                    templatesParse = false
                } catch {
                    findings.append(.error("\(error)", at: message.location))
                    templatesParse = false
                }
            }
            var partialTexts: [String: String] = [:]
            do {
                let (_, texts) = try renderer.partialLibrary(for: prompt)
                partialTexts = texts
                for text in texts.values {
                    used.formUnion((try? TemplateAnalyzer.usage(of: text).variables) ?? [])
                }
            } catch let error as PromptctlError {
                findings += error.diagnostics
                templatesParse = false
            } catch {
                findings.append(.error("\(error)", at: fileStart))
            }
            guard templatesParse else { continue }

            let declared = Set(prompt.variables.map(\.name))
            for name in used.subtracting(declared).sorted() {
                let location = prompt.messages.first { $0.template.contains(name) }?.location ?? fileStart
                findings.append(
                    .error(
                        "the template uses '\(name)', which is not declared", at: location,
                        hint: "declare it under 'variables:' (name, type, required, example) or fix the name"))
            }
            for variable in prompt.variables where variable.required && !used.contains(variable.name) {
                findings.append(
                    .error(
                        "required variable '\(variable.name)' is never used by a template",
                        at: variable.location ?? fileStart,
                        hint: "use {{\(variable.name)}} in a message or remove the declaration"))
            }
            // A section over a variable whose default is not empty always opens when the caller leaves it out:
            // the "optional" text is in every prompt sent.
            var sections: Set<String> = []
            for message in prompt.messages { sections.formUnion(TemplateAnalyzer.sectionNames(in: message.template)) }
            for text in partialTexts.values { sections.formUnion(TemplateAnalyzer.sectionNames(in: text)) }
            for variable in prompt.variables where sections.contains(variable.name) {
                guard let value = variable.defaultValue,
                    PromptRenderer.opensSection(value, type: variable.type)
                else { continue }
                findings.append(
                    .warning(
                        "the section {{#\(variable.name)}} always opens when '\(variable.name)' is not given: its default is '\(value)'",
                        at: variable.location ?? fileStart,
                        hint: "set 'default: \"\"' (an empty value closes the section) or drop the section"))
            }
            for variable in prompt.variables
            where variable.required && variable.example == nil && variable.defaultValue == nil {
                findings.append(
                    .warning(
                        "required variable '\(variable.name)' has no example", at: variable.location ?? fileStart,
                        hint: "add 'example: ...' so lint and the docs can render the prompt"))
            }
            do {
                _ = try renderer.render(prompt, values: prompt.exampleValues)
            } catch let error as PromptctlError {
                // Undeclared variables and partial loops are already reported above; rendering refuses them too.
                let known = Set(findings.map(\.message))
                findings += error.diagnostics.filter { !known.contains($0.message) }.map {
                    var d = $0
                    d.message = "rendering with examples: " + d.message
                    return d
                }
            } catch {
                findings.append(.error("rendering with examples failed: \(error)", at: fileStart))
            }

            if let entry = project.lock.released[prompt.key] {
                let hash = prompt.releaseHash(partialTexts: partialTexts)
                if hash != entry.sha256 {
                    let next = SemanticVersion(prompt.version.major, prompt.version.minor, prompt.version.patch + 1)
                    findings.append(
                        .error(
                            "released version \(prompt.key) changed since its release on \(entry.releasedAt) (content hash \(hash.prefix(12)) ≠ \(entry.sha256.prefix(12)))",
                            at: fileStart,
                            hint:
                                "revert the change, or copy the file, set version: \"\(next)\" in the copy and release that"
                        ))
                }
            }
        }
        for key in project.lock.released.keys.sorted() where seen[key] == nil {
            findings.append(
                .error(
                    "released version \(key) is in prompts/prompts.lock but no valid file declares it (deleted, or it has errors reported above)",
                    at: SourceLocation(file: "prompts/prompts.lock", line: 1, column: 1),
                    hint: "restore the file from git: released versions are never deleted"))
        }

        let labelsFile = SourceLocation(file: "prompts/labels.yaml", line: 1, column: 1)
        for problem in project.labels.chainProblems() {
            findings.append(
                .error(problem, at: labelsFile, hint: "label history is append-only; restore it with git"))
        }
        for move in project.labels.moves {
            if !config.labels.contains(move.label) {
                findings.append(
                    .error(
                        "label '\(move.label)' is not declared in promptctl.yaml", at: labelsFile,
                        hint: "declared labels: \(config.labels.joined(separator: ", "))"))
            }
        }
        for id in project.promptIDs {
            for (label, version) in project.labels.labels(of: id) where seen["\(id)@\(version)"] == nil {
                findings.append(
                    .error("label \(label) of \(id) points at \(version), which has no file", at: labelsFile))
            }
        }
        return findings
    }
}
