import Foundation
import PromptctlReports
import PromptctlReview
import PromptctlStore

/// The renderings of `promptctl review sample` and `review agreement`.
extension ReviewService {
    /// The week's sample as a table, or JSON lines of id, stratum and source.
    public static func render(_ items: [ReviewItem], as format: OutputFormat) throws -> String {
        if format == .json {
            return try CommandValues.json(
                items.map { ["id": String($0.id), "stratum": $0.stratum, "source": $0.candidate.sourceKey] })
        }
        return TextTable(
            headers: ["#", "ITEM", "STRATUM", "GUARD", "SOURCE"],
            rows: items.map {
                [
                    String($0.position), String($0.id), $0.stratum, $0.candidate.guardAction ?? "allow",
                    $0.candidate.sourceKey,
                ]
            }
        ).render()
    }

    /// Nurse–rubric agreement as a table or JSON.
    public static func render(_ results: [CriterionAgreement], as format: OutputFormat) throws -> String {
        if format == .json { return try CommandValues.json(results) }
        func number(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "–" }
        return TextTable(
            headers: ["RUBRIC", "PAIRS", "SPEARMAN", "WEIGHTED KAPPA", "NURSE MEAN", "RUBRIC MEAN (1-5)", "VERDICT"],
            rows: results.map {
                [
                    $0.rubric, String($0.pairs), number($0.spearman), number($0.weightedKappa), number($0.meanNurse),
                    number($0.meanRubric), $0.note,
                ]
            }
        ).render()
    }
}
