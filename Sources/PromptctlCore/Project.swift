import Foundation

/// A promptctl project on disk: its configuration, prompt versions, partials, labels and lock.
public struct Project: Sendable {
    /// The project's root folder.
    public let root: URL
    /// `promptctl.yaml`.
    public var config: ProjectConfig
    /// Every prompt version, sorted by id then version.
    public var prompts: [PromptVersion]
    /// Shared template fragments.
    public var partials: [Partial]
    /// Label history and current positions.
    public var labels: LabelBook
    /// Released versions' content hashes.
    public var lock: ReleaseLock
    /// Non-fatal findings from loading.
    public var warnings: [Diagnostic]

    /// Creates a project from parts (tests build projects in memory this way).
    public init(
        root: URL, config: ProjectConfig, prompts: [PromptVersion], partials: [Partial] = [],
        labels: LabelBook = LabelBook(), lock: ReleaseLock = ReleaseLock(), warnings: [Diagnostic] = []
    ) {
        self.root = root
        self.config = config
        self.prompts = prompts.sorted { ($0.id, $0.version) < ($1.id, $1.version) }
        self.partials = partials
        self.labels = labels
        self.lock = lock
        self.warnings = warnings
    }

    /// `prompts/` under the root.
    public var promptsDirectory: URL { root.appendingPathComponent("prompts") }
    /// `prompts/labels.yaml`.
    public var labelsFile: URL { promptsDirectory.appendingPathComponent("labels.yaml") }
    /// `prompts/prompts.lock`.
    public var lockFile: URL { promptsDirectory.appendingPathComponent("prompts.lock") }

    /// A path relative to the root, for messages.
    public func relativePath(_ url: URL) -> String { Self.relativePath(url, root: root) }

    /// A path relative to a project root, for messages and records; a path outside it stays absolute.
    public static func relativePath(_ url: URL, root: URL) -> String {
        let rootPath = root.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        if path.hasPrefix(rootPath + "/") { return String(path.dropFirst(rootPath.count + 1)) }
        return path
    }

    /// All versions of one prompt, oldest first.
    public func versions(of id: String) -> [PromptVersion] { prompts.filter { $0.id == id } }

    /// The distinct prompt ids.
    public var promptIDs: [String] {
        var seen: Set<String> = []
        return prompts.compactMap { seen.insert($0.id).inserted ? $0.id : nil }
    }

    /// Finds the version a reference names; a clear not-found error lists what exists.
    public func resolve(_ reference: PromptReference) throws -> PromptVersion {
        let versions = versions(of: reference.id)
        guard !versions.isEmpty else {
            let suggestion = MappingReader.nearest(to: reference.id, in: promptIDs)
            throw PromptctlError(
                .notFound, "no prompt has id '\(reference.id)'",
                remedy: suggestion.map { "did you mean '\($0)'?" } ?? "run 'promptctl prompts list' to see the ids")
        }
        switch reference.selector {
        case .latest:
            return versions.last!
        case .version(let version):
            guard let match = versions.first(where: { $0.version == version }) else {
                throw PromptctlError(
                    .notFound, "prompt '\(reference.id)' has no version \(version)",
                    remedy: "versions are \(versions.map(\.version.description).joined(separator: ", "))")
            }
            return match
        case .label(let label):
            guard let version = labels.version(of: reference.id, label: label) else {
                throw PromptctlError(
                    .notFound, "prompt '\(reference.id)' has no label '\(label)'",
                    remedy: "label it with 'promptctl prompts label \(reference.id)@VERSION \(label) --reason ...'")
            }
            guard let match = versions.first(where: { $0.version == version }) else {
                throw PromptctlError(
                    .config, "label '\(label)' of '\(reference.id)' points at \(version), which has no file",
                    remedy: "restore the file of \(reference.id)@\(version) or move the label")
            }
            return match
        }
    }

    /// The partial for a name in a language: `name.LANG` first, then the primary language, then `name`.
    public func partial(named name: String, language: String) -> Partial? {
        partials.first { $0.name == name && $0.language == language }
            ?? partials.first {
                $0.name == name && $0.language.map(LanguageTag.primary) == LanguageTag.primary(language)
            }
            ?? partials.first { $0.name == name && $0.language == nil }
    }
}

/// Loads a project from its folder.
public enum ProjectLoader {
    /// Loads everything; every problem in every file is collected into `diagnostics`.
    ///
    /// Returns what could be loaded, so that lint can go on checking; callers that need a sound
    /// project use `load(root:)`, which throws when any error was found.
    public static func load(root: URL, diagnostics: DiagnosticCollector) throws -> Project {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PromptctlError(
                .usage, "project folder \(root.path) does not exist",
                remedy: "pass --project DIR or cd into the project")
        }
        var config = ProjectConfig.fallback
        let configURL = root.appendingPathComponent("promptctl.yaml")
        if fileManager.fileExists(atPath: configURL.path) {
            do {
                config = try ProjectConfig.load(
                    YAMLFile(contentsOf: configURL, displayPath: "promptctl.yaml"), diagnostics: diagnostics)
            } catch let error as PromptctlError {
                error.diagnostics.forEach(diagnostics.emit)
                if error.diagnostics.isEmpty { throw error }
            }
        }
        var project = Project(root: root, config: config, prompts: [])
        let promptsDirectory = project.promptsDirectory
        var prompts: [PromptVersion] = []
        var partials: [Partial] = []
        for url in try files(under: promptsDirectory) {
            let relative = project.relativePath(url)
            let name = url.lastPathComponent
            if name == "labels.yaml" && url.deletingLastPathComponent().path == promptsDirectory.path { continue }
            if url.pathExtension == "mustache" {
                let stem = url.deletingPathExtension().lastPathComponent
                var partialName = stem
                var language: String?
                if let dot = stem.firstIndex(of: "."), LanguageTag.isWellFormed(String(stem[stem.index(after: dot)...]))
                {
                    partialName = String(stem[..<dot])
                    language = String(stem[stem.index(after: dot)...])
                }
                // A partial that cannot be read is an error, not an empty text that renders silently.
                let text: String
                do {
                    text = try YAMLFile.decode(Data(contentsOf: url), displayPath: relative)
                } catch let error as PromptctlError {
                    diagnostics.error(
                        error.message, at: SourceLocation(file: relative, line: 1, column: 1), hint: error.remedy)
                    continue
                } catch {
                    diagnostics.error(
                        "cannot read \(relative): \(error)", at: SourceLocation(file: relative, line: 1, column: 1))
                    continue
                }
                partials.append(Partial(name: partialName, language: language, template: text, file: relative))
            } else if url.pathExtension == "yaml" || url.pathExtension == "yml" {
                let file = try YAMLFile(contentsOf: url, displayPath: relative)
                if let prompt = PromptLoader.load(file, diagnostics: diagnostics) {
                    prompts.append(prompt)
                }
            }
        }
        project = Project(root: root, config: config, prompts: prompts, partials: partials)
        do {
            project.labels = try LabelBook.load(from: project.labelsFile, displayPath: "prompts/labels.yaml")
            project.lock = try ReleaseLock.load(from: project.lockFile, displayPath: "prompts/prompts.lock")
        } catch let error as PromptctlError {
            error.diagnostics.forEach(diagnostics.emit)
            diagnostics.error(error.message + (error.remedy.map { "; \($0)" } ?? ""), at: nil)
        }
        return project
    }

    /// Loads a project and throws when any file has an error.
    public static func load(root: URL) throws -> Project {
        let diagnostics = DiagnosticCollector()
        var project = try load(root: root, diagnostics: diagnostics)
        try diagnostics.throwIfErrors(
            "the project at \(root.path) has errors; run 'promptctl prompts lint' for details")
        project.warnings = diagnostics.diagnostics
        return project
    }

    /// Regular files under a folder, sorted, skipping hidden ones; a folder that cannot be read is an error.
    public static func files(under directory: URL) throws -> [URL] {
        try DirectoryWalk.regularFiles(under: directory).map { URL(fileURLWithPath: $0) }
    }
}
