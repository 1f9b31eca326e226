import Foundation
import PromptctlCore
import PromptctlEval

/// Everything a report shows about one run.
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
    /// Every result.
    public var results: [EvalItemResult]
    /// How nurses' ratings agree with each rubric (from the review loop), when there is feedback.
    public var nurseAgreement: [NurseAgreement] = []
    /// Pairwise judge verdicts, candidate against baseline, when a judge was named.
    public var pairwise: [PairwiseVerdict] = []
    /// Each result already encoded as JSON (sorted keys), in the order of `results`, when the caller has them
    /// (the store keeps exactly these bytes); the JSON report splices them in instead of encoding every result again.
    public var encodedResults: [Data]?
    /// The plan as `JSONReport.encodePlan` encodes it, when the caller encoded it ahead.
    public var encodedPlan: Data?
    /// HTML and JUnit parts rendered while the run went on, when the caller has them.
    public var fragments: ReportFragments?

    enum CodingKeys: String, CodingKey {
        case runID, startedAt, gitRef, plan, summary, results, nurseAgreement, pairwise
    }

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

    /// Results with failures first, then by prompt and case.
    public var orderedResults: [EvalItemResult] {
        results.sorted {
            if $0.passed != $1.passed { return !$0.passed }
            return ($0.item.promptKey, $0.item.caseID, $0.item.repeatIndex, $0.item.side.rawValue)
                < ($1.item.promptKey, $1.item.caseID, $1.item.repeatIndex, $1.item.side.rawValue)
        }
    }

    /// The baseline result for a candidate result (same case, provider and repeat), if any.
    public func baseline(for result: EvalItemResult) -> EvalItemResult? {
        baselineFinder()(result)
    }

    /// A lookup of baseline results built once, for reports that pair every candidate (a search per result
    /// would be quadratic in the size of the run).
    public func baselineFinder() -> (EvalItemResult) -> EvalItemResult? {
        var baselines: [String: EvalItemResult] = [:]
        for result in results where result.item.side == .baseline {
            let resultKey = BaselinePairing.key(result.item.promptKey, result.item)
            if baselines[resultKey] == nil { baselines[resultKey] = result }
        }
        let baselineKeys = BaselinePairing.baselineKeys(plan)
        return { result in
            guard result.item.side == .candidate, let baselineKey = baselineKeys[result.item.promptKey] else {
                return nil
            }
            return baselines[BaselinePairing.key(baselineKey, result.item)]
        }
    }

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
/// provider and repeat. Shared by the reports and the fragments rendered during a run.
enum BaselinePairing {
    /// The key of a result of `promptKey` for the case, provider and repeat of `item`.
    static func key(_ promptKey: String, _ item: EvalPlanItem) -> String {
        "\(promptKey)\u{1F}\(item.caseID)\u{1F}\(item.provider)\u{1F}\(item.repeatIndex)"
    }

    /// Baseline version by candidate version; the first pairing of a candidate wins.
    static func baselineKeys(_ plan: EvalPlan) -> [String: String] {
        var keys: [String: String] = [:]
        for pairing in plan.pairings {
            if let baseline = pairing.baseline, keys[pairing.candidate] == nil { keys[pairing.candidate] = baseline }
        }
        return keys
    }
}
