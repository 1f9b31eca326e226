import Foundation
import PromptctlCore
import PromptctlLLM

/// The moderation providers a guard policy can name.
public enum ModerationProviderName: String, Sendable, Codable, CaseIterable {
    /// The embedded classifier: no network, no key.
    case builtin
    /// Azure AI Content Safety.
    case azure
    /// OpenAI's moderation endpoint.
    case openai
    /// No moderation.
    case none
}

/// How `promptctl serve` releases a streamed answer.
public enum StreamRelease: String, Sendable, Codable, CaseIterable {
    /// Sentence by sentence, each checked before it goes out.
    case sentence
    /// Whole, after the output guards saw all of it.
    case whole
}

/// `guards/policy.yaml`: which guards run, what they do, and how moderation is reached.
public struct GuardPolicy: Sendable {
    /// Where the policy lives in a project.
    public static let path = "guards/policy.yaml"
    /// Azure AI Content Safety's harm categories, as its thresholds name them.
    public static let azureCategories = ["Hate", "SelfHarm", "Sexual", "Violence"]
    /// OpenAI moderation's categories, as its thresholds name them.
    public static let openAICategories = [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent", "self-harm",
        "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ]

    /// The term lists; nil when the policy says `terms: none`.
    public var termsFile: String? = "guards/terms.yaml"
    /// The longest text, in UTF-8 bytes, that the guards check; a longer one is refused.
    public var maxTextBytes = ReleasePipeline.defaultMaxTextBytes
    /// Where `terms:` is written (or the policy itself), for diagnostics about what the policy leaves unguarded.
    public var termsLocation: SourceLocation?
    /// The moderation provider.
    public var moderation = ModerationProviderName.builtin
    /// What a moderation flag on her message does.
    public var inputAction = GuardAction.escalate
    /// What a moderation flag on an answer does.
    public var outputAction = GuardAction.block
    /// What happens when moderation cannot be reached.
    public var unavailable = UnavailablePolicy.failClosed
    /// What a warning sign in her message does (`clinical_signs.input`).
    public var clinicalInput = GuardAction.escalate
    /// What an answer that tells her to wait for a warning sign does (`clinical_signs.output`).
    public var clinicalOutput = GuardAction.block
    /// How `promptctl serve` releases a streamed answer (`stream_release`).
    public var streamRelease = StreamRelease.sentence
    /// Azure AI Content Safety settings as written.
    public var azure: [String: ConfigValue] = [:]
    /// OpenAI moderation settings as written.
    public var openai: [String: ConfigValue] = [:]

    /// The defaults, used when a project has no policy file.
    public init() {}

    /// Reads a policy file; every mistake is reported with its file:line:col (exit 2).
    public static func load(_ file: YAMLFile) throws -> GuardPolicy {
        var policy = GuardPolicy()
        let diagnostics = DiagnosticCollector()
        guard
            let reader = MappingReader(
                try file.parse(), file: file.displayPath, diagnostics: diagnostics, context: "guard policy")
        else { throw PromptctlError(.config, "\(file.displayPath) has errors", diagnostics: diagnostics.diagnostics) }
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
        if let text = reader.string("stream_release") {
            if let release = StreamRelease(rawValue: text) {
                policy.streamRelease = release
            } else {
                diagnostics.error(
                    "stream_release must be sentence or whole", at: reader.location(ofKey: "stream_release"))
            }
        }
        if let moderation = reader.mapping("moderation") {
            if let text = moderation.string("provider") {
                if let provider = ModerationProviderName(rawValue: text) {
                    policy.moderation = provider
                } else {
                    diagnostics.error(
                        "moderation provider must be builtin, azure, openai or none",
                        at: moderation.location(ofKey: "provider"))
                }
            }
            for (key, keyPath) in [("input", \GuardPolicy.inputAction), ("output", \GuardPolicy.outputAction)] {
                guard let text = moderation.string(key) else { continue }
                if let action = GuardAction(rawValue: text) {
                    policy[keyPath: keyPath] = action
                } else {
                    diagnostics.error(
                        "'\(key)' must be allow, redact, escalate or block", at: moderation.location(ofKey: key))
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
            for (key, keyPath) in [("input", \GuardPolicy.clinicalInput), ("output", \GuardPolicy.clinicalOutput)] {
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
        let sections: [(String, WritableKeyPath<GuardPolicy, [String: ConfigValue]>, [String], [String])] = [
            (
                "azure", \GuardPolicy.azure,
                ["endpoint", "api_key_env", "output_type", "thresholds", "blocklists", "halt_on_blocklist_hit"],
                azureCategories
            ),
            ("openai", \GuardPolicy.openai, ["base_url", "api_key_env", "model", "thresholds"], openAICategories),
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
        try diagnostics.throwIfErrors("\(file.displayPath) has errors")
        return policy
    }

    /// Refuses a policy whose term filter is on but which leaves a stage without any guard by accident.
    public func checkEveryStageGuarded(by filter: TermFilter?) throws {
        // `terms: none` says on purpose that the term filter is off; otherwise a stage nothing checks is a mistake.
        guard termsFile != nil else { return }
        let diagnostics = DiagnosticCollector()
        for stage in [GuardStage.input, .output] {
            let terms = filter?.categories.contains { category in
                let action = stage == .input ? category.inputAction : category.outputAction
                return action != nil && action != .allow
            }
            let moderationAction = stage == .input ? inputAction : outputAction
            if terms != true && (moderation == .none || moderationAction == .allow) {
                diagnostics.error(
                    "the guard policy checks nothing on \(stage.rawValue): every term category ignores it and "
                        + "moderation is \(moderation == .none ? "off" : "set to allow")",
                    at: termsLocation,
                    hint:
                        "give a category in \(termsFile ?? "the term lists") an \(stage.rawValue) action, turn "
                        + "moderation on, or write 'terms: none' to run without the term filter on purpose")
            }
        }
        try diagnostics.throwIfErrors("\(Self.path) leaves a stage unguarded")
    }

    /// The moderation provider `name` configured from this policy; nil for `none`.
    public func moderationProvider(
        _ name: ModerationProviderName, transport: any HTTPTransport, environment: [String: String]
    ) throws -> (any ModerationProvider)? {
        switch name {
        case .none:
            return nil
        case .builtin:
            return try BuiltinModeration()
        case .azure:
            var thresholds: [String: Int] = [:]
            if case .map(let map) = azure["thresholds"] ?? .null {
                for (key, value) in map { thresholds[key] = value.number.map { Int($0) } }
            }
            return try AzureContentSafety(
                endpoint: azure["endpoint"]?.text ?? "",
                apiKeyEnv: azure["api_key_env"]?.text ?? "AZURE_CONTENT_SAFETY_KEY",
                transport: transport, thresholds: thresholds, blocklists: azure["blocklists"]?.texts ?? [],
                haltOnBlocklistHit: azure["halt_on_blocklist_hit"]?.bool ?? false,
                outputType: azure["output_type"]?.text ?? "FourSeverityLevels", environment: environment)
        case .openai:
            var thresholds: [String: Double] = [:]
            if case .map(let map) = openai["thresholds"] ?? .null {
                for (key, value) in map { thresholds[key] = value.number }
            }
            return try OpenAIModeration(
                baseURL: openai["base_url"]?.text ?? "https://api.openai.com/v1",
                apiKeyEnv: openai["api_key_env"]?.text ?? "OPENAI_API_KEY", transport: transport,
                model: openai["model"]?.text ?? "omni-moderation-latest", thresholds: thresholds,
                environment: environment)
        }
    }
}
