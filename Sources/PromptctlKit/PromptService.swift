import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlGuards
import PromptctlRendering
import PromptctlReports
import Yams

/// What the `prompts` commands do: list, show, render, diff, lint, label, history, release.
public struct PromptService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// A row of `prompts list`.
    public struct Summary: Sendable, Codable, Hashable {
        public var id: String
        public var version: String
        public var language: String
        public var persona: String
        public var tags: [String]
        public var labels: [String]
        public var released: Bool
        public var model: String
        public var description: String
    }

    /// Prompt versions matching every given filter.
    public func list(language: String?, persona: String?, tag: String?, label: String?, allVersions: Bool) throws
        -> [Summary]
    {
        let project = try workspace.loadProject()
        var result: [Summary] = []
        for id in project.promptIDs {
            let labels = project.labels.labels(of: id)
            var versions = project.versions(of: id)
            if let label {
                guard let version = labels[label] else { continue }
                versions = versions.filter { $0.version == version }
            } else if !allVersions, let latest = versions.last {
                versions = [latest]
            }
            for prompt in versions {
                if let language, prompt.language.lowercased() != language.lowercased() { continue }
                if let persona, prompt.persona != persona { continue }
                if let tag, !prompt.tags.contains(tag) { continue }
                result.append(
                    Summary(
                        id: prompt.id, version: prompt.version.description, language: prompt.language,
                        persona: prompt.persona, tags: prompt.tags,
                        labels: labels.filter { $0.value == prompt.version }.map(\.key).sorted(),
                        released: project.lock.released[prompt.key] != nil, model: prompt.model.model,
                        description: prompt.description))
            }
        }
        return result
    }

    /// The list as text.
    public func formatList(_ rows: [Summary], format: OutputFormat) throws -> String {
        switch format {
        case .json: return try JSONOutput.string(rows)
        default:
            return TextTable(
                headers: ["ID", "VERSION", "LANG", "PERSONA", "LABELS", "RELEASED", "MODEL", "TAGS"],
                rows: rows.map {
                    [
                        $0.id, $0.version, $0.language, $0.persona, $0.labels.joined(separator: ","),
                        $0.released ? "yes" : "no", $0.model, $0.tags.joined(separator: ","),
                    ]
                }
            ).render()
        }
    }

    /// A prompt version in full.
    public func show(_ reference: String, format: OutputFormat) throws -> String {
        let project = try workspace.loadProject()
        let prompt = try project.resolve(try PromptReference(parsing: reference))
        if format == .json { return try JSONOutput.string(prompt) }
        var lines = [
            "\(prompt.key)  (\(prompt.file))",
            "language: \(prompt.language)   persona: \(prompt.persona)   tags: \(prompt.tags.joined(separator: ", "))",
            "model: \(prompt.model.model)" + (prompt.model.temperature.map { "  temperature: \($0)" } ?? "")
                + (prompt.model.maxTokens.map { "  max_tokens: \($0)" } ?? ""),
        ]
        let labels = project.labels.labels(of: prompt.id).filter { $0.value == prompt.version }.keys.sorted()
        if !labels.isEmpty { lines.append("labels: \(labels.joined(separator: ", "))") }
        if let entry = project.lock.released[prompt.key] {
            lines.append("released: \(entry.releasedAt) by \(entry.releasedBy) (sha256 \(entry.sha256.prefix(12)))")
        }
        if !prompt.description.isEmpty {
            lines += ["", prompt.description.trimmingCharacters(in: .whitespacesAndNewlines)]
        }
        lines += ["", "variables:"]
        for variable in prompt.variables {
            var line = "  \(variable.name): \(variable.type.rawValue)\(variable.required ? ", required" : "")"
            if let value = variable.defaultValue { line += ", default \"\(value)\"" }
            if let example = variable.example { line += ", e.g. \"\(example)\"" }
            if let description = variable.description { line += " — \(description)" }
            lines.append(line)
        }
        for message in prompt.messages {
            lines += ["", "[\(message.role.rawValue)]", message.template.trimmingCharacters(in: .newlines)]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses `k=v` pairs and a YAML or JSON vars file into values (pairs win).
    public func variableValues(pairs: [String], file: String?) throws -> [String: String] {
        var values: [String: String] = [:]
        if let file {
            let url = URL(fileURLWithPath: workspace.absolute(file))
            let yaml = try YAMLFile(contentsOf: url, displayPath: file)
            let node = try yaml.parse()
            guard let mapping = node.mapping else {
                throw PromptctlError(
                    .usage, "\(file) must be a mapping of variable names to values", remedy: "write 'name: value' lines"
                )
            }
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                if let sequence = value.sequence {
                    values[name] = sequence.compactMap(\.string).joined(separator: ",")
                } else {
                    values[name] = value.string ?? ""
                }
            }
        }
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else {
                throw PromptctlError(.usage, "--var '\(pair)' has no '='", remedy: "write --var name=value")
            }
            values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return values
    }

    /// Renders a prompt; `useExamples` fills unset variables with their examples.
    public func render(_ reference: String, values: [String: String], useExamples: Bool) throws -> (
        PromptVersion, [ChatMessage]
    ) {
        let project = try workspace.loadProject()
        let prompt = try project.resolve(try PromptReference(parsing: reference))
        var merged = useExamples ? prompt.exampleValues : [:]
        merged.merge(values) { $1 }
        return (prompt, try PromptRenderer(project: project).render(prompt, values: merged))
    }

    /// Rendered messages as text or JSON.
    public func formatRendered(_ prompt: PromptVersion, _ messages: [ChatMessage], format: OutputFormat) throws
        -> String
    {
        if format == .json {
            struct Rendered: Encodable {
                var prompt: String
                var model: ModelSettings
                var messages: [ChatMessage]
            }
            return try JSONOutput.string(Rendered(prompt: prompt.key, model: prompt.model, messages: messages))
        }
        return messages.map { "[\($0.role.rawValue)]\n\($0.content)" }.joined(separator: "\n\n") + "\n"
    }

    /// The unified diff of two versions' settings and templates.
    public func diff(_ a: String, _ b: String) throws -> String {
        let project = try workspace.loadProject()
        let left = try project.resolve(try PromptReference(parsing: a))
        let right = try project.resolve(try PromptReference(parsing: b))
        return LineDiff.unified(
            old: try canonicalText(left), new: try canonicalText(right), oldName: "\(left.key) (\(left.file))",
            newName: "\(right.key) (\(right.file))")
    }

    /// A stable text form of a version for diffs: metadata, settings, variables, then each template.
    func canonicalText(_ prompt: PromptVersion) throws -> String {
        func number(_ value: Double?) -> String? { value.map { String(describing: $0) } }
        var lines = [
            "language: \(prompt.language)", "persona: \(prompt.persona)",
            "tags: [\(prompt.tags.joined(separator: ", "))]",
            "model:", "  model: \(prompt.model.model)",
        ]
        let settings: [(String, String?)] = [
            ("provider", prompt.model.provider), ("temperature", number(prompt.model.temperature)),
            ("max_tokens", prompt.model.maxTokens.map(String.init)), ("top_p", number(prompt.model.topP)),
            ("stop", prompt.model.stop.map { $0.joined(separator: " | ") }),
            ("seed", prompt.model.seed.map(String.init)),
            ("json_mode", prompt.model.jsonMode.map(String.init)),
        ]
        lines += settings.compactMap { key, value in value.map { "  \(key): \($0)" } }
        lines.append("variables:")
        for variable in prompt.variables {
            var line = "  - \(variable.name): \(variable.type.rawValue)\(variable.required ? ", required" : "")"
            if let value = variable.defaultValue { line += ", default \"\(value)\"" }
            if let example = variable.example { line += ", example \"\(example)\"" }
            lines.append(line)
        }
        var text = lines.joined(separator: "\n") + "\n"
        for (index, message) in prompt.messages.enumerated() {
            text += "--- message \(index + 1): \(message.role.rawValue)\n" + message.template
            if !message.template.hasSuffix("\n") { text += "\n" }
        }
        return text
    }

    /// Every diagnostic in the repository; errors make the command fail.
    public func lint() throws -> [Diagnostic] {
        let diagnostics = DiagnosticCollector()
        let project = try ProjectLoader.load(root: workspace.root, diagnostics: diagnostics)
        // The guards are part of what a release depends on: a policy that turns them off fails lint too.
        return diagnostics.diagnostics + PromptLinter(project: project).lint()
            + GuardSetup(projectRoot: project.root, environment: workspace.environment).lint()
            + lintSuites(project: project)
    }

    /// Every suite in `eval-suites/`: its YAML and every assertion, as `eval` would read them.
    func lintSuites(project: Project) -> [Diagnostic] {
        let folder = project.root.appendingPathComponent("eval-suites")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
        var found: [Diagnostic] = []
        for name in names {
            do {
                _ = try SuiteLoader.load(folder.appendingPathComponent(name), project: project)
            } catch let error as PromptctlError {
                found += error.asDiagnostics
            } catch {
                found.append(.error("eval-suites/\(name) cannot be read: \(error)", at: nil))
            }
        }
        return found
    }

    /// Records a version's content hash in the lock; refuses when lint finds errors in it.
    public func release(_ reference: String) throws -> String {
        let project = try workspace.loadProject()
        let prompt = try project.resolve(try PromptReference(parsing: reference))
        let problems = PromptLinter(project: project).lint().filter {
            $0.severity == .error && $0.location?.file == prompt.file
        }
        guard problems.isEmpty else {
            throw PromptctlError(
                .config, "\(prompt.key) has lint errors; fix them before releasing", diagnostics: problems)
        }
        let hash = try PromptRenderer(project: project).releaseHash(of: prompt)
        var lock = project.lock
        if let existing = lock.released[prompt.key] {
            if existing.sha256 == hash { return "\(prompt.key) is already released (sha256 \(hash.prefix(12)))\n" }
            throw PromptctlError(
                .config, "\(prompt.key) was released with other content",
                remedy: "released versions never change; give the new content a new version number")
        }
        lock.released[prompt.key] = ReleaseLock.Entry(
            sha256: hash, releasedAt: Timestamp.now(), releasedBy: workspace.currentUser)
        try lock.save(to: project.lockFile)
        return "released \(prompt.key) (sha256 \(hash.prefix(12)))\n"
    }

    /// Moves a label. Production moves go through `promote`, which checks the evaluation gate.
    public func moveLabel(
        _ reference: String, to label: String, reason: String, by: String? = nil, approval: LabelMove.Approval? = nil,
        allowProtected: Bool = false
    ) throws -> LabelMove {
        let project = try workspace.loadProject()
        return try project.moveLabel(
            try project.resolve(try PromptReference(parsing: reference)), to: label, reason: reason,
            by: by ?? workspace.currentUser, approval: approval, allowProtected: allowProtected)
    }

    /// Label history as text or JSON.
    public func history(_ id: String?, label: String?, format: OutputFormat) throws -> String {
        let project = try workspace.loadProject()
        if let id, project.versions(of: id).isEmpty { _ = try project.resolve(PromptReference(id: id)) }
        let moves = project.labels.history(of: id, label: label)
        if format == .json { return try JSONOutput.string(moves) }
        return TextTable(
            headers: ["WHEN", "PROMPT", "LABEL", "FROM", "TO", "BY", "APPROVED BY", "REASON"],
            rows: moves.map {
                [$0.at, $0.prompt, $0.label, $0.from ?? "-", $0.to ?? "-", $0.by, $0.approval?.by ?? "", $0.reason]
            }
        ).render()
    }
}
