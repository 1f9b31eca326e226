import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlGuards
import PromptctlStore

/// JSON Lines: one compact object per line, keys sorted (what `--format jsonl` prints).
public enum JSONLines {
    /// One line per value.
    public static func string<Value: Encodable>(_ values: [Value]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try values.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }
}

/// The terminal renderings of what the commands print: each takes a typed value and a format.
public enum CommandRendering {
    /// `guard check`: a table of decisions (with the released text when one text was changed), JSON or JSONL.
    public static func guardCheck(_ results: [GuardCheckResult], as format: OutputFormat) throws -> String {
        switch format {
        case .json: return try JSONOutput.string(results)
        case .jsonl: return try JSONLines.string(results)
        default:
            var text = TextTable(
                headers: ["ID", "DECISION", "CATEGORIES", "WHY"],
                rows: results.map {
                    [
                        $0.id, $0.decision.rawValue, $0.categories.joined(separator: ", "),
                        $0.matches.map(\.reason).joined(separator: "; "),
                    ]
                }
            ).render()
            if results.count == 1, let only = results.first, only.decision != .allow, !only.released.isEmpty {
                text += "\nreleased text:\n\(only.released)\n"
            }
            return text
        }
    }

    /// `guard moderate`: JSONL (one line per input line) or a table.
    public static func moderation(_ lines: [ModerationLine], as format: OutputFormat) throws -> String {
        guard format == .table else { return try JSONLines.string(lines) }
        return TextTable(
            headers: ["ID", "FLAGGED", "CATEGORIES"],
            rows: lines.map { [$0.id, $0.flagged ? "yes" : "no", $0.categories.joined(separator: ", ")] }
        ).render()
    }

    /// `report --list`: recent runs.
    public static func runs(_ runs: [StoredRun], as format: OutputFormat) throws -> String {
        struct Line: Encodable {
            var id, suite, status: String
            var startedAt: Date
            var finishedAt: Date?
            var gitRef: String?
        }
        if format == .json {
            return try JSONOutput.string(
                runs.map {
                    Line(
                        id: $0.id, suite: $0.suite, status: $0.status.rawValue, startedAt: $0.startedAt,
                        finishedAt: $0.finishedAt, gitRef: $0.gitRef)
                })
        }
        return TextTable(
            headers: ["RUN", "SUITE", "STARTED", "STATUS"],
            rows: runs.map { [$0.id, $0.suite, Timestamp.string($0.startedAt), $0.status.rawValue] }
        ).render()
    }

    /// `cache stats`.
    public static func cacheStatistics(_ stats: CacheStatistics, as format: OutputFormat) throws -> String {
        if format == .json { return try JSONOutput.string(stats) }
        return
            "entries: \(stats.entries)\nbytes: \(stats.bytes)\noriginal cost: $\(String(format: "%.4f", stats.originalCostUSD))\n"
            + "oldest: \(stats.oldest.map(Timestamp.string) ?? "-")\nnewest: \(stats.newest.map(Timestamp.string) ?? "-")\n"
    }

    /// `eval`: a run's verdict and per-version table for the terminal.
    public static func evalSummary(_ report: ReportData) -> String {
        let summary = report.summary
        let rubrics = report.plan.rubrics
        var text = "\(summary.suite)  run \(report.runID)  \(report.verdict)\n"
        text += TextTable(
            headers: ["PROMPT", "SIDE", "ITEMS", "PASS RATE", "PASS^K", "ERRORS"] + rubrics.map { $0.uppercased() },
            rows: summary.versions.map { version in
                [
                    version.prompt, version.side.rawValue, String(version.items),
                    String(format: "%.1f%%", version.passRate * 100),
                    String(format: "%.1f%%", version.passAllRepeats * 100),
                    String(version.errors),
                ] + rubrics.map { version.rubricMeans[$0].map { String(format: "%.2f", $0) } ?? "–" }
            }
        ).render()
        for failure in summary.gateFailures { text += "  ✗ \(failure.message)\n" }
        return text
    }

    /// `score`: each criterion and the rubric's verdict.
    public static func rubricResult(_ result: RubricResult) -> String {
        let table = TextTable(
            headers: ["CRITERION", "TYPE", "WEIGHT", "SCORE", "PASS", "REASON"],
            rows: result.criteria.map {
                [
                    $0.id, $0.type, String(format: "%g", $0.weight),
                    $0.outcome.skipped ? "skipped" : ($0.outcome.score.map { String(format: "%.2f", $0) } ?? "error"),
                    $0.passed ? "yes" : "NO", $0.outcome.reason,
                ]
            })
        let score = result.score.map { String(format: "%.2f", $0) } ?? "–"
        return table.render()
            + "\n\(result.rubric): \(score) (threshold \(result.threshold)) → \(result.passed ? "PASS" : "FAIL")\n"
    }
}
