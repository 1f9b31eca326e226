import Foundation
import PromptctlCore
import PromptctlEval

/// The run as JSON for scripts and CI: the summary, the gate's verdict, the plan, and where the complete results
/// are (`results.jsonl`, one result per line), so the document stays small whatever the size of the run.
public struct JSONReport: ReportFormatter {
    /// Creates the formatter.
    public init() {}
    public var fileExtension: String { "json" }

    /// The name of the complete results beside the report.
    public static let resultsFile = "results.jsonl"

    /// The encoder for one result: the store keeps results encoded with exactly these settings, and
    /// `results.jsonl` holds exactly those bytes, one result per line.
    public static func resultEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The gate's verdict as the JSON report states it.
    public struct Verdict: Sendable, Codable, Hashable {
        /// Whether the gate passed.
        public var passed: Bool
        /// The exit status `promptctl eval` returns.
        public var exitStatus: Int
        /// Why it failed, for people.
        public var reasons: [String]
    }

    struct Document: Encodable {
        var runID: String
        var startedAt: Date
        var gitRef: String?
        var verdict: Verdict
        var summary: EvalSummary
        var plan: EvalPlan
        var results: String
        var resultCount: Int
        var nurseAgreement: [NurseAgreement]
        var pairwise: [PairwiseVerdict]
    }

    public func render(_ data: ReportData) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let document = Document(
            runID: data.runID, startedAt: data.startedAt, gitRef: data.gitRef,
            verdict: Verdict(
                passed: data.summary.passed, exitStatus: Int(data.summary.exitStatus.rawValue),
                reasons: data.summary.gateReasons),
            summary: data.summary, plan: data.plan, results: Self.resultsFile, resultCount: data.resultCount,
            nurseAgreement: data.nurseAgreement, pairwise: data.pairwise)
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
