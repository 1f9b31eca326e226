import Foundation
import Yams

/// How to reach one LLM or moderation provider; API keys are named by environment variable, never stored.
public struct ProviderConfig: Sendable, Hashable, Codable {
    /// The wire protocol.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp server, LiteLLM).
        case openai
        /// Azure OpenAI: deployment, api-version, `api-key` header.
        case azure
        /// Anthropic Messages.
        case anthropic
        /// Answers from a recordings file; no network.
        case replay
    }

    /// The name used in suites and on the command line.
    public var name: String
    /// The wire protocol.
    public var kind: Kind
    /// Base URL (`https://api.openai.com/v1`, `https://NAME.openai.azure.com`, `https://api.anthropic.com`).
    public var baseURL: String?
    /// The environment variable that holds the API key.
    public var apiKeyEnv: String?
    /// Azure deployment name.
    public var deployment: String?
    /// Azure api-version.
    public var apiVersion: String?
    /// Replay: the recordings file, relative to the project.
    public var recordings: String?
    /// Overrides the prompt's model name.
    public var model: String?
    /// Most requests in flight at once.
    public var maxConcurrency: Int
    /// Requests per minute; nil for no limit.
    public var requestsPerMinute: Int?
    /// Tokens per minute; nil for no limit.
    public var tokensPerMinute: Int?
    /// Attempts per call, including the first.
    public var maxAttempts: Int
    /// Whole-request timeout.
    public var timeoutSeconds: Double
    /// Connection timeout.
    public var connectTimeoutSeconds: Double
    /// Extra headers (no secrets: use `api_key_env`).
    public var headers: [String: String]
    /// Replay: what to do with a request that has no recording.
    public var fallback: String?

    /// Creates a provider configuration.
    public init(
        name: String, kind: Kind, baseURL: String? = nil, apiKeyEnv: String? = nil, deployment: String? = nil,
        apiVersion: String? = nil, recordings: String? = nil, model: String? = nil, maxConcurrency: Int = 16,
        requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, maxAttempts: Int = 4, timeoutSeconds: Double = 60,
        connectTimeoutSeconds: Double = 10, headers: [String: String] = [:], fallback: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKeyEnv = apiKeyEnv
        self.deployment = deployment
        self.apiVersion = apiVersion
        self.recordings = recordings
        self.model = model
        self.maxConcurrency = maxConcurrency
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.maxAttempts = maxAttempts
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.headers = headers
        self.fallback = fallback
    }
}

/// `promptctl.yaml`: the project's languages, personas, labels, providers and defaults.
public struct ProjectConfig: Sendable, Codable {
    /// The project's name.
    public var name: String
    /// Accepted BCP 47 language tags.
    public var languages: [String]
    /// Accepted personas with a description each.
    public var personas: [String: String]
    /// Accepted label names.
    public var labels: [String]
    /// The store: a SQLite file's path relative to the project, or a `postgres://` URL, unless overridden.
    public var store: String
    /// The environment variable holding the PostgreSQL password (`store: {url: ..., password_env: ...}`).
    public var storePasswordEnv: String?
    /// The provider used when neither prompt nor command names one.
    public var defaultProvider: String?
    /// Configured providers by name.
    public var providers: [String: ProviderConfig]
    /// The price table file, relative to the project.
    public var prices: String?
    /// Where the weekly review lives besides the store (Notion).
    public var review = ReviewConfig()
    /// Whether imported production messages are stored already masked (`review: privacy: mask_messages_at_rest`).
    public var maskMessagesAtRest: Bool = false

    /// The configuration used when a project has no `promptctl.yaml`.
    public static let fallback = ProjectConfig(
        name: "promptctl", languages: ["pt-BR", "en", "es"], personas: [:], labels: ["staging", "production"],
        store: ".promptctl/promptctl.sqlite", defaultProvider: nil, providers: [:], prices: nil)

    /// Reads and checks `promptctl.yaml`.
    public static func load(_ file: YAMLFile, diagnostics: DiagnosticCollector) throws -> ProjectConfig {
        let root = try file.parse()
        guard
            let reader = MappingReader(
                root, file: file.displayPath, diagnostics: diagnostics, context: "promptctl.yaml")
        else { return .fallback }
        var config = ProjectConfig.fallback
        config.name = reader.string("name") ?? config.name
        if let languages = reader.strings("languages") {
            for language in languages where !LanguageTag.isWellFormed(language) {
                diagnostics.error(
                    "'\(language)' is not a BCP 47 language tag", at: reader.location(ofKey: "languages"),
                    hint: "write tags such as pt-BR, en or es")
            }
            config.languages = languages
        }
        if let personas = reader.mapping("personas") {
            config.personas = [:]
            for entry in personas.entries() {
                config.personas[entry.key] = entry.value.string ?? ""
            }
        }
        config.labels = reader.strings("labels") ?? config.labels
        if case .mapping = reader.value("store") {
            // `store: {url: postgresql://..., password_env: PROMPTCTL_DB_PASSWORD}` keeps the password out of the file.
            if let store = reader.mapping("store") {
                config.store = store.string("url", required: true) ?? config.store
                config.storePasswordEnv = store.string("password_env")
                store.rejectUnknownKeys()
            }
        } else {
            config.store = reader.string("store") ?? config.store
        }
        config.defaultProvider = reader.string("default_provider")
        config.prices = reader.string("prices")
        if let providers = reader.mapping("providers") {
            for entry in providers.entries() {
                if let provider = Self.provider(
                    named: entry.key, node: entry.value, file: file, diagnostics: diagnostics)
                {
                    config.providers[entry.key] = provider
                }
            }
        }
        if let review = reader.mapping("review") {
            if let privacy = review.mapping("privacy") {
                // LGPD: with this set, names and identifiers in her message and the answer never reach the disk.
                config.maskMessagesAtRest = privacy.bool("mask_messages_at_rest") ?? false
                privacy.rejectUnknownKeys()
            }
            config.review = ReviewConfig.load(review)
        }
        reader.rejectUnknownKeys()
        if let name = config.defaultProvider, config.providers[name] == nil {
            diagnostics.error(
                "default_provider '\(name)' is not among the providers", at: reader.location(ofKey: "default_provider"),
                hint: "declare it under 'providers:' or name one of \(config.providers.keys.sorted())")
        }
        return config
    }

    private static func provider(
        named name: String, node: Yams.Node, file: YAMLFile, diagnostics: DiagnosticCollector
    ) -> ProviderConfig? {
        guard
            let reader = MappingReader(
                node, file: file.displayPath, diagnostics: diagnostics, context: "provider '\(name)'")
        else { return nil }
        let kindText = reader.string("type", required: true) ?? "openai"
        guard let kind = ProviderConfig.Kind(rawValue: kindText) else {
            diagnostics.error(
                "provider '\(name)' has unknown type '\(kindText)'", at: reader.location(ofKey: "type"),
                hint: "use one of \(ProviderConfig.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        var provider = ProviderConfig(name: name, kind: kind)
        provider.baseURL = reader.string("base_url")
        provider.apiKeyEnv = reader.string("api_key_env")
        provider.deployment = reader.string("deployment")
        provider.apiVersion = reader.string("api_version")
        provider.recordings = reader.string("recordings")
        provider.model = reader.string("model")
        provider.fallback = reader.string("fallback")
        // Out of range is a configuration error: a negative timeout or zero concurrency would hang or spin a run.
        provider.maxConcurrency = reader.int("max_concurrency", in: 1...1000) ?? provider.maxConcurrency
        provider.requestsPerMinute = reader.int("requests_per_minute", in: 1...1_000_000)
        provider.tokensPerMinute = reader.int("tokens_per_minute", in: 1...1_000_000_000)
        provider.maxAttempts = reader.int("max_attempts", in: 1...20) ?? provider.maxAttempts
        provider.timeoutSeconds = reader.double("timeout_seconds", in: 0.1...3600) ?? provider.timeoutSeconds
        provider.connectTimeoutSeconds =
            reader.double("connect_timeout_seconds", in: 0.1...600) ?? provider.connectTimeoutSeconds
        if let headers = reader.mapping("headers") {
            for entry in headers.entries() {
                let lower = entry.key.lowercased()
                if lower == "authorization" || lower == "api-key" || lower == "x-api-key" {
                    diagnostics.error(
                        "provider '\(name)' puts a secret header '\(entry.key)' in the file", at: entry.keyLocation,
                        hint: "remove it and set 'api_key_env: NAME_OF_ENV_VARIABLE' instead")
                }
                provider.headers[entry.key] = entry.value.string ?? ""
            }
        }
        reader.rejectUnknownKeys()
        switch kind {
        case .openai, .anthropic:
            break
        case .azure:
            if provider.baseURL == nil || provider.deployment == nil {
                diagnostics.error(
                    "Azure provider '\(name)' needs base_url and deployment", at: reader.location,
                    hint: "add 'base_url: https://RESOURCE.openai.azure.com' and 'deployment: NAME'")
            }
        case .replay:
            if provider.recordings == nil {
                diagnostics.error(
                    "replay provider '\(name)' needs 'recordings: FILE.jsonl'", at: reader.location,
                    hint: "record some with 'promptctl eval --record'")
            }
        }
        if provider.maxConcurrency < 1 || provider.maxAttempts < 1 {
            diagnostics.error(
                "provider '\(name)': max_concurrency and max_attempts must be at least 1", at: reader.location)
        }
        return provider
    }
}

/// Checks BCP 47 tags well enough for this product (language, optional region or script).
public enum LanguageTag {
    /// Whether `tag` looks like `pt`, `pt-BR`, `es-419` or `zh-Hant`.
    public static func isWellFormed(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isLetter && $0.isASCII })
        else { return false }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.count) && part.allSatisfy { ($0.isLetter || $0.isNumber) && $0.isASCII }
        }
    }

    /// The primary language subtag, lower-cased (`pt` for `pt-BR`).
    public static func primary(_ tag: String) -> String {
        String(tag.split(separator: "-").first ?? Substring(tag)).lowercased()
    }
}
