import Foundation
import PromptctlCore

/// A chat completion request in provider-neutral form.
public struct ChatRequest: Sendable, Hashable, Codable {
    /// The model name.
    public var model: String
    /// The conversation.
    public var messages: [ChatMessage]
    /// Sampling temperature.
    public var temperature: Double?
    /// Upper bound on generated tokens.
    public var maxTokens: Int?
    /// Nucleus sampling.
    public var topP: Double?
    /// Stop sequences.
    public var stop: [String]?
    /// Random seed.
    public var seed: Int?
    /// Ask for a JSON object.
    public var jsonMode: Bool
    /// Which repeat of the same request this is; never sent, but part of cache and recording keys,
    /// so that repeats are independent samples.
    public var repeatIndex: Int

    /// Creates a request.
    public init(
        model: String, messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int? = nil, topP: Double? = nil,
        stop: [String]? = nil, seed: Int? = nil, jsonMode: Bool = false, repeatIndex: Int = 0
    ) {
        self.repeatIndex = repeatIndex
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.topP = topP
        self.stop = stop
        self.seed = seed
        self.jsonMode = jsonMode
    }

    /// A request from a prompt's model settings and rendered messages.
    public init(settings: ModelSettings, messages: [ChatMessage], modelOverride: String? = nil, repeatIndex: Int = 0) {
        self.init(
            model: modelOverride ?? settings.model, messages: messages, temperature: settings.temperature,
            maxTokens: settings.maxTokens, topP: settings.topP, stop: settings.stop, seed: settings.seed,
            jsonMode: settings.jsonMode ?? false, repeatIndex: repeatIndex)
    }

    /// The key of this request for recordings: model, every parameter, the messages and the repeat index.
    public var fingerprint: String {
        // The same bytes as `ContentHash.sha256(canonical:)`, written without Codable: every cached call hashes it.
        guard let canonical = try? sortedJSON(capacity: 2048) else { return ContentHash.sha256(canonical: self) }
        return ContentHash.sha256(canonical)
    }

    /// A rough token estimate for rate limiting before the provider counts them (4 characters a token).
    public var estimatedTokens: Int {
        messages.reduce(0) { $0 + $1.content.utf8.count / 4 + 4 } + (maxTokens ?? 256)
    }
}

/// Token counts a provider reports for one call.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Input tokens, including cached ones.
    public var promptTokens: Int
    /// Input tokens served from the provider's prompt cache (priced lower).
    public var cachedPromptTokens: Int
    /// Output tokens.
    public var completionTokens: Int

    /// Creates usage.
    public init(promptTokens: Int = 0, cachedPromptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.cachedPromptTokens = cachedPromptTokens
        self.completionTokens = completionTokens
    }

    /// All tokens.
    public var totalTokens: Int { promptTokens + completionTokens }
}

/// A provider's answer in neutral form.
public struct ChatResponse: Sendable, Hashable, Codable {
    /// The generated text.
    public var text: String
    /// The model that answered (providers may report a dated snapshot).
    public var model: String
    /// Token counts.
    public var usage: TokenUsage
    /// stop, length, content_filter, ...
    public var finishReason: String?

    /// Creates a response.
    public init(text: String, model: String, usage: TokenUsage, finishReason: String? = nil) {
        self.text = text
        self.model = model
        self.usage = usage
        self.finishReason = finishReason
    }
}

/// Why a provider call failed.
public struct ProviderError: Error, Sendable, CustomStringConvertible, Codable {
    /// The kind of failure.
    public enum Kind: String, Sendable, Codable {
        /// 429: throttled.
        case rateLimited
        /// 5xx.
        case serverError
        /// Other 4xx: the request is wrong; retrying will not help.
        case clientError
        /// The body could not be understood.
        case malformedResponse
        /// Below HTTP: timeout, connection.
        case transport
        /// The API key's environment variable is not set.
        case missingCredentials
        /// Replay found no recording.
        case noRecording
        /// The task was cancelled.
        case cancelled
    }

    /// The kind.
    public var kind: Kind
    /// The provider's own message, or ours.
    public var message: String
    /// HTTP status, when there was one.
    public var status: Int?
    /// Seconds the server asked us to wait.
    public var retryAfter: Double?
    /// For transport errors, whether a retry may help.
    public var transportRetryable: Bool

    /// Creates an error.
    public init(
        _ kind: Kind, _ message: String, status: Int? = nil, retryAfter: Double? = nil, transportRetryable: Bool = false
    ) {
        self.kind = kind
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
        self.transportRetryable = transportRetryable
    }

    /// Whether trying again may help: 429, 5xx, timeouts and connection errors.
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .serverError: true
        case .transport: transportRetryable
        case .malformedResponse, .clientError, .missingCredentials, .noRecording, .cancelled: false
        }
    }

    public var description: String {
        var text = kind.rawValue
        if let status { text += " (HTTP \(status))" }
        return text + ": " + message
    }
}

/// A model provider: turns a neutral request into an answer.
public protocol ChatProvider: Sendable {
    /// The configured name.
    var name: String { get }
    /// One attempt; throws `ProviderError`. Retries, limits and caching are the client's job.
    func send(_ request: ChatRequest) async throws -> ChatResponse
    /// Streams text deltas; the default sends once and yields the whole text.
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamDelta, any Error>
    /// The bound on requests on the wire its transport keeps, if it keeps one.
    var lane: TransferLane? { get }
}

/// A piece of a streamed answer.
public enum StreamDelta: Sendable, Hashable {
    /// More text.
    case text(String)
    /// The final usage, when the provider reports it.
    case usage(TokenUsage)
}

extension ChatProvider {
    /// No lane: the client's limiter alone bounds the calls.
    public var lane: TransferLane? { nil }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamDelta, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await send(request)
                    continuation.yield(.text(response.text))
                    continuation.yield(.usage(response.usage))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension TokenUsage: SortedJSONEncodable {
    /// Writes the counts with their keys sorted.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("cachedPromptTokens", cachedPromptTokens)
        writer.field("completionTokens", completionTokens)
        writer.field("promptTokens", promptTokens)
        writer.endObject()
    }
}

extension ChatRequest: SortedJSONEncodable {
    /// Writes the request with its keys sorted, as its canonical form.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("jsonMode", jsonMode)
        writer.field("maxTokens", maxTokens)
        try writer.field("messages", messages)
        writer.field("model", model)
        writer.field("repeatIndex", repeatIndex)
        writer.field("seed", seed)
        writer.field("stop", stop)
        try writer.field("temperature", temperature)
        try writer.field("topP", topP)
        writer.endObject()
    }
}
