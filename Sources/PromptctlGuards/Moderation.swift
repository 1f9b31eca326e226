import Foundation
import PromptctlCore
import PromptctlLLM

/// A moderation verdict on one text.
public struct ModerationResult: Sendable, Hashable, Codable {
    /// Whether the text crosses a threshold.
    public var flagged: Bool
    /// The flagged categories.
    public var categories: [String]
    /// Every category's score or normalised severity (0...1).
    public var scores: [String: Double]
    /// Which service decided.
    public var source: String

    /// Creates a result.
    public init(flagged: Bool, categories: [String], scores: [String: Double], source: String) {
        self.flagged = flagged
        self.categories = categories
        self.scores = scores
        self.source = source
    }
}

/// A moderation service: built-in, Azure AI Content Safety, or OpenAI.
public protocol ModerationProvider: Sendable {
    /// The provider's name.
    var name: String { get }
    /// Moderates one text; throws when the service cannot answer after its retries.
    func moderate(_ text: String, language: String) async throws -> ModerationResult
}

/// Runs a moderation provider as a pipeline guard: flagged input and output get the configured actions.
public struct ModerationGuard: TextGuard {
    /// The provider.
    public let provider: any ModerationProvider
    /// The action for flagged input.
    public let inputAction: GuardAction
    /// The action for flagged output.
    public let outputAction: GuardAction

    /// Creates the guard.
    public init(
        provider: any ModerationProvider, inputAction: GuardAction = .escalate, outputAction: GuardAction = .block
    ) {
        self.provider = provider
        self.inputAction = inputAction
        self.outputAction = outputAction
    }

    public var name: String { provider.name }

    public func check(_ text: String, stage: GuardStage, language: String) async throws -> [GuardFinding] {
        let result = try await provider.moderate(text, language: language)
        guard result.flagged else { return [] }
        let categories = result.categories.isEmpty ? ["toxic"] : result.categories
        return categories.map { category in
            GuardFinding(
                guardName: provider.name, category: category, severity: result.scores[category] ?? 1,
                action: stage == .input ? inputAction : outputAction,
                reason: "\(provider.name) flagged \(stage.rawValue) as \(category)"
                    + (result.scores[category].map { String(format: " (%.2f)", $0) } ?? ""))
        }
    }
}

/// Azure AI Content Safety `text:analyze` (api-version 2024-09-01).
public struct AzureContentSafety: ModerationProvider {
    public var name: String { "azure-content-safety" }
    let endpoint: String
    let apiVersion: String
    let http: RetryingHTTPSender
    /// Severity at or above which a category is flagged (0-7 scale; FourSeverityLevels uses 0, 2, 4, 6).
    let thresholds: [String: Int]
    let blocklists: [String]
    let haltOnBlocklistHit: Bool
    let outputType: String

    /// Creates the provider; the key comes from the environment variable `apiKeyEnv`.
    public init(
        endpoint: String, apiKeyEnv: String, transport: any HTTPTransport, thresholds: [String: Int] = [:],
        blocklists: [String] = [], haltOnBlocklistHit: Bool = false, outputType: String = "FourSeverityLevels",
        apiVersion: String = "2024-09-01", maxAttempts: Int = 3,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        guard let key = environment[apiKeyEnv], !key.isEmpty else {
            throw PromptctlError(
                .config, "Azure AI Content Safety needs the environment variable \(apiKeyEnv)",
                remedy: "export \(apiKeyEnv)=...")
        }
        self.endpoint = endpoint.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.apiVersion = apiVersion
        self.thresholds = thresholds
        self.blocklists = blocklists
        self.haltOnBlocklistHit = haltOnBlocklistHit
        self.outputType = outputType
        http = RetryingHTTPSender(
            transport: transport, retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.2), secret: key)
        self.key = key
    }

    let key: String

    struct Reply: Decodable {
        struct Category: Decodable {
            var category: String
            var severity: Int?
        }
        struct Blocklist: Decodable {
            var blocklistName: String?
            var blocklistItemText: String?
        }
        var categoriesAnalysis: [Category]?
        var blocklistsMatch: [Blocklist]?
    }

    public func moderate(_ text: String, language: String) async throws -> ModerationResult {
        var body: [String: Any] = [
            "text": String(text.prefix(10_000)), "categories": ["Hate", "SelfHarm", "Sexual", "Violence"],
            "outputType": outputType,
        ]
        if !blocklists.isEmpty {
            body["blocklistNames"] = blocklists
            body["haltOnBlocklistHit"] = haltOnBlocklistHit
        }
        let request = HTTPRequest(
            url: "\(endpoint)/contentsafety/text:analyze?api-version=\(apiVersion)",
            headers: [("Content-Type", "application/json"), ("Ocp-Apim-Subscription-Key", key)],
            body: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), timeout: 15)
        let response = try await http.send(request)
        guard let reply = try? JSONDecoder().decode(Reply.self, from: response.body) else {
            throw ProviderError(.malformedResponse, "Content Safety answered with something that is not its JSON")
        }
        var scores: [String: Double] = [:]
        var flagged: [String] = []
        for item in reply.categoriesAnalysis ?? [] {
            let severity = item.severity ?? 0
            scores[item.category] = Double(severity) / 7
            if severity >= (thresholds[item.category] ?? 4) { flagged.append(item.category) }
        }
        for hit in reply.blocklistsMatch ?? [] {
            flagged.append("blocklist:\(hit.blocklistName ?? "?")")
        }
        return ModerationResult(flagged: !flagged.isEmpty, categories: flagged, scores: scores, source: name)
    }
}

/// OpenAI `/v1/moderations` (model omni-moderation-latest), thresholds on `category_scores`.
public struct OpenAIModeration: ModerationProvider {
    public var name: String { "openai-moderation" }
    let baseURL: String
    let model: String
    let key: String
    let thresholds: [String: Double]
    let http: RetryingHTTPSender

    /// Creates the provider; without thresholds, OpenAI's own `flagged` decides.
    public init(
        baseURL: String = "https://api.openai.com/v1", apiKeyEnv: String, transport: any HTTPTransport,
        model: String = "omni-moderation-latest", thresholds: [String: Double] = [:], maxAttempts: Int = 3,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        guard let key = environment[apiKeyEnv], !key.isEmpty else {
            throw PromptctlError(
                .config, "OpenAI moderation needs the environment variable \(apiKeyEnv)",
                remedy: "export \(apiKeyEnv)=...")
        }
        self.baseURL = baseURL.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.model = model
        self.key = key
        self.thresholds = thresholds
        http = RetryingHTTPSender(
            transport: transport, retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.2), secret: key)
    }

    struct Reply: Decodable {
        struct Result: Decodable {
            var flagged: Bool
            var categories: [String: Bool]?
            var category_scores: [String: Double]?
        }
        var results: [Result]
    }

    public func moderate(_ text: String, language: String) async throws -> ModerationResult {
        let request = HTTPRequest(
            url: "\(baseURL)/moderations",
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(key)")],
            body: try JSONSerialization.data(withJSONObject: ["model": model, "input": text], options: [.sortedKeys]),
            timeout: 15)
        let response = try await http.send(request)
        guard let result = (try? JSONDecoder().decode(Reply.self, from: response.body))?.results.first else {
            throw ProviderError(.malformedResponse, "the moderation answer has no results")
        }
        let scores = result.category_scores ?? [:]
        var flagged: [String]
        if thresholds.isEmpty {
            flagged = (result.categories ?? [:]).filter(\.value).map(\.key)
            if result.flagged && flagged.isEmpty { flagged = ["flagged"] }
        } else {
            flagged = scores.filter { category, score in score >= (thresholds[category] ?? 1.1) }.map(\.key)
        }
        return ModerationResult(flagged: !flagged.isEmpty, categories: flagged.sorted(), scores: scores, source: name)
    }
}
