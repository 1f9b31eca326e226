import NIOConcurrencyHelpers

/// A clock that only moves when someone sleeps on it: pacing and Retry-After are tested without real waits.
public final class VirtualTime: Sendable {
    private let state = NIOLockedValueBox((now: 0.0, sleeps: [Double]()))

    /// Creates a clock at zero.
    public init() {}

    /// Seconds since the start.
    public func now() -> Double { state.withLockedValue { $0.now } }

    /// Moves the clock on instead of waiting, and records the wait.
    public func sleep(_ seconds: Double) async throws {
        state.withLockedValue {
            $0.now += max(0, seconds)
            $0.sleeps.append(seconds)
        }
    }

    /// Every wait asked for, in order.
    public var sleeps: [Double] { state.withLockedValue { $0.sleeps } }
}
