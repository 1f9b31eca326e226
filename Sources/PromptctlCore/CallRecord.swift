import Foundation

/// How an LLM call ended.
public enum CallStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// The provider answered.
    case ok
    /// The provider failed (after retries) or the request was refused.
    case error
    /// Cut short by Ctrl-C or SIGTERM: neither an answer nor a provider error, so error rates leave it out.
    case interrupted

    /// Reads a stored value; anything unknown counts as an error, never as a success.
    public init(stored: String) { self = CallStatus(rawValue: stored) ?? .error }
}

/// One LLM call as the cost monitor sees it: who, what, how many tokens, what it cost.
public struct CallRecord: Sendable, Hashable, Codable {
    /// When it finished.
    public var at: Date
    /// `promptctl` for calls made here, `import` for production messages.
    public var source: String
    /// The evaluation run, if any.
    public var runID: String?
    /// The provider's configured name.
    public var provider: String
    /// The model.
    public var model: String
    /// The prompt id, when known.
    public var promptID: String?
    /// The prompt version, when known.
    public var promptVersion: String?
    /// The label the version was reached by, when known.
    public var label: String?
    /// How it ended.
    public var status: CallStatus
    /// The error, when it failed.
    public var error: String?
    /// Input tokens.
    public var promptTokens: Int
    /// Cached input tokens.
    public var cachedTokens: Int
    /// Output tokens.
    public var completionTokens: Int
    /// Dollars charged by this call (0 for a cache hit).
    public var costUSD: Double
    /// Wall time in milliseconds.
    public var latencyMs: Double
    /// Whether it was served from the response cache.
    public var cacheHit: Bool
    /// Attempts made.
    public var attempts: Int

    /// Creates a record.
    public init(
        at: Date, source: String = "promptctl", runID: String? = nil, provider: String, model: String,
        promptID: String? = nil, promptVersion: String? = nil, label: String? = nil, status: CallStatus,
        error: String? = nil, promptTokens: Int, cachedTokens: Int, completionTokens: Int, costUSD: Double,
        latencyMs: Double, cacheHit: Bool, attempts: Int
    ) {
        self.at = at
        self.source = source
        self.runID = runID
        self.provider = provider
        self.model = model
        self.promptID = promptID
        self.promptVersion = promptVersion
        self.label = label
        self.status = status
        self.error = error
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.completionTokens = completionTokens
        self.costUSD = costUSD
        self.latencyMs = latencyMs
        self.cacheHit = cacheHit
        self.attempts = attempts
    }
}

/// Where call records go; the store implements it.
public protocol CallLog: Sendable {
    /// Appends records.
    func record(_ calls: [CallRecord]) throws
}
