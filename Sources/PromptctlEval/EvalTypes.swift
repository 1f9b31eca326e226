import Foundation
import PromptctlCore
import PromptctlGuards
import PromptctlLLM

/// Which side of a comparison an item belongs to.
public enum EvalSide: String, Sendable, Codable {
    case candidate, baseline
}

/// One cell of the matrix prompts × providers × cases × repeats.
public struct EvalPlanItem: Sendable, Hashable, Codable {
    /// Unique within a run; results are keyed by it, so a resumed run never duplicates one.
    public var key: String
    /// Candidate or baseline.
    public var side: EvalSide
    /// The prompt id.
    public var promptID: String
    /// Its version.
    public var promptVersion: String
    /// Its language.
    public var language: String
    /// Its persona.
    public var persona: String
    /// The provider's name.
    public var provider: String
    /// The case id.
    public var caseID: String
    /// Which repeat.
    public var repeatIndex: Int

    /// `id@version`.
    public var promptKey: String { "\(promptID)@\(promptVersion)" }
}

/// A candidate and the baseline version it is compared with.
public struct EvalPairing: Sendable, Hashable, Codable {
    /// `id@version` of the candidate.
    public var candidate: String
    /// `id@version` of the baseline, when the suite has one and it differs.
    public var baseline: String?

    /// Creates a pairing.
    public init(candidate: String, baseline: String?) {
        self.candidate = candidate
        self.baseline = baseline
    }
}

/// The whole matrix of a run, stored with it so that `--resume` and `report` need nothing else.
public struct EvalPlan: Sendable, Hashable, Codable {
    /// The suite's name.
    public var suite: String
    /// The suite's file.
    public var suiteFile: String
    /// Every item.
    public var items: [EvalPlanItem]
    /// Candidates and their baselines.
    public var pairings: [EvalPairing]
    /// The rubrics.
    public var rubrics: [String]
    /// The thresholds.
    public var thresholds: SuiteThresholds
    /// Rubric thresholds by name, for the gate.
    public var rubricThresholds: [String: Double]
    /// Whether judge criteria ran.
    public var judge: String?
}

/// What happened to one item: the exchange, the guard decision, the scores and the verdict.
public struct EvalItemResult: Sendable, Hashable, Codable {
    /// The item.
    public var item: EvalPlanItem
    /// The rendered messages sent.
    public var messages: [ChatMessage]
    /// Her message.
    public var userMessage: String
    /// The model that answered (as the provider reported it).
    public var model: String?
    /// The model's answer, when there was one.
    public var output: String?
    /// What may be released after the guards.
    public var releasedText: String?
    /// The provider or render error, when the item failed to produce an answer.
    public var error: String?
    /// Token counts.
    public var usage: TokenUsage
    /// Dollars charged in this run.
    public var costUSD: Double
    /// Wall time.
    public var latencyMs: Double
    /// Served from the cache.
    public var cacheHit: Bool
    /// The release pipeline's decision.
    public var guardDecision: GuardDecision?
    /// The guard decision the case expected, if any.
    public var expectedGuard: String?
    /// Each rubric.
    public var rubrics: [RubricResult]
    /// The case's and suite's assertions.
    public var assertions: [CriterionResult]
    /// Passed every rubric, assertion and guard expectation, with no error.
    public var passed: Bool
    /// Mean of the rubric scores.
    public var score: Double?
    /// Why it failed, in short phrases.
    public var failures: [String]
}
