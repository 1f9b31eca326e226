import Foundation

/// A response kept for reuse: the provider's parsed answer as JSON, and what it cost when it was made.
public struct CachedResponse: Sendable, Hashable, Codable {
    /// The cache key (a hash of provider, model, parameters, messages and repeat index).
    public var key: String
    /// The provider's name.
    public var provider: String
    /// The model that answered.
    public var model: String
    /// The response, encoded by the transport layer.
    public var payload: Data
    /// What the original call cost, in US dollars.
    public var costUSD: Double
    /// When it was made.
    public var createdAt: Date

    /// Creates an entry.
    public init(key: String, provider: String, model: String, payload: Data, costUSD: Double, createdAt: Date) {
        self.key = key
        self.provider = provider
        self.model = model
        self.payload = payload
        self.costUSD = costUSD
        self.createdAt = createdAt
    }
}

/// Counts of what a cache holds.
public struct CacheStatistics: Sendable, Hashable, Codable {
    /// Entries.
    public var entries: Int
    /// Bytes of payload.
    public var bytes: Int
    /// Money the entries cost when they were made.
    public var originalCostUSD: Double
    /// Oldest entry.
    public var oldest: Date?
    /// Newest entry.
    public var newest: Date?

    /// Creates statistics.
    public init(entries: Int, bytes: Int, originalCostUSD: Double, oldest: Date?, newest: Date?) {
        self.entries = entries
        self.bytes = bytes
        self.originalCostUSD = originalCostUSD
        self.oldest = oldest
        self.newest = newest
    }
}

/// Where successful LLM responses are kept. The store implements it; the transport only sees this protocol.
public protocol ResponseCache: Sendable {
    /// The entry for a key, if present and younger than `maxAge`.
    func cachedResponse(forKey key: String, maxAge: TimeInterval?) throws -> CachedResponse?
    /// Keeps an entry (replacing an older one with the same key).
    func storeResponse(_ response: CachedResponse) throws
}
