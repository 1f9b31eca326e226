import Foundation
import PromptctlCore

/// Aggregates of one prompt version in a run.
public struct VersionStats: Sendable, Hashable, Codable {
    /// `id@version`.
    public var prompt: String
    /// Candidate or baseline.
    public var side: EvalSide
    /// Items run.
    public var items: Int
    /// Items that passed.
    public var passed: Int
    /// Items that ended in a provider or render error (counted as failures).
    public var errors: Int
    /// passed / items: errors are in the denominator, never dropped.
    public var passRate: Double
    /// Share of cases that passed in every repeat (pass^k).
    public var passAllRepeats: Double
    /// Mean score per rubric.
    public var rubricMeans: [String: Double]
    /// Mean score per `rubric/criterion`.
    public var criterionMeans: [String: Double]
    /// Guard actions by name.
    public var guardActions: [String: Int]
    /// Dollars charged.
    public var costUSD: Double
    /// Mean latency of answered calls, ms.
    public var meanLatencyMs: Double
    /// Case ids that failed in at least one repeat.
    public var failingCases: [String]
}

/// A drop of the candidate against the baseline beyond the tolerance.
public struct Regression: Sendable, Hashable, Codable {
    /// The candidate.
    public var candidate: String
    /// The baseline.
    public var baseline: String
    /// What dropped (`pass rate`, a rubric, `rubric/criterion`, or `case ID`).
    public var metric: String
    /// Baseline value.
    public var before: Double
    /// Candidate value.
    public var after: Double
}

/// The run's verdict: per-version statistics, regressions, and the gate's exit status with reasons.
public struct EvalSummary: Sendable, Hashable, Codable {
    /// The suite.
    public var suite: String
    /// Per version.
    public var versions: [VersionStats]
    /// Candidate/baseline pairs.
    public var pairings: [EvalPairing]
    /// Every regression.
    public var regressions: [Regression]
    /// All items.
    public var totalItems: Int
    /// Items with a provider error.
    public var errorItems: Int
    /// 0 pass, 1 gate failed, 3 too many provider errors.
    public var exitStatus: ExitStatus
    /// Why the gate failed, as values (empty when it passed): what `promote` and `eval --ci` read.
    public var gateFailures: [GateFailure]
    /// The same reasons as sentences for people (empty when it passed).
    public var gateReasons: [String]
    /// Dollars charged by the run.
    public var costUSD: Double
    /// Items planned but without a result (an interrupted run).
    public var missingItems: Int

    /// Whether the gate passed.
    public var passed: Bool { exitStatus == .success }

    /// Computes the summary of a plan's results.
    public static func compute(plan: EvalPlan, results: [EvalItemResult]) -> EvalSummary {
        let byKey = Dictionary(results.map { ($0.item.key, $0) }, uniquingKeysWith: { $1 })
        var versions: [VersionStats] = []
        var keys: [(String, EvalSide)] = []
        for item in plan.items where !keys.contains(where: { $0.0 == item.promptKey && $0.1 == item.side }) {
            keys.append((item.promptKey, item.side))
        }
        for (prompt, side) in keys {
            let planned = plan.items.filter { $0.promptKey == prompt && $0.side == side }
            let done = planned.compactMap { byKey[$0.key] }
            versions.append(stats(prompt: prompt, side: side, results: done, plannedCount: planned.count))
        }
        var regressions: [Regression] = []
        let tolerance = plan.thresholds.tolerance
        for pairing in plan.pairings {
            guard let baselineKey = pairing.baseline,
                let candidate = versions.first(where: { $0.prompt == pairing.candidate && $0.side == .candidate }),
                let baseline = versions.first(where: { $0.prompt == baselineKey && $0.side == .baseline })
            else { continue }
            func compare(_ metric: String, _ before: Double?, _ after: Double?) {
                guard let before, let after, after < before - tolerance else { return }
                regressions.append(
                    Regression(
                        candidate: candidate.prompt, baseline: baseline.prompt, metric: metric, before: before,
                        after: after))
            }
            compare("pass rate", baseline.passRate, candidate.passRate)
            for (rubric, mean) in baseline.rubricMeans.sorted(by: { $0.key < $1.key }) {
                compare(rubric, mean, candidate.rubricMeans[rubric])
            }
            for (criterion, mean) in baseline.criterionMeans.sorted(by: { $0.key < $1.key }) {
                compare(criterion, mean, candidate.criterionMeans[criterion])
            }
            // A case that always passed on the baseline and now fails is a regression, whatever the averages say.
            let baselineFailing = Set(baseline.failingCases)
            let baselineCases = Set(
                plan.items.filter { $0.promptKey == baseline.prompt && $0.side == .baseline }.map(\.caseID))
            for caseID in candidate.failingCases
            where baselineCases.contains(caseID) && !baselineFailing.contains(caseID) {
                regressions.append(
                    Regression(
                        candidate: candidate.prompt, baseline: baseline.prompt, metric: "case \(caseID)", before: 1,
                        after: 0))
            }
        }
        let errorItems = results.filter { $0.error != nil }.count
        var failures: [GateFailure] = []
        let missing = plan.items.count - plan.items.filter { byKey[$0.key] != nil }.count
        if missing > 0 { failures.append(.missingResults(missing: missing, planned: plan.items.count)) }
        for version in versions where version.side == .candidate {
            if version.passRate < plan.thresholds.passRate - 1e-9 {
                failures.append(
                    .passRate(
                        prompt: version.prompt, measured: version.passRate, threshold: plan.thresholds.passRate,
                        errors: version.errors))
            }
            for (rubric, mean) in version.rubricMeans.sorted(by: { $0.key < $1.key }) {
                if let threshold = plan.rubricThresholds[rubric], mean < threshold - 1e-9 {
                    failures.append(
                        .rubricMean(prompt: version.prompt, rubric: rubric, measured: mean, threshold: threshold))
                }
            }
        }
        failures += regressions.map(GateFailure.regression)
        let errorRatio = plan.items.isEmpty ? 0 : Double(errorItems) / Double(plan.items.count)
        if errorRatio > plan.thresholds.maxErrorRatio {
            failures.insert(
                .providerErrors(
                    errors: errorItems, items: plan.items.count, measured: errorRatio,
                    allowed: plan.thresholds.maxErrorRatio),
                at: 0)
        }
        // The worst failure decides the exit status: too many provider errors (3) outranks a missed threshold (1).
        let status = failures.map(\.exitStatus).max { $0.rawValue < $1.rawValue } ?? .success
        return EvalSummary(
            suite: plan.suite, versions: versions, pairings: plan.pairings, regressions: regressions,
            totalItems: plan.items.count, errorItems: errorItems, exitStatus: status, gateFailures: failures,
            gateReasons: failures.map(\.message),
            costUSD: results.reduce(0) { $0 + $1.costUSD }, missingItems: missing)
    }

    static func stats(prompt: String, side: EvalSide, results: [EvalItemResult], plannedCount: Int) -> VersionStats {
        let passed = results.filter(\.passed).count
        let errors = results.filter { $0.error != nil }.count
        // Sums and counts, and criteria per rubric: a run has thousands of results with a dozen criteria each.
        var rubricScores: [String: RunningMean] = [:]
        var criterionScores: [String: [String: RunningMean]] = [:]
        var guardActions: [String: Int] = [:]
        for result in results {
            for rubric in result.rubrics {
                if let score = rubric.score { rubricScores[rubric.rubric, default: RunningMean()].add(score) }
                for criterion in rubric.criteria where !criterion.outcome.skipped {
                    criterionScores[rubric.rubric, default: [:]][criterion.id, default: RunningMean()].add(
                        criterion.outcome.score ?? 0)
                }
            }
            if let action = result.guardDecision?.action { guardActions[action.rawValue, default: 0] += 1 }
        }
        // Errors have no rubric score; they count as 0 in the rubric means so they cannot flatter them.
        let errored = results.filter { $0.error != nil }.count
        for rubric in rubricScores.keys { rubricScores[rubric]?.count += errored }
        var criterionMeans: [String: Double] = [:]
        for (rubric, criteria) in criterionScores {
            for (id, total) in criteria { criterionMeans["\(rubric)/\(id)"] = total.mean }
        }
        var caseOutcomes: [String: Bool] = [:]
        for result in results {
            caseOutcomes[result.item.caseID] = (caseOutcomes[result.item.caseID] ?? true) && result.passed
        }
        let answered = results.filter { $0.output != nil }
        return VersionStats(
            prompt: prompt, side: side, items: plannedCount, passed: passed, errors: errors,
            passRate: plannedCount == 0 ? 0 : Double(passed) / Double(plannedCount),
            passAllRepeats: caseOutcomes.isEmpty
                ? 0 : Double(caseOutcomes.values.filter { $0 }.count) / Double(caseOutcomes.count),
            rubricMeans: rubricScores.mapValues(\.mean),
            criterionMeans: criterionMeans,
            guardActions: guardActions,
            costUSD: results.reduce(0) { $0 + $1.costUSD },
            meanLatencyMs: answered.isEmpty ? 0 : answered.reduce(0) { $0 + $1.latencyMs } / Double(answered.count),
            failingCases: caseOutcomes.filter { !$0.value }.map(\.key).sorted())
    }
}

/// A running mean's sum and count.
struct RunningMean {
    var sum: Double = 0
    var count = 0

    mutating func add(_ value: Double) {
        sum += value
        count += 1
    }

    var mean: Double { sum / Double(count) }
}
