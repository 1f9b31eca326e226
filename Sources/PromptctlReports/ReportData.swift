import Foundation
import PromptctlCore
import PromptctlEval

/// Everything a report shows about one run: the summary, and the worst results (a bounded sample; the complete
/// results are in `results.jsonl` and in the store).
public struct ReportData: Sendable, Codable {
    /// The run id.
    public var runID: String
    /// When it started.
    public var startedAt: Date
    /// The git commit, when known.
    public var gitRef: String?
    /// The plan.
    public var plan: EvalPlan
    /// The verdict.
    public var summary: EvalSummary
    /// The worst candidate results, worst first (errors, then failures, then the lowest scores), at most
    /// `ReportStream.worstLimit`.
    public var results: [EvalItemResult]
    /// The baseline result of each shown candidate (same case, provider and repeat), by the candidate's item key.
    public var baselines: [String: EvalItemResult] = [:]
    /// How many results the run has in all (in `results.jsonl`).
    public var resultCount: Int = 0
    /// How nurses' ratings agree with each rubric (from the review loop), when there is feedback.
    public var nurseAgreement: [NurseAgreement] = []
    /// Pairwise judge verdicts, candidate against baseline, when a judge was named.
    public var pairwise: [PairwiseVerdict] = []

    /// Creates report data.
    public init(
        runID: String, startedAt: Date, gitRef: String?, plan: EvalPlan, summary: EvalSummary, results: [EvalItemResult]
    ) {
        self.runID = runID
        self.startedAt = startedAt
        self.gitRef = gitRef
        self.plan = plan
        self.summary = summary
        self.results = results
    }

    /// Results worst first: errors, then failures, then by score, then by key (a total order, so a report does not
    /// depend on the order results arrived in).
    public var orderedResults: [EvalItemResult] { results.sorted(by: ReportData.worseThan) }

    /// Whether `a` is shown before `b` among the worst results.
    public static func worseThan(_ a: EvalItemResult, _ b: EvalItemResult) -> Bool {
        if (a.error != nil) != (b.error != nil) { return a.error != nil }
        if a.passed != b.passed { return !a.passed }
        let scoreA = a.score ?? -1
        let scoreB = b.score ?? -1
        if scoreA != scoreB { return scoreA < scoreB }
        return a.item.key < b.item.key
    }

    /// The baseline result for a candidate result (same case, provider and repeat), if the caller found it.
    public func baseline(for result: EvalItemResult) -> EvalItemResult? { baselines[result.item.key] }

    /// "PASSED" or "FAILED (exit N)".
    public var verdict: String {
        summary.passed ? "PASSED" : "FAILED (exit \(summary.exitStatus.rawValue))"
    }
}

/// Agreement of nurses with one rubric, as the evaluation reports show it.
public struct NurseAgreement: Sendable, Codable, Hashable {
    public var rubric: String
    public var pairs: Int
    public var spearman: Double?
    public var weightedKappa: Double?
    public var disagrees: Bool
    public var note: String

    /// Creates an entry.
    public init(rubric: String, pairs: Int, spearman: Double?, weightedKappa: Double?, disagrees: Bool, note: String) {
        self.rubric = rubric
        self.pairs = pairs
        self.spearman = spearman
        self.weightedKappa = weightedKappa
        self.disagrees = disagrees
        self.note = note
    }
}

/// One pairwise comparison: the judge saw both answers in both orders.
public struct PairwiseVerdict: Sendable, Codable, Hashable {
    public var candidate: String
    public var baseline: String
    public var caseID: String
    /// candidate, baseline, or tie (a tie also when the judge changed its mind with the order).
    public var preferred: String
    public var reason: String

    /// Creates a verdict.
    public init(candidate: String, baseline: String, caseID: String, preferred: String, reason: String) {
        self.candidate = candidate
        self.baseline = baseline
        self.caseID = caseID
        self.preferred = preferred
        self.reason = reason
    }
}

/// A report format.
public protocol ReportFormatter: Sendable {
    /// The file extension.
    var fileExtension: String { get }
    /// Renders the report.
    func render(_ data: ReportData) throws -> String
}

/// Helpers shared by formatters.
enum Format {
    static func percent(_ value: Double) -> String { DecimalText.fixed(value * 100, 1) + "%" }
    static func score(_ value: Double?) -> String { value.map { DecimalText.fixed($0, 2) } ?? "–" }
    static func money(_ value: Double) -> String { "$" + DecimalText.fixed(value, 4) }
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

/// How a candidate's result finds its baseline's: the baseline version its pairing names, the same case,
/// provider and repeat.
public enum BaselinePairing {
    /// The item key of a candidate item's baseline, when its pairing has a baseline.
    public static func baselineItemKey(of item: EvalPlanItem, in plan: EvalPlan) -> String? {
        guard item.side == .candidate,
            let baseline = plan.pairings.first(where: { $0.candidate == item.promptKey })?.baseline
        else { return nil }
        return "\(EvalSide.baseline.rawValue)|\(baseline)|\(item.provider)|\(item.caseID)|\(item.repeatIndex)"
    }
}
