import Foundation
import PromptctlEval

/// A Markdown summary sized for a CI step summary (`$GITHUB_STEP_SUMMARY`).
public struct MarkdownReport: ReportFormatter {
    /// How many failing items to list.
    public var maxFailures: Int

    /// Creates the formatter.
    public init(maxFailures: Int = 20) { self.maxFailures = maxFailures }
    public var fileExtension: String { "md" }

    /// Escapes text for a table cell: pipes, newlines, and HTML (step summaries render HTML).
    static func cell(_ text: String, limit: Int = 160) -> String {
        var value = text.replacingOccurrences(of: "\n", with: " ")
        if value.count > limit { value = String(value.prefix(limit)) + "…" }
        return value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "|", with: "\\|")
    }

    public func render(_ data: ReportData) throws -> String {
        let summary = data.summary
        var lines = [
            "## promptctl eval — \(data.plan.suite): \(summary.passed ? "✅" : "❌") \(data.verdict)", "",
            "Run `\(data.runID)` · \(Format.timestamp(data.startedAt))"
                + (data.gitRef.map { " · commit `\($0.prefix(12))`" } ?? "")
                + " · \(summary.totalItems) items · \(summary.errorItems) errors · cost \(Format.money(summary.costUSD))",
            "",
        ]
        if !summary.gateReasons.isEmpty {
            lines.append("**Why the gate failed**")
            lines += summary.gateReasons.map { "- " + Self.cell($0, limit: 400) }
            lines.append("")
        }
        let rubrics = data.plan.rubrics
        lines.append("| prompt | side | pass rate | pass^k | errors | " + rubrics.joined(separator: " | ") + " |")
        lines.append("|---|---|---|---|---|" + rubrics.map { _ in "---|" }.joined())
        for version in summary.versions {
            lines.append(
                "| \(version.prompt) | \(version.side.rawValue) | \(Format.percent(version.passRate)) | \(Format.percent(version.passAllRepeats)) | \(version.errors) | "
                    + rubrics.map { Format.score(version.rubricMeans[$0]) }.joined(separator: " | ") + " |")
        }
        lines.append("")
        if !summary.regressions.isEmpty {
            lines += [
                "**Regressions against the baseline**", "", "| candidate | baseline | metric | before | after |",
                "|---|---|---|---|---|",
            ]
            for regression in summary.regressions {
                lines.append(
                    "| \(regression.candidate) | \(regression.baseline) | \(Self.cell(regression.metric)) | \(Format.score(regression.before)) | \(Format.score(regression.after)) |"
                )
            }
            lines.append("")
        }
        if !data.nurseAgreement.isEmpty {
            lines += [
                "**Nurse agreement with the rubrics**", "",
                "| rubric | rated items | Spearman | weighted kappa | verdict |", "|---|---|---|---|---|",
            ]
            for entry in data.nurseAgreement {
                lines.append(
                    "| \(entry.rubric) | \(entry.pairs) | \(Format.score(entry.spearman)) | \(Format.score(entry.weightedKappa)) | \(Self.cell(entry.note)) |"
                )
            }
            lines.append("")
        }
        let failing = data.orderedResults.filter { !$0.passed && $0.item.side == .candidate }
        if !failing.isEmpty {
            lines += ["**Worst failing candidate items** (first \(min(maxFailures, failing.count)))", ""]
            lines += ["| case | prompt | why |", "|---|---|---|"]
            for result in failing.prefix(maxFailures) {
                lines.append(
                    "| \(Self.cell(result.item.caseID)) | \(result.item.promptKey) | \(Self.cell(result.failures.joined(separator: "; "), limit: 300)) |"
                )
            }
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
