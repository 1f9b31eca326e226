import Foundation
import PromptctlClinical
import PromptctlCore
import PromptctlGuards
import PromptctlLLM
import PromptctlReports

/// Builds the release pipeline from `guards/policy.yaml` and runs the guard commands.
public struct GuardService: Sendable {
    /// The workspace.
    public let workspace: Workspace
    /// The project.
    public let project: Project

    /// Creates the service.
    public init(workspace: Workspace, project: Project) {
        self.workspace = workspace
        self.project = project
    }

    /// Creates the service for the workspace's project.
    public init(workspace: Workspace) throws {
        self.init(workspace: workspace, project: try workspace.loadProject())
    }

    /// Decisions as a table, JSON or JSONL.
    public static func render(_ results: [GuardCheckResult], as format: OutputFormat) throws -> String {
        try CommandRendering.guardCheck(results, as: format)
    }

    /// Moderation lines as JSONL or a table.
    public static func render(_ lines: [ModerationLine], as format: OutputFormat) throws -> String {
        try CommandRendering.moderation(lines, as: format)
    }

    /// Azure AI Content Safety's harm categories, as its thresholds name them.
    static let azureCategories = ["Hate", "SelfHarm", "Sexual", "Violence"]
    /// OpenAI moderation's categories, as its thresholds name them.
    static let openAICategories = [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent", "self-harm",
        "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ]

    /// The policy as written.
    public struct Policy: Sendable {
        /// The term lists; nil when the policy says `terms: none`.
        public var termsFile: String? = "guards/terms.yaml"
        /// The longest text, in UTF-8 bytes, that the guards check; a longer one is refused.
        public var maxTextBytes = ReleasePipeline.defaultMaxTextBytes
        /// Where `terms:` is written (or the policy itself), for diagnostics about what the policy leaves unguarded.
        public var termsLocation: SourceLocation?
        public var moderation = "builtin"
        public var inputAction = GuardAction.escalate
        public var outputAction = GuardAction.block
        public var unavailable = UnavailablePolicy.failClosed
        /// What a warning sign in her message does (`clinical_signs.input`).
        public var clinicalInput = GuardAction.escalate
        /// What an answer that tells her to wait for a warning sign does (`clinical_signs.output`).
        public var clinicalOutput = GuardAction.block
        /// Whether `promptctl serve` holds a streamed answer whole until the output guards saw all of it
        /// (`stream_release: whole`) rather than releasing it sentence by sentence (`sentence`, the default).
        public var streamWholeAnswer = false
        public var azure: [String: ConfigValue] = [:]
        public var openai: [String: ConfigValue] = [:]
    }

    /// Reads `guards/policy.yaml` (defaults when absent).
    public func policy() throws -> Policy {
        var policy = Policy()
        let url = project.root.appendingPathComponent("guards/policy.yaml")
        guard FileManager.default.fileExists(atPath: url.path) else { return policy }
        let diagnostics = DiagnosticCollector()
        let file = try YAMLFile(contentsOf: url, displayPath: "guards/policy.yaml")
        guard
            let reader = MappingReader(
                try file.parse(), file: file.displayPath, diagnostics: diagnostics, context: "guard policy")
        else { throw PromptctlError(.config, "guards/policy.yaml has errors", diagnostics: diagnostics.diagnostics) }
        policy.termsLocation = reader.location(ofKey: "terms")
        if reader.value("terms") == nil {
            // Without the key the term filter was silently off: "Pode usar Cytotec" went out with exit 0.
            diagnostics.error(
                "the guard policy has no 'terms:', so the sensitive-term filter would be off", at: reader.location,
                hint: "write 'terms: guards/terms.yaml', or 'terms: none' to turn the term filter off on purpose")
        } else if let terms = reader.string("terms") {
            if terms == "none" {
                policy.termsFile = nil
            } else if terms.trimmingCharacters(in: .whitespaces).isEmpty {
                diagnostics.error(
                    "'terms' is empty", at: reader.location(ofKey: "terms"),
                    hint: "write 'terms: guards/terms.yaml', or 'terms: none' to turn the term filter off on purpose")
            } else {
                policy.termsFile = terms
            }
        }
        if let limit = reader.int("max_text_bytes") {
            if (1...1_073_741_824).contains(limit) {
                policy.maxTextBytes = limit
            } else {
                diagnostics.error(
                    "max_text_bytes must be between 1 and 1073741824 (1 GiB), found \(limit)",
                    at: reader.location(ofKey: "max_text_bytes"))
            }
        }
        if let release = reader.string("stream_release") {
            if ["sentence", "whole"].contains(release) {
                policy.streamWholeAnswer = release == "whole"
            } else {
                diagnostics.error(
                    "stream_release must be sentence or whole", at: reader.location(ofKey: "stream_release"))
            }
        }
        if let moderation = reader.mapping("moderation") {
            policy.moderation = moderation.string("provider") ?? policy.moderation
            if !["builtin", "azure", "openai", "none"].contains(policy.moderation) {
                diagnostics.error(
                    "moderation provider must be builtin, azure, openai or none",
                    at: moderation.location(ofKey: "provider"))
            }
            for (key, keyPath) in [("input", \Policy.inputAction), ("output", \Policy.outputAction)] {
                if let text = moderation.string(key) {
                    if let action = GuardAction(rawValue: text) {
                        policy[keyPath: keyPath] = action
                    } else {
                        diagnostics.error(
                            "'\(key)' must be allow, redact, escalate or block", at: moderation.location(ofKey: key))
                    }
                }
            }
            if let text = moderation.string("on_unavailable") {
                if let value = UnavailablePolicy(rawValue: text) {
                    policy.unavailable = value
                } else {
                    diagnostics.error(
                        "on_unavailable must be fail-closed or fail-open",
                        at: moderation.location(ofKey: "on_unavailable"))
                }
            }
            moderation.rejectUnknownKeys()
        }
        if let clinical = reader.mapping("clinical_signs") {
            for (key, keyPath) in [("input", \Policy.clinicalInput), ("output", \Policy.clinicalOutput)] {
                guard let text = clinical.string(key) else { continue }
                if let action = GuardAction(rawValue: text) {
                    policy[keyPath: keyPath] = action
                } else {
                    diagnostics.error(
                        "'\(key)' must be allow, redact, escalate or block", at: clinical.location(ofKey: key))
                }
            }
            clinical.rejectUnknownKeys()
        }
        let sections: [(String, WritableKeyPath<Policy, [String: ConfigValue]>, [String], [String])] = [
            (
                "azure", \Policy.azure,
                ["endpoint", "api_key_env", "output_type", "thresholds", "blocklists", "halt_on_blocklist_hit"],
                Self.azureCategories
            ),
            ("openai", \Policy.openai, ["base_url", "api_key_env", "model", "thresholds"], Self.openAICategories),
        ]
        for (key, keyPath, knownKeys, categories) in sections {
            guard let section = reader.mapping(key) else { continue }
            for entry in section.entries() {
                policy[keyPath: keyPath][entry.key] = ConfigValue(entry.value)
                if !knownKeys.contains(entry.key) {
                    diagnostics.error(
                        "unknown key '\(entry.key)' in \(key) settings", at: entry.keyLocation,
                        hint: "known keys are: \(knownKeys.joined(separator: ", "))")
                }
            }
            // A misspelt category's threshold was silently never applied.
            if let thresholds = section.mapping("thresholds") {
                for entry in thresholds.entries() {
                    if !categories.contains(entry.key) {
                        diagnostics.error(
                            "unknown \(key) moderation category '\(entry.key)'", at: entry.keyLocation,
                            hint: MappingReader.nearest(to: entry.key, in: categories).map { "did you mean '\($0)'?" }
                                ?? "the categories are: \(categories.joined(separator: ", "))")
                    } else if entry.value.scalar.flatMap({ Double($0.string) }) == nil {
                        thresholds.typeError(entry.key, entry.value, expected: "a number")
                    }
                }
            }
        }
        reader.rejectUnknownKeys()
        try diagnostics.throwIfErrors("guards/policy.yaml has errors")
        return policy
    }

    /// The term filter named by the policy, if any.
    public func termFilter(_ policy: Policy) throws -> TermFilter? {
        guard let path = policy.termsFile else { return nil }
        let url = URL(fileURLWithPath: workspace.absolute(path))
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw PromptctlError(
                .config, "the term lists \(path) do not exist",
                remedy:
                    "create it, or write 'terms: none' in guards/policy.yaml to turn the term filter off on purpose",
                diagnostics: [.error("the term lists \(path) do not exist", at: policy.termsLocation)])
        }
        let diagnostics = DiagnosticCollector()
        let filter = try TermFilter.load(YAMLFile(contentsOf: url, displayPath: path), diagnostics: diagnostics)
        try diagnostics.throwIfErrors("\(path) has errors")
        return filter
    }

    /// A moderation provider by name (`builtin`, `azure`, `openai`), configured from the policy.
    public func moderationProvider(_ name: String, policy: Policy, transport: any HTTPTransport) throws -> (
        any ModerationProvider
    )? {
        switch name {
        case "none":
            return nil
        case "builtin":
            return try BuiltinModeration()
        case "azure":
            let settings = policy.azure
            var thresholds: [String: Int] = [:]
            if case .map(let map) = settings["thresholds"] ?? .null {
                for (key, value) in map { thresholds[key] = value.number.map { Int($0) } }
            }
            return try AzureContentSafety(
                endpoint: settings["endpoint"]?.text ?? "",
                apiKeyEnv: settings["api_key_env"]?.text ?? "AZURE_CONTENT_SAFETY_KEY",
                transport: transport, thresholds: thresholds, blocklists: settings["blocklists"]?.texts ?? [],
                haltOnBlocklistHit: settings["halt_on_blocklist_hit"]?.bool ?? false,
                outputType: settings["output_type"]?.text ?? "FourSeverityLevels", environment: workspace.environment)
        case "openai":
            let settings = policy.openai
            var thresholds: [String: Double] = [:]
            if case .map(let map) = settings["thresholds"] ?? .null {
                for (key, value) in map { thresholds[key] = value.number }
            }
            return try OpenAIModeration(
                baseURL: settings["base_url"]?.text ?? "https://api.openai.com/v1",
                apiKeyEnv: settings["api_key_env"]?.text ?? "OPENAI_API_KEY", transport: transport,
                model: settings["model"]?.text ?? "omni-moderation-latest", thresholds: thresholds,
                environment: workspace.environment)
        default:
            throw PromptctlError(
                .usage, "unknown moderation provider '\(name)'", remedy: "use builtin, azure, openai or none")
        }
    }

    /// The policy and its term filter, refused when they leave a stage without any guard by accident.
    public func configuration() throws -> (Policy, TermFilter?) {
        let policy = try policy()
        let filter = try termFilter(policy)
        // `terms: none` says on purpose that the term filter is off; otherwise a stage nothing checks is a mistake.
        guard policy.termsFile != nil else { return (policy, filter) }
        let diagnostics = DiagnosticCollector()
        for stage in [GuardStage.input, .output] {
            let terms = filter?.categories.contains { category in
                let action = stage == .input ? category.inputAction : category.outputAction
                return action != nil && action != .allow
            }
            let moderationAction = stage == .input ? policy.inputAction : policy.outputAction
            if terms != true && (policy.moderation == "none" || moderationAction == .allow) {
                diagnostics.error(
                    "the guard policy checks nothing on \(stage.rawValue): every term category ignores it and "
                        + "moderation is \(policy.moderation == "none" ? "off" : "set to allow")",
                    at: policy.termsLocation,
                    hint:
                        "give a category in \(policy.termsFile ?? "the term lists") an \(stage.rawValue) action, turn "
                        + "moderation on, or write 'terms: none' to run without the term filter on purpose")
            }
        }
        try diagnostics.throwIfErrors("guards/policy.yaml leaves a stage unguarded")
        return (policy, filter)
    }

    /// Problems in the guard policy and term lists, for `prompts lint`.
    public func lint() -> [Diagnostic] {
        let policyFile = project.root.appendingPathComponent("guards/policy.yaml").path
        let termsFile = project.root.appendingPathComponent("guards/terms.yaml").path
        guard FileManager.default.fileExists(atPath: policyFile) || FileManager.default.fileExists(atPath: termsFile)
        else {
            return [
                .warning(
                    "no guards/policy.yaml or guards/terms.yaml: releases cannot be checked", at: nil,
                    hint: "copy guards/ from a fresh clone")
            ]
        }
        var diagnostics: [Diagnostic] = []
        // The policy and term lists, then the warning-sign definition: each reports its own mistakes.
        for check in [{ _ = try configuration() }, { _ = try ClinicalSignsEngine.forProject(root: project.root) }] {
            do {
                try check()
            } catch let error as PromptctlError {
                diagnostics +=
                    error.diagnostics.isEmpty ? [.error(error.message, at: nil, hint: error.remedy)] : error.diagnostics
            } catch {
                diagnostics.append(.error("the guards cannot be read: \(error)", at: nil))
            }
        }
        return diagnostics
    }

    /// The pipeline every release goes through.
    public func pipeline(
        transport: any HTTPTransport, moderation override: String? = nil, signs: ClinicalSignsEngine? = nil
    ) throws -> ReleasePipeline {
        let (policy, filter) = try configuration()
        var guards: [any TextGuard] = []
        if let filter { guards.append(filter) }
        var inputGuards = guards
        var outputGuards = guards
        let clinical = ClinicalSignGuard(
            engine: try signs ?? ClinicalSignsEngine.forProject(root: project.root), inputAction: policy.clinicalInput,
            outputAction: policy.clinicalOutput)
        inputGuards.append(clinical)
        if let provider = try moderationProvider(override ?? policy.moderation, policy: policy, transport: transport) {
            let moderation = ModerationGuard(
                provider: provider, inputAction: policy.inputAction, outputAction: policy.outputAction)
            inputGuards.append(moderation)
            outputGuards.append(moderation)
        }
        return ReleasePipeline(
            inputGuards: inputGuards, outputGuards: outputGuards, unavailablePolicy: policy.unavailable,
            clinical: clinical, maxTextBytes: policy.maxTextBytes)
    }

    /// One line of `guard check` input.
    public struct CheckItem: Sendable, Codable {
        public var id: String
        public var text: String
        public var user: String?
        public var language: String?

        /// Creates an item.
        public init(id: String, text: String, user: String? = nil, language: String? = nil) {
            self.id = id
            self.text = text
            self.user = user
            self.language = language
        }
    }

    /// One line of `guard check` output.
    public typealias CheckResult = GuardCheckResult

    /// Where `guard check` reads its texts.
    public enum CheckInput: Sendable, Hashable {
        /// The text itself, from the command line.
        case text(String)
        /// One text: a file's whole content (`-` reads standard input; pipes work).
        case file(String)
        /// JSONL lines `{"id": ..., "text": ..., "user": ..., "language": ...}` (`-` reads standard input).
        case jsonl(String)
        /// One text from standard input.
        case standardInput
    }

    /// The items an input names, each with her message when one was given.
    public func items(from input: CheckInput, user: String?) throws -> [CheckItem] {
        switch input {
        case .text(let text): return [CheckItem(id: "1", text: text, user: user)]
        case .file(let path):
            let data = try CommandValues.read(path, workspace: workspace)
            return [CheckItem(id: path == "-" ? "stdin" : path, text: TextLines.text(data), user: user)]
        case .jsonl(let path): return try Self.readJSONL(path, workspace: workspace)
        case .standardInput:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return [CheckItem(id: "stdin", text: TextLines.text(data), user: user)]
        }
    }

    /// Reads `{"id": ..., "text": ...}` lines; a bad line is an error naming its number.
    public static func readJSONL(_ path: String, workspace: Workspace) throws -> [CheckItem] {
        let data = try CommandValues.read(path, workspace: workspace)
        var items: [CheckItem] = []
        for (index, line) in TextLines.lines(data).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any],
                let text = object["text"] as? String
            else {
                throw PromptctlError(
                    .usage, "\(path):\(index + 1):1: error: not a JSON object with a \"text\" string",
                    remedy: "write one {\"id\": ..., \"text\": ...} per line")
            }
            let id = object["id"].map { "\($0)" } ?? String(index + 1)
            items.append(
                CheckItem(id: id, text: text, user: object["user"] as? String, language: object["language"] as? String))
        }
        return items
    }

    /// Checks texts as responses (and her messages when given), concurrently, in input order.
    public func check(_ items: [CheckItem], language: String, stage: GuardStage, moderation: String?) async throws
        -> [CheckResult]
    {
        let pipeline = try pipeline(transport: CurlTransport(), moderation: moderation)
        // Asked to check a text it would refuse, the command says so (exit 2) rather than printing a block.
        for item in items {
            for (text, what) in [(item.text, "text '\(item.id)'"), (item.user ?? "", "her message in '\(item.id)'")] {
                if let refusal = ReleasePipeline.sizeRefusal(
                    bytes: text.utf8.count, limit: pipeline.maxTextBytes, what: what)
                {
                    throw PromptctlError(
                        .usage, refusal,
                        remedy: "set max_text_bytes: \(text.utf8.count) (or more) in guards/policy.yaml")
                }
            }
        }
        return try await concurrentMap(items, width: 16) { item in
            let language = item.language ?? language
            let decision: GuardDecision
            if stage == .input {
                decision = await pipeline.checkInput(item.text, language: language)
            } else if let user = item.user {
                decision = await pipeline.check(userMessage: user, response: item.text, language: language)
            } else {
                decision = await pipeline.release(response: item.text, input: .allow(""), language: language)
            }
            return GuardCheckResult(
                id: item.id, decision: decision.action, categories: decision.categories, matches: decision.findings,
                released: decision.releasedText, needsReview: decision.needsReview)
        }
    }

    /// Moderation only, for `guard moderate`: one line per item, in input order.
    public func moderate(_ items: [CheckItem], provider name: String, language: String) async throws
        -> [ModerationLine]
    {
        guard let provider = try moderationProvider(name, policy: try policy(), transport: CurlTransport()) else {
            return []
        }
        do {
            return try await concurrentMap(items, width: 16) { item in
                ModerationLine(
                    id: item.id, result: try await provider.moderate(item.text, language: item.language ?? language))
            }
        } catch let error as PromptctlError {
            throw error
        } catch {
            throw PromptctlError(.provider, "moderation with \(name) failed", cause: error)
        }
    }
}

/// Maps items concurrently with at most `width` in flight, keeping the input order.
func concurrentMap<Item: Sendable, Output: Sendable>(
    _ items: [Item], width: Int, _ transform: @escaping @Sendable (Item) async throws -> Output
) async throws -> [Output] {
    try await withThrowingTaskGroup(of: (Int, Output).self) { group in
        var next = 0
        var results = [Output?](repeating: nil, count: items.count)
        func add() {
            guard next < items.count else { return }
            let index = next
            let item = items[index]
            next += 1
            group.addTask { (index, try await transform(item)) }
        }
        for _ in 0..<width { add() }
        while let (index, output) = try await group.next() {
            results[index] = output
            add()
        }
        return results.compactMap { $0 }
    }
}
