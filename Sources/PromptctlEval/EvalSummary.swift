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
    /// Case ids that failed in at least one repeat (the first `EvalSummary.listedCases`, sorted).
    public var failingCases: [String]
    /// How many cases failed in at least one repeat (all of them, listed or not).
    public var failingCaseCount: Int?
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

    /// How many case ids a summary lists per version or pairing (counts are always complete).
    public static let listedCases = 100

    /// The summary from totals accumulated result by result and per-case tallies the store computed.
    public static func make(
        plan: EvalPlan, totals: SummaryAccumulator, cases: [CaseTally], caseRegressions: [CaseRegressionTally]
    ) -> EvalSummary {
        var versions: [VersionStats] = []
        for planned in plan.versions {
            let key = SummaryAccumulator.key(planned.promptKey, planned.side)
            let tally = cases.first { $0.promptKey == planned.promptKey && $0.side == planned.side }
            versions.append(
                totals.stats(
                    prompt: planned.promptKey, side: planned.side, plannedCount: planned.items,
                    totals: totals.versions[key] ?? VersionTotals(), cases: tally))
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
            // A case that always passed on the baseline and now fails is a regression, whatever the averages say;
            // the store joins candidate and baseline by case.
            if let tally = caseRegressions.first(where: {
                $0.candidate == candidate.prompt && $0.baseline == baseline.prompt
            }) {
                for caseID in tally.caseIDs.prefix(listedCases) {
                    regressions.append(
                        Regression(
                            candidate: candidate.prompt, baseline: baseline.prompt, metric: "case \(caseID)",
                            before: 1, after: 0))
                }
                if tally.count > listedCases {
                    regressions.append(
                        Regression(
                            candidate: candidate.prompt, baseline: baseline.prompt,
                            metric: "\(tally.count - listedCases) more cases", before: 1, after: 0))
                }
            }
        }
        let errorItems = totals.errorItems
        var failures: [GateFailure] = []
        let missing = max(0, plan.itemCount - totals.resultCount)
        if missing > 0 { failures.append(.missingResults(missing: missing, planned: plan.itemCount)) }
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
        let errorRatio = plan.itemCount == 0 ? 0 : Double(errorItems) / Double(plan.itemCount)
        if errorRatio > plan.thresholds.maxErrorRatio {
            failures.insert(
                .providerErrors(
                    errors: errorItems, items: plan.itemCount, measured: errorRatio,
                    allowed: plan.thresholds.maxErrorRatio),
                at: 0)
        }
        // The worst failure decides the exit status: too many provider errors (3) outranks a missed threshold (1).
        let status = failures.map(\.exitStatus).max { $0.rawValue < $1.rawValue } ?? .success
        return EvalSummary(
            suite: plan.suite, versions: versions, pairings: plan.pairings, regressions: regressions,
            totalItems: plan.itemCount, errorItems: errorItems, exitStatus: status, gateFailures: failures,
            gateReasons: failures.map(\.message), costUSD: totals.costUSD, missingItems: missing)
    }
}

/// Per-case outcome of one version, as the store counts it (pass^k needs every repeat of a case).
public struct CaseTally: Sendable, Hashable {
    /// `id@version`.
    public var promptKey: String
    /// Candidate or baseline.
    public var side: EvalSide
    /// Cases with at least one result.
    public var cases: Int
    /// Cases whose every result passed.
    public var casesAllPassed: Int
    /// The first failing case ids, sorted.
    public var failingCases: [String]

    /// Creates a tally.
    public init(promptKey: String, side: EvalSide, cases: Int, casesAllPassed: Int, failingCases: [String]) {
        self.promptKey = promptKey
        self.side = side
        self.cases = cases
        self.casesAllPassed = casesAllPassed
        self.failingCases = failingCases
    }
}

/// Cases that always passed on the baseline and fail on the candidate, as the store joins them by case id.
public struct CaseRegressionTally: Sendable, Hashable {
    /// `id@version` of the candidate.
    public var candidate: String
    /// `id@version` of the baseline.
    public var baseline: String
    /// How many cases regressed.
    public var count: Int
    /// The first of them, sorted.
    public var caseIDs: [String]

    /// Creates a tally.
    public init(candidate: String, baseline: String, count: Int, caseIDs: [String]) {
        self.candidate = candidate
        self.baseline = baseline
        self.count = count
        self.caseIDs = caseIDs
    }
}

/// Running totals of one version's results.
public struct VersionTotals: Sendable {
    var results = 0
    var passed = 0
    var errors = 0
    var rubricScores: [String: RunningMean] = [:]
    var criterionScores: [String: [String: RunningMean]] = [:]
    var guardActions: [String: Int] = [:]
    var cost = ExactSum()
    var latencySum = 0.0
    var answered = 0
}

/// The summary's sums and counts, updated one result at a time: its size depends on the versions, rubrics and
/// criteria of a run, never on its number of results.
public struct SummaryAccumulator: Sendable {
    /// Totals by version (`SummaryAccumulator.key`).
    public internal(set) var versions: [String: VersionTotals] = [:]
    /// Results added.
    public internal(set) var resultCount = 0
    /// Results with a provider or render error.
    public internal(set) var errorItems = 0
    var cost = ExactSum()
    /// Dollars charged.
    public var costUSD: Double { cost.value }

    /// An empty accumulator.
    public init() {}

    static func key(_ promptKey: String, _ side: EvalSide) -> String { "\(side.rawValue)|\(promptKey)" }

    /// Adds one result.
    public mutating func add(_ result: EvalItemResult) {
        resultCount += 1
        cost.add(result.costUSD)
        if result.error != nil { errorItems += 1 }
        let key = Self.key(result.item.promptKey, result.item.side)
        var totals = versions[key] ?? VersionTotals()
        totals.results += 1
        if result.passed { totals.passed += 1 }
        if result.error != nil { totals.errors += 1 }
        for rubric in result.rubrics {
            if let score = rubric.score { totals.rubricScores[rubric.rubric, default: RunningMean()].add(score) }
            for criterion in rubric.criteria where !criterion.outcome.skipped {
                totals.criterionScores[rubric.rubric, default: [:]][criterion.id, default: RunningMean()].add(
                    criterion.outcome.score ?? 0)
            }
        }
        if let action = result.guardDecision?.action { totals.guardActions[action.rawValue, default: 0] += 1 }
        totals.cost.add(result.costUSD)
        if result.output != nil {
            totals.latencySum += result.latencyMs
            totals.answered += 1
        }
        versions[key] = totals
    }

    func stats(prompt: String, side: EvalSide, plannedCount: Int, totals: VersionTotals, cases: CaseTally?)
        -> VersionStats
    {
        // Errors have no rubric score; they count as 0 in the rubric means so they cannot flatter them.
        var rubricScores = totals.rubricScores
        for rubric in rubricScores.keys { rubricScores[rubric]?.count += totals.errors }
        var criterionMeans: [String: Double] = [:]
        for (rubric, criteria) in totals.criterionScores {
            for (id, total) in criteria { criterionMeans["\(rubric)/\(id)"] = total.mean }
        }
        let caseCount = cases?.cases ?? 0
        return VersionStats(
            prompt: prompt, side: side, items: plannedCount, passed: totals.passed, errors: totals.errors,
            passRate: plannedCount == 0 ? 0 : Double(totals.passed) / Double(plannedCount),
            passAllRepeats: caseCount == 0 ? 0 : Double(cases?.casesAllPassed ?? 0) / Double(caseCount),
            rubricMeans: rubricScores.mapValues(\.mean),
            criterionMeans: criterionMeans,
            guardActions: totals.guardActions,
            costUSD: totals.cost.value,
            meanLatencyMs: totals.answered == 0 ? 0 : totals.latencySum / Double(totals.answered),
            failingCases: Array((cases?.failingCases ?? []).prefix(EvalSummary.listedCases)),
            failingCaseCount: caseCount - (cases?.casesAllPassed ?? 0))
    }
}

/// A sum of doubles kept in fixed point (10⁻¹² units), so that adding the same values in any order gives exactly
/// the same total: a run's results arrive in completion order, and shards merged must agree with one run.
struct ExactSum: Sendable {
    static let scale = 1e12
    var units: Int64 = 0

    mutating func add(_ value: Double) { units &+= Int64((value * Self.scale).rounded()) }

    var value: Double { Double(units) / Self.scale }
}

/// A running mean's sum and count.
struct RunningMean: Sendable {
    var total = ExactSum()
    var count = 0

    mutating func add(_ value: Double) {
        total.add(value)
        count += 1
    }

    var mean: Double { total.value / Double(count) }
}
