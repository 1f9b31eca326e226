import Foundation

/// Bounds requests in flight and adapts to throttling: a 429 halves the limit, successes raise it one step at a time.
///
/// With a lane, the transport keeps the limit on the wire and this limiter lets as many again wait in the
/// transport's queue, so a slot that frees is taken at once by a request already prepared.
public actor AdaptiveConcurrencyLimiter {
    /// The configured ceiling.
    public let maximum: Int
    /// The limit in force now: of requests on the wire.
    public private(set) var limit: Int {
        didSet { lane?.limit = limit }
    }
    private let lane: TransferLane?
    private var inFlight = 0
    private var successesSinceChange = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a limiter starting at its ceiling; `lane`, when the transport keeps one, follows its limit.
    public init(maximum: Int, lane: TransferLane? = nil) {
        self.maximum = max(1, maximum)
        self.limit = max(1, maximum)
        self.lane = lane
        lane?.limit = max(1, maximum)
    }

    /// Calls admitted at once: the limit, and as many again queued at a transport that keeps the lane.
    private var admitted: Int { lane == nil ? limit : 2 * limit }

    /// Waits for a slot.
    public func acquire() async {
        if inFlight < admitted {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// How the call that held a slot ended.
    public enum Outcome: Sendable {
        case success, throttled, failure
    }

    /// Gives a slot back.
    public func release() {
        inFlight -= 1
        wakeWaiters()
    }

    /// Gives a slot back and adapts the limit in the same step.
    public func release(outcome: Outcome) {
        inFlight -= 1
        switch outcome {
        case .success: didSucceed()
        case .throttled: didThrottle()
        case .failure: break
        }
        wakeWaiters()
    }

    /// The provider throttled us: halve the limit (at least 1).
    public func didThrottle() {
        limit = max(1, limit / 2)
        successesSinceChange = 0
    }

    /// A call succeeded: after `limit` successes in a row, allow one more in flight.
    public func didSucceed() {
        guard limit < maximum else { return }
        successesSinceChange += 1
        if successesSinceChange >= limit {
            limit += 1
            successesSinceChange = 0
            wakeWaiters()
        }
    }

    private func wakeWaiters() {
        while inFlight < admitted, !waiters.isEmpty {
            inFlight += 1
            waiters.removeFirst().resume()
        }
    }
}

/// Requests-per-minute and tokens-per-minute limits as token buckets that refill continuously.
public actor RateLimiter {
    private var requestBucket: Bucket?
    private var tokenBucket: Bucket?
    private let clock: @Sendable () -> Double

    struct Bucket {
        let capacity: Double
        let perSecond: Double
        var available: Double
        var updated: Double

        mutating func refill(now: Double) {
            available = min(capacity, available + (now - updated) * perSecond)
            updated = now
        }
    }

    /// Creates a limiter; nil means no limit of that kind.
    public init(
        requestsPerMinute: Int?, tokensPerMinute: Int?,
        clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        self.clock = clock
        let now = clock()
        requestBucket = requestsPerMinute.map {
            Bucket(capacity: Double($0), perSecond: Double($0) / 60, available: Double($0), updated: now)
        }
        tokenBucket = tokensPerMinute.map {
            Bucket(capacity: Double($0), perSecond: Double($0) / 60, available: Double($0), updated: now)
        }
    }

    /// Creates a limiter of `requestsPerSecond` with bursts of at most `burst` requests (Notion allows about 3 a
    /// second; a per-minute bucket would let a whole minute's requests out at once).
    public init(
        requestsPerSecond: Double, burst: Int,
        clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    ) {
        self.clock = clock
        let capacity = Double(max(1, burst))
        requestBucket = Bucket(capacity: capacity, perSecond: requestsPerSecond, available: capacity, updated: clock())
        tokenBucket = nil
    }

    /// Seconds to wait before a request of `tokens` may start; reserves it. 0 when it may start now.
    public func reserve(tokens: Int) -> Double {
        let now = clock()
        var wait = 0.0
        if var bucket = requestBucket {
            bucket.refill(now: now)
            bucket.available -= 1
            if bucket.available < 0 { wait = max(wait, -bucket.available / bucket.perSecond) }
            requestBucket = bucket
        }
        if var bucket = tokenBucket {
            bucket.refill(now: now)
            // A single request larger than the bucket still goes, after a full minute's refill.
            bucket.available -= min(Double(tokens), bucket.capacity)
            if bucket.available < 0 { wait = max(wait, -bucket.available / bucket.perSecond) }
            tokenBucket = bucket
        }
        return wait
    }

    /// Waits until a request of `tokens` may start.
    public func acquire(tokens: Int) async throws {
        let wait = reserve(tokens: tokens)
        if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
    }
}

/// When to try again: exponential backoff with full jitter, capped, and Retry-After honoured.
public struct RetryPolicy: Sendable {
    /// Attempts including the first.
    public var maxAttempts: Int
    /// The first backoff.
    public var baseDelay: Double
    /// The largest backoff.
    public var maxDelay: Double

    /// Creates a policy.
    public init(maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The delay before attempt `attempt + 1` (attempt counts from 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double = Double.random(in: 0...1))
        -> Double
    {
        let exponential = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
        // Full jitter spreads retries of many callers apart; Retry-After is a floor the server asked for.
        let jittered = exponential * (0.5 + 0.5 * random)
        if let retryAfter { return min(max(retryAfter, jittered), max(maxDelay, retryAfter)) }
        return jittered
    }
}
