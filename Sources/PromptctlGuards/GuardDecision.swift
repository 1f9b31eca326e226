import Foundation
import PromptctlCore

/// What a guard decides about a text.
public enum GuardAction: String, Sendable, Codable, CaseIterable, Comparable {
    /// Release as is.
    case allow
    /// Release with spans masked.
    case redact
    /// Release with a referral appended, and flag for nurse review.
    case escalate
    /// Do not release; a safe message replaces it.
    case block

    var rank: Int {
        switch self {
        case .allow: 0
        case .redact: 1
        case .escalate: 2
        case .block: 3
        }
    }

    public static func < (lhs: GuardAction, rhs: GuardAction) -> Bool { lhs.rank < rhs.rank }
}

/// One finding of one guard: why, where, how severe.
public struct GuardFinding: Sendable, Hashable, Codable {
    /// The guard that found it (`terms`, `builtin-moderation`, `azure-content-safety`, `openai-moderation`).
    public var guardName: String
    /// The category (self-harm, dose-request, contraindicated-drug, Hate, ...).
    public var category: String
    /// Severity on the guard's own scale, normalised to 0...1 where possible.
    public var severity: Double
    /// The action this finding asks for.
    public var action: GuardAction
    /// The matched text, when there is a span.
    public var match: String?
    /// Character offsets of the match in the checked text.
    public var range: [Int]?
    /// Why, in words a reviewer can read.
    public var reason: String
    /// A message to append (escalate) or substitute (block), in the conversation's language.
    public var message: String?

    /// Creates a finding.
    public init(
        guardName: String, category: String, severity: Double, action: GuardAction, match: String? = nil,
        range: [Int]? = nil, reason: String, message: String? = nil
    ) {
        self.guardName = guardName
        self.category = category
        self.severity = severity
        self.action = action
        self.match = match
        self.range = range
        self.reason = reason
        self.message = message
    }
}

/// Which side of the conversation is checked.
public enum GuardStage: String, Sendable, Codable, CaseIterable {
    /// The user's message, before the model sees it.
    case input
    /// The model's response, before she sees it.
    case output
}

/// The release pipeline's verdict on one exchange.
public struct GuardDecision: Sendable, Hashable, Codable {
    /// The strongest action over every finding.
    public var action: GuardAction
    /// Every finding, input and output.
    public var findings: [GuardFinding]
    /// The text that may be released (masked, with referral appended, or the safe message).
    public var releasedText: String
    /// Whether a nurse must look at this exchange.
    public var needsReview: Bool
    /// Guards that could not answer, and what the policy did about it.
    public var unavailable: [String]

    /// Creates a decision.
    public init(
        action: GuardAction, findings: [GuardFinding], releasedText: String, needsReview: Bool,
        unavailable: [String] = []
    ) {
        self.action = action
        self.findings = findings
        self.releasedText = releasedText
        self.needsReview = needsReview
        self.unavailable = unavailable
    }

    /// A decision that lets the text through untouched.
    public static func allow(_ text: String) -> GuardDecision {
        GuardDecision(action: .allow, findings: [], releasedText: text, needsReview: false)
    }

    /// Categories found, sorted, without repeats.
    public var categories: [String] { Array(Set(findings.map(\.category))).sorted() }

    /// One line for tables: action and categories.
    public var summary: String {
        findings.isEmpty ? action.rawValue : "\(action.rawValue) (\(categories.joined(separator: ", ")))"
    }
}

extension GuardFinding: SortedJSONEncodable {
    /// Writes the finding with its keys sorted.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("action", action.rawValue)
        writer.field("category", category)
        writer.field("guardName", guardName)
        writer.field("match", match)
        writer.field("message", message)
        if let range {
            writer.key("range")
            writer.beginArray()
            for offset in range { writer.int(offset) }
            writer.endArray()
        }
        writer.field("reason", reason)
        try writer.field("severity", severity)
        writer.endObject()
    }
}

extension GuardDecision: SortedJSONEncodable {
    /// Writes the decision with its keys sorted.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("action", action.rawValue)
        try writer.field("findings", findings)
        writer.field("needsReview", needsReview)
        writer.field("releasedText", releasedText)
        writer.field("unavailable", unavailable)
        writer.endObject()
    }
}
