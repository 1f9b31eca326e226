import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlReports
import PromptctlReview
import PromptctlStore

/// What `eval`, `report` and `report merge` share about a run's records: a result as the store keeps it, the summary
/// joined from the store's per-case tallies, and the report's data. One place below the services, so no service
/// calls another for them.
enum RunRecords {
    /// The store's row for a result, with the columns the review sample and the metrics read.
    static func stored(_ result: EvalItemResult, runID: String, detail: Data? = nil) throws -> StoredResult {
        return StoredResult(
            runID: runID, itemKey: result.item.key, side: result.item.side.rawValue, promptID: result.item.promptID,
            promptVersion: result.item.promptVersion, language: result.item.language, persona: result.item.persona,
            provider: result.item.provider, model: result.model ?? "",
            caseID: result.item.caseID, repeatIndex: result.item.repeatIndex,
            output: result.output, error: result.error, promptTokens: result.usage.promptTokens,
            cachedTokens: result.usage.cachedPromptTokens, completionTokens: result.usage.completionTokens,
            costUSD: result.costUSD, latencyMs: result.latencyMs, cacheHit: result.cacheHit,
            guardAction: result.guardDecision?.action.rawValue, score: result.score, passed: result.passed,
            needsReview: result.guardDecision?.needsReview ?? false,
            detail: try detail ?? result.sortedJSON(capacity: 4096),
            createdAt: Date(), userMessage: result.userMessage, guardCategories: result.guardDecision?.categories ?? [],
            rubricScores: Dictionary(
                result.rubrics.compactMap { rubric in rubric.score.map { (rubric.rubric, $0) } },
                uniquingKeysWith: { first, _ in first }),
            guardFindings: (result.guardDecision?.findings ?? []).map {
                StoredGuardFinding(category: $0.category, action: $0.action.rawValue)
            })
    }

    /// The summary: the totals accumulated result by result, and the per-case tallies (pass^k, case regressions)
    /// the store groups.
    static func summarize(plan: EvalPlan, totals: SummaryAccumulator, runID: String, database: any PromptctlStoreEngine)
        throws
        -> EvalSummary
    {
        let listed = EvalSummary.listedCases
        let tallies = try database.caseTallies(runID: runID, listed: listed).map { tally in
            CaseTally(
                promptKey: "\(tally.promptID)@\(tally.promptVersion)", side: tally.side, cases: tally.cases,
                casesAllPassed: tally.casesAllPassed, failingCases: tally.failingCases)
        }
        var regressions: [CaseRegressionTally] = []
        for pairing in plan.pairings {
            guard let baselineKey = pairing.baseline,
                let candidate = plan.versions.first(where: {
                    $0.promptKey == pairing.candidate && $0.side == .candidate
                }),
                let baseline = plan.versions.first(where: { $0.promptKey == baselineKey && $0.side == .baseline })
            else { continue }
            let found = try database.caseRegressions(
                runID: runID,
                candidate: StoredVersionKey(
                    side: .candidate, promptID: candidate.promptID, promptVersion: candidate.promptVersion),
                baseline: StoredVersionKey(
                    side: .baseline, promptID: baseline.promptID, promptVersion: baseline.promptVersion),
                listed: listed)
            regressions.append(
                CaseRegressionTally(
                    candidate: pairing.candidate, baseline: baselineKey, count: found.count, caseIDs: found.caseIDs))
        }
        return EvalSummary.make(plan: plan, totals: totals, cases: tallies, caseRegressions: regressions)
    }

    /// The report's data: the summary, the worst answers the stream kept, and their baselines from the store.
    static func reportData(
        runID: String, startedAt: Date, gitRef: String?, plan: EvalPlan, summary: EvalSummary, stream: ReportStream,
        database: any PromptctlStoreEngine
    ) throws -> ReportData {
        let worst = stream.worstResults
        var data = ReportData(
            runID: runID, startedAt: startedAt, gitRef: gitRef, plan: plan, summary: summary, results: worst)
        data.resultCount = stream.resultCount
        var wanted: [String: String] = [:]
        for result in worst {
            if let key = BaselinePairing.baselineItemKey(of: result.item, in: plan) { wanted[key] = result.item.key }
        }
        let decoder = JSONDecoder()
        for (key, detail) in try database.resultDetails(runID: runID, itemKeys: Array(wanted.keys)) {
            if let candidate = wanted[key] {
                data.baselines[candidate] = try decoder.decode(EvalItemResult.self, from: detail)
            }
        }
        data.nurseAgreement = nurseAgreement(database)
        return data
    }

    /// The review loop's agreement, as the reports show it (empty without nurse feedback).
    public static func nurseAgreement(_ database: any PromptctlStoreEngine) -> [NurseAgreement] {
        guard let rows = try? database.feedback(week: nil), !rows.isEmpty else { return [] }
        return AgreementAnalysis.analyze(rows).map {
            NurseAgreement(
                rubric: $0.rubric, pairs: $0.pairs, spearman: $0.spearman, weightedKappa: $0.weightedKappa,
                disagrees: $0.disagrees, note: $0.note)
        }
    }
}
