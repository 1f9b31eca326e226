import Foundation

/// What the release pipeline decided for one text of `guard check`.
public struct GuardCheckResult: Sendable, Codable {
    /// The text's id.
    public var id: String
    /// Allow, redact, escalate or block.
    public var decision: GuardAction
    /// The categories found.
    public var categories: [String]
    /// Every finding with its reason.
    public var matches: [GuardFinding]
    /// The text that would be released.
    public var released: String
    /// Whether a nurse should see it.
    public var needsReview: Bool

    /// Whether the text may not be released (the command exits 1).
    public var blocked: Bool { decision == .block }

    /// Creates a result.
    public init(
        id: String, decision: GuardAction, categories: [String], matches: [GuardFinding], released: String,
        needsReview: Bool
    ) {
        self.id = id
        self.decision = decision
        self.categories = categories
        self.matches = matches
        self.released = released
        self.needsReview = needsReview
    }
}

/// One line of `guard moderate`: a text's id and what the moderation provider said.
public struct ModerationLine: Sendable, Hashable, Codable {
    /// The text's id.
    public var id: String
    /// Whether the text crosses a threshold.
    public var flagged: Bool
    /// The flagged categories.
    public var categories: [String]
    /// Every category's score (0...1).
    public var scores: [String: Double]
    /// Which service decided.
    public var source: String

    /// A line from a provider's result.
    public init(id: String, result: ModerationResult) {
        self.id = id
        flagged = result.flagged
        categories = result.categories
        scores = result.scores
        source = result.source
    }
}
