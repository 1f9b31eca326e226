import Foundation
import PromptctlStore

/// Prometheus text exposition of what the store recorded: requests, errors, latency, tokens, cost, guard decisions.
public enum PrometheusExposition {
    /// Escapes a label value.
    static func label(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// The exposition text.
    public static func render(_ database: any MetricsStore) throws -> String {
        let groups = try database.callMetricGroups()
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        func labels(_ group: CallMetricGroup, _ extra: String = "") -> String {
            let base =
                "prompt=\"\(label(group.prompt))\",version=\"\(label(group.version))\",model=\"\(label(group.model))\""
            return "{" + base + extra + "}"
        }
        family("promptctl_requests_total", "counter", "LLM calls, by prompt, version, model and status.")
        for group in groups {
            lines.append(
                "promptctl_requests_total\(labels(group, ",status=\"\(group.status.rawValue)\"")) \(group.calls)")
        }
        family("promptctl_errors_total", "counter", "LLM calls that ended in an error.")
        // An interrupted call (Ctrl-C, SIGTERM) is not a provider error.
        for group in groups where group.status == .error {
            lines.append("promptctl_errors_total\(labels(group)) \(group.calls)")
        }
        family("promptctl_tokens_total", "counter", "Tokens, by kind (prompt, cached, completion).")
        for group in groups {
            for (kind, tokens) in [
                ("prompt", group.promptTokens), ("cached", group.cachedTokens), ("completion", group.completionTokens),
            ] {
                lines.append(
                    "promptctl_tokens_total\(labels(group, ",kind=\"\(kind)\"")) \(String(format: "%.0f", tokens))")
            }
        }
        family("promptctl_cost_usd_total", "counter", "Dollars charged, from the price table at call time.")
        for group in groups {
            lines.append("promptctl_cost_usd_total\(labels(group)) \(String(format: "%.8f", group.costUSD))")
        }
        family("promptctl_request_latency_seconds", "histogram", "Call latency in seconds.")
        for group in groups where group.status == .ok {
            for (bound, count) in zip(CallMetricGroup.latencyBucketBoundsMs, group.latencyBucketCounts) {
                let seconds = String(format: "%g", Double(bound) / 1000)
                lines.append("promptctl_request_latency_seconds_bucket\(labels(group, ",le=\"\(seconds)\"")) \(count)")
            }
            lines.append("promptctl_request_latency_seconds_bucket\(labels(group, ",le=\"+Inf\"")) \(group.calls)")
            lines.append(
                "promptctl_request_latency_seconds_sum\(labels(group)) \(String(format: "%.6f", group.latencyMsSum / 1000))"
            )
            lines.append("promptctl_request_latency_seconds_count\(labels(group)) \(group.calls)")
        }
        family("promptctl_guard_decisions_total", "counter", "Release-guard findings, by category and action.")
        for entry in try database.guardDecisionCounts() {
            lines.append(
                "promptctl_guard_decisions_total{category=\"\(label(entry.category))\",action=\"\(label(entry.action))\"} \(entry.count)"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
