import Foundation
import Logging
import PromptctlCore

/// What one logical call produced: an answer or an error, never a crash, never silently dropped.
public struct CallOutcome: Sendable, Codable {
    /// The answer, when the call succeeded.
    public var response: ChatResponse?
    /// The final error, when every attempt failed.
    public var error: ProviderError?
    /// Attempts made (0 for a cache hit).
    public var attempts: Int
    /// Served from the response cache.
    public var cacheHit: Bool
    /// Dollars charged by this call; 0 for a cache hit.
    public var costUSD: Double
    /// What the answer cost when it was first made.
    public var originalCostUSD: Double
    /// Whether the model had a price in the table.
    public var priced: Bool
    /// Wall time in milliseconds, including retries and waits.
    public var latencyMs: Double
    /// The provider's name.
    public var provider: String
    /// The model asked for.
    public var model: String

    /// Whether the call produced an answer.
    public var succeeded: Bool { response != nil }
}

/// Calls one provider with retries, adaptive concurrency, rate limits, a response cache and cost accounting.
public final class LLMClient: Sendable {
    /// The provider.
    public let provider: any ChatProvider
    /// Its configuration.
    public let config: ProviderConfig
    /// The concurrency limiter (shared by all calls through this client).
    public let limiter: AdaptiveConcurrencyLimiter
    let rateLimiter: RateLimiter?
    let retry: RetryPolicy
    let cache: (any ResponseCache)?
    let cacheMaxAge: TimeInterval?
    let prices: PriceTable
    let callLog: (any CallLog)?
    let logger: Logger
    let sleep: @Sendable (Double) async throws -> Void

    /// Creates a client.
    public init(
        provider: any ChatProvider, config: ProviderConfig, prices: PriceTable = PriceTable(),
        cache: (any ResponseCache)? = nil, cacheMaxAge: TimeInterval? = nil, callLog: (any CallLog)? = nil,
        retry: RetryPolicy? = nil, logger: Logger = Logger(label: "promptctl.llm"),
        sleep: @escaping @Sendable (Double) async throws -> Void = {
            try await Task.sleep(nanoseconds: UInt64($0 * 1e9))
        }
    ) {
        self.provider = provider
        self.config = config
        self.prices = prices
        self.cache = cache
        self.cacheMaxAge = cacheMaxAge
        self.callLog = callLog
        self.retry = retry ?? RetryPolicy(maxAttempts: config.maxAttempts)
        self.logger = logger
        self.sleep = sleep
        limiter = AdaptiveConcurrencyLimiter(maximum: config.maxConcurrency, lane: provider.lane)
        // No limiter at all when no limit is set: one actor hop less per call.
        rateLimiter =
            config.requestsPerMinute == nil && config.tokensPerMinute == nil
            ? nil : RateLimiter(requestsPerMinute: config.requestsPerMinute, tokensPerMinute: config.tokensPerMinute)
    }

    /// The response cache the client reads and fills, if any (the evaluation keeps its reused scores beside it).
    public var responseCache: (any ResponseCache)? { cache }

    /// The cache key: provider, model, every parameter, the messages and the repeat index.
    public func cacheKey(for request: ChatRequest) -> String {
        ContentHash.sha256("\(config.name)\u{1F}\(request.fingerprint)")
    }

    /// Cost of a response under the price table.
    public func cost(of response: ChatResponse, model: String) -> (dollars: Double, priced: Bool) {
        guard
            let price = prices.price(provider: config.name, model: model)
                ?? prices.price(provider: config.name, model: response.model)
        else { return (0, false) }
        return (
            price.cost(
                promptTokens: response.usage.promptTokens, cachedPromptTokens: response.usage.cachedPromptTokens,
                completionTokens: response.usage.completionTokens), true
        )
    }

    /// Makes one logical call. Context fields only label the call record; `cacheKey`, when the caller already
    /// computed it for this request, saves hashing the request again.
    public func complete(
        _ request: ChatRequest, useCache: Bool = true, promptID: String? = nil, promptVersion: String? = nil,
        runID: String? = nil, cacheKey knownKey: String? = nil
    ) async -> CallOutcome {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6 }
        // The key hashes the whole request: computed only when a cache will read or keep the answer.
        let key = cache == nil ? "" : knownKey ?? cacheKey(for: request)
        if useCache, let cache {
            do {
                if let entry = try cache.cachedResponse(forKey: key, maxAge: cacheMaxAge),
                    let response = try? JSONDecoder().decode(ChatResponse.self, from: entry.payload)
                {
                    let outcome = CallOutcome(
                        response: response, error: nil, attempts: 0, cacheHit: true, costUSD: 0,
                        originalCostUSD: entry.costUSD, priced: true, latencyMs: elapsed(), provider: config.name,
                        model: request.model)
                    log(outcome, promptID: promptID, promptVersion: promptVersion, runID: runID)
                    return outcome
                }
            } catch {
                logger.warning("response cache unavailable: \(error)")
            }
        }

        var attempt = 0
        var lastError = ProviderError(.transport, "no attempt was made")
        while attempt < retry.maxAttempts {
            attempt += 1
            if Task.isCancelled {
                lastError = ProviderError(.cancelled, "cancelled before attempt \(attempt)")
                break
            }
            do {
                try await rateLimiter?.acquire(tokens: request.estimatedTokens)
            } catch {
                lastError = ProviderError(.cancelled, "cancelled while waiting for the rate limit")
                break
            }
            await limiter.acquire()
            let result: Result<ChatResponse, ProviderError>
            do {
                result = .success(try await provider.send(request))
            } catch let error as ProviderError {
                result = .failure(error)
            } catch {
                result = .failure(ProviderError(.transport, "\(error)"))
            }
            await limiter.release(
                outcome: {
                    switch result {
                    case .success: .success
                    case .failure(let error): error.kind == .rateLimited ? .throttled : .failure
                    }
                }())
            switch result {
            case .success(let response):
                let (dollars, priced) = cost(of: response, model: request.model)
                if let cache {
                    do {
                        let payload = try JSONEncoder().encode(response)
                        try cache.storeResponse(
                            CachedResponse(
                                key: key, provider: config.name, model: request.model, payload: payload,
                                costUSD: dollars, createdAt: Date()))
                    } catch {
                        logger.warning("could not store the response in the cache: \(error)")
                    }
                }
                let outcome = CallOutcome(
                    response: response, error: nil, attempts: attempt, cacheHit: false, costUSD: dollars,
                    originalCostUSD: dollars, priced: priced, latencyMs: elapsed(), provider: config.name,
                    model: request.model)
                log(outcome, promptID: promptID, promptVersion: promptVersion, runID: runID)
                return outcome
            case .failure(let error):
                lastError = error
                guard error.isRetryable, attempt < retry.maxAttempts else { break }
                let delay = retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                logger.debug("attempt \(attempt) failed (\(error)); retrying in \(String(format: "%.2f", delay)) s")
                do { try await sleep(delay) } catch {
                    lastError = ProviderError(.cancelled, "cancelled while backing off")
                    break
                }
                continue
            }
            break
        }
        // Errors are never cached: the next run tries again.
        let outcome = CallOutcome(
            response: nil, error: lastError, attempts: attempt, cacheHit: false, costUSD: 0, originalCostUSD: 0,
            priced: true, latencyMs: elapsed(), provider: config.name, model: request.model)
        log(outcome, promptID: promptID, promptVersion: promptVersion, runID: runID)
        return outcome
    }

    private func log(_ outcome: CallOutcome, promptID: String?, promptVersion: String?, runID: String?) {
        guard let callLog else { return }
        let usage = outcome.response?.usage ?? TokenUsage()
        let record = CallRecord(
            at: Date(), runID: runID, provider: outcome.provider, model: outcome.response?.model ?? outcome.model,
            // A call stopped because the run was interrupted is not the provider's failure: it is recorded as
            // "interrupted", which the error counts and metrics leave out.
            promptID: promptID, promptVersion: promptVersion,
            status: outcome.succeeded ? .ok : (outcome.error?.kind == .cancelled ? .interrupted : .error),
            error: outcome.error?.description, promptTokens: usage.promptTokens, cachedTokens: usage.cachedPromptTokens,
            completionTokens: usage.completionTokens, costUSD: outcome.costUSD, latencyMs: outcome.latencyMs,
            cacheHit: outcome.cacheHit, attempts: outcome.attempts)
        do { try callLog.record([record]) } catch { logger.warning("could not record the call: \(error)") }
    }
}
