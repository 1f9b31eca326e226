import Foundation
import GRDB
import PromptctlStore

/// Prometheus text exposition of what the store recorded: requests, errors, latency, tokens, cost, guard decisions.
public enum PrometheusExposition {
    /// Histogram bounds in seconds (Prometheus base units) and the columns that count calls at or under them.
    static let buckets: [(String, String)] = [
        ("0.1", "b100"), ("0.25", "b250"), ("0.5", "b500"), ("1", "b1000"), ("2.5", "b2500"), ("5", "b5000"),
        ("10", "b10000"), ("30", "b30000"),
    ]

    /// Escapes a label value.
    static func label(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// The exposition text.
    public static func render(_ database: AppDatabase) throws -> String {
        let rows = try database.metricRows()
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        func labels(_ row: Row, _ extra: String = "") -> String {
            let base =
                "prompt=\"\(label(row["prompt"]))\",version=\"\(label(row["version"]))\",model=\"\(label(row["model"]))\""
            return "{" + base + extra + "}"
        }
        family("promptctl_requests_total", "counter", "LLM calls, by prompt, version, model and status.")
        for row in rows {
            lines.append(
                "promptctl_requests_total\(labels(row, ",status=\"\(label(row["status"]))\"")) \(row["n"] as Int)")
        }
        family("promptctl_errors_total", "counter", "LLM calls that ended in an error.")
        // An interrupted call (Ctrl-C, SIGTERM) is not a provider error.
        for row in rows where !["ok", "interrupted"].contains(row["status"] as String) {
            lines.append("promptctl_errors_total\(labels(row)) \(row["n"] as Int)")
        }
        family("promptctl_tokens_total", "counter", "Tokens, by kind (prompt, cached, completion).")
        for row in rows {
            for (kind, column) in [("prompt", "p"), ("cached", "c"), ("completion", "o")] {
                lines.append(
                    "promptctl_tokens_total\(labels(row, ",kind=\"\(kind)\"")) \(String(format: "%.0f", row[column] as Double))"
                )
            }
        }
        family("promptctl_cost_usd_total", "counter", "Dollars charged, from the price table at call time.")
        for row in rows {
            lines.append("promptctl_cost_usd_total\(labels(row)) \(String(format: "%.8f", row["cost"] as Double))")
        }
        family("promptctl_request_latency_seconds", "histogram", "Call latency in seconds.")
        for row in rows where (row["status"] as String) == "ok" {
            for (bound, column) in buckets {
                lines.append(
                    "promptctl_request_latency_seconds_bucket\(labels(row, ",le=\"\(bound)\"")) \(row[column] as Int)")
            }
            lines.append("promptctl_request_latency_seconds_bucket\(labels(row, ",le=\"+Inf\"")) \(row["n"] as Int)")
            lines.append(
                "promptctl_request_latency_seconds_sum\(labels(row)) \(String(format: "%.6f", (row["latency"] as Double) / 1000))"
            )
            lines.append("promptctl_request_latency_seconds_count\(labels(row)) \(row["n"] as Int)")
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
