import Foundation
import PromptctlCore
import PromptctlLLM
import PromptctlStore

/// Thresholds of the 24-hour check.
public struct CheckThresholds: Sendable, Hashable, Codable {
    /// Relative rise of cost per message that fires (0.20 = 20%).
    public var costRise: Double
    /// Relative rise of p95 latency that fires.
    public var latencyRise: Double
    /// Rise of the error rate, in percentage points (0.02 = +2 points), that fires.
    public var errorRateRise: Double
    /// Fewer messages than this in either window is too little data to judge.
    public var minimumMessages: Int

    /// Creates thresholds.
    public init(
        costRise: Double = 0.20, latencyRise: Double = 0.30, errorRateRise: Double = 0.02, minimumMessages: Int = 20
    ) {
        self.costRise = costRise
        self.latencyRise = latencyRise
        self.errorRateRise = errorRateRise
        self.minimumMessages = minimumMessages
    }
}

/// One metric compared across the two windows.
public struct MetricComparison: Sendable, Hashable, Codable {
    public var metric: String
    public var previous: Double?
    public var current: Double?
    /// Relative change (cost, latency) or absolute change in points (error rate).
    public var change: Double?
    public var threshold: Double
    public var fired: Bool
}

/// The check's verdict.
public struct CheckResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable {
        case ok, alert
        case insufficientData = "insufficient-data"
    }

    public var status: Status
    public var at: Date
    public var previousWindow: WindowStats
    public var currentWindow: WindowStats
    public var comparisons: [MetricComparison]
    /// The prompts and models that drove a cost rise, largest first, with their share of the change.
    public var drivers: [String]
    /// The alert in words.
    public var message: String

    /// Whether a threshold was crossed (the command exits 1).
    public var fired: Bool { status == .alert }
}

/// Compares the last 24 hours with the 24 hours before: cost per message, p95 latency, error rate.
public struct CostCheck: Sendable {
    /// The store.
    public let database: any ProductionCostStore
    /// Thresholds.
    public let thresholds: CheckThresholds

    /// Creates a check.
    public init(database: any ProductionCostStore, thresholds: CheckThresholds) {
        self.database = database
        self.thresholds = thresholds
    }

    /// Runs the check for the 24 hours ending at `at`.
    public func run(at: Date) throws -> CheckResult {
        let day: TimeInterval = 24 * 3600
        let current = try database.windowStats(from: at.addingTimeInterval(-day), to: at)
        let previous = try database.windowStats(from: at.addingTimeInterval(-2 * day), to: at.addingTimeInterval(-day))
        guard current.messages >= thresholds.minimumMessages, previous.messages >= thresholds.minimumMessages else {
            return CheckResult(
                status: .insufficientData, at: at, previousWindow: previous, currentWindow: current, comparisons: [],
                drivers: [],
                message:
                    "too little data to compare: \(previous.messages) messages in the previous 24 h and \(current.messages) in the last 24 h (at least \(thresholds.minimumMessages) each are needed); no alert"
            )
        }
        func relative(_ before: Double?, _ after: Double?) -> Double? {
            guard let before, let after, before > 0 else { return nil }
            return (after - before) / before
        }
        var comparisons: [MetricComparison] = []
        let costChange = relative(previous.costPerMessage, current.costPerMessage)
        comparisons.append(
            MetricComparison(
                metric: "cost per message", previous: previous.costPerMessage, current: current.costPerMessage,
                change: costChange, threshold: thresholds.costRise, fired: (costChange ?? 0) > thresholds.costRise))
        let latencyChange = relative(previous.p95LatencyMs, current.p95LatencyMs)
        comparisons.append(
            MetricComparison(
                metric: "p95 latency", previous: previous.p95LatencyMs, current: current.p95LatencyMs,
                change: latencyChange, threshold: thresholds.latencyRise,
                fired: (latencyChange ?? 0) > thresholds.latencyRise))
        let errorChange = current.errorRate.flatMap { now in previous.errorRate.map { now - $0 } }
        comparisons.append(
            MetricComparison(
                metric: "error rate", previous: previous.errorRate, current: current.errorRate, change: errorChange,
                threshold: thresholds.errorRateRise, fired: (errorChange ?? 0) > thresholds.errorRateRise))

        // Each group's contribution to the change in overall cost per message; they add up to the change.
        var contributions: [(String, Double)] = []
        for group in Set(current.byGroup.keys).union(previous.byGroup.keys) {
            let now = (current.byGroup[group]?.costUSD ?? 0) / Double(current.messages)
            let before = (previous.byGroup[group]?.costUSD ?? 0) / Double(previous.messages)
            contributions.append((group, now - before))
        }
        // Shares are of the rises only, so they add up to 100% even when another group got cheaper.
        let rises = contributions.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
        let totalRise = rises.reduce(0) { $0 + $1.1 }
        let drivers = rises.prefix(3).map { group, delta in
            "\(group) (+$\(String(format: "%.6f", delta)) per message, \(Int((delta / totalRise * 100).rounded()))% of the increases)"
        }
        let fired = comparisons.filter(\.fired)
        var message: String
        if fired.isEmpty {
            message = "ok: " + comparisons.map(Self.describe).joined(separator: "; ")
        } else {
            message = "ALERT: " + fired.map(Self.describe).joined(separator: "; ")
            if fired.contains(where: { $0.metric == "cost per message" }) && !drivers.isEmpty {
                message += ". Driven by " + drivers.joined(separator: ", ")
            }
        }
        return CheckResult(
            status: fired.isEmpty ? .ok : .alert, at: at, previousWindow: previous, currentWindow: current,
            comparisons: comparisons, drivers: Array(drivers), message: message)
    }

    static func describe(_ comparison: MetricComparison) -> String {
        func value(_ number: Double?) -> String {
            guard let number else { return "–" }
            switch comparison.metric {
            case "cost per message": return String(format: "$%.6f", number)
            case "p95 latency": return String(format: "%.0f ms", number)
            default: return String(format: "%.1f%%", number * 100)
            }
        }
        let change: String
        if let delta = comparison.change {
            change =
                comparison.metric == "error rate"
                ? String(format: "%+.1f points", delta * 100) : String(format: "%+.1f%%", delta * 100)
        } else {
            change = "n/a"
        }
        let limit =
            comparison.metric == "error rate"
            ? String(format: "+%.1f points", comparison.threshold * 100)
            : String(format: "+%.0f%%", comparison.threshold * 100)
        return
            "\(comparison.metric) \(value(comparison.previous)) → \(value(comparison.current)) (\(change), limit \(limit))"
    }
}

/// Posts an alert to a Slack-compatible webhook through the libcurl transport, retrying 429, 5xx and timeouts.
public struct WebhookNotifier: Sendable {
    let transport: any HTTPTransport
    let url: String
    let retry: RetryPolicy

    /// Creates a notifier.
    public init(
        url: String, transport: any HTTPTransport, retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.5)
    ) {
        self.url = url
        self.transport = transport
        self.retry = retry
    }

    /// Sends `{"text": ...}`; throws a provider error after the last attempt.
    public func send(_ text: String) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["text": text], options: [.sortedKeys])
        let request = HTTPRequest(url: url, headers: [("Content-Type", "application/json")], body: body, timeout: 10)
        do {
            _ = try await RetryingHTTPSender(transport: transport, retry: retry).send(request)
        } catch let error as ProviderError {
            throw PromptctlError(.provider, "the alert webhook failed: \(error)")
        }
    }
}
