import Crypto
import Foundation

/// Which side of a canary rollout served an exchange.
public enum CanaryArm: String, Sendable, Codable, CaseIterable {
    /// The version `production` points at.
    case production
    /// The candidate the `canary` label points at.
    case canary
}

/// How an exchange through the gateway ended, as stored in `production_message.status`.
public enum ExchangeStatus: String, Sendable, Codable, CaseIterable {
    /// The model answered (the guards may still have blocked or changed the answer).
    case ok
    /// The provider failed after its retries; she got an error, not an answer.
    case error
}

/// A canary rollout in progress: a candidate version receives a share of one prompt's production conversations.
public struct CanaryRollout: Sendable, Hashable {
    /// The label that carries the candidate in `prompts/labels.yaml`.
    public static let label = "canary"

    /// The prompt id.
    public var prompt: String
    /// The version production serves.
    public var production: SemanticVersion
    /// The candidate version.
    public var candidate: SemanticVersion
    /// Share of conversations, 1–100, sent to the candidate.
    public var percent: Int
    /// When the current split started (the last canary move), ISO 8601.
    public var since: String

    /// Creates a rollout.
    public init(prompt: String, production: SemanticVersion, candidate: SemanticVersion, percent: Int, since: String) {
        self.prompt = prompt
        self.production = production
        self.candidate = candidate
        self.percent = percent
        self.since = since
    }

    /// The bucket (0..<10,000) of a conversation: a stable hash, so a conversation keeps its arm, and raising the
    /// share only moves conversations from production to the candidate, never back.
    public static func bucket(of conversation: String) -> Int {
        let digest = Array(SHA256.hash(data: Data(conversation.utf8)))
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return Int(value % 10_000)
    }

    /// The arm a conversation is served from.
    public func arm(for conversation: String) -> CanaryArm {
        Self.bucket(of: conversation) < percent * 100 ? .canary : .production
    }
}

extension LabelBook {
    /// The rollout of a prompt, when the `canary` label points at a version other than production's with a share.
    ///
    /// Promoting the candidate to production ends the rollout without another move: both labels then agree.
    public func canary(of prompt: String) -> CanaryRollout? {
        guard let last = moves.last(where: { $0.prompt == prompt && $0.label == CanaryRollout.label }),
            let to = last.to.flatMap(SemanticVersion.init), let percent = last.percent, percent > 0,
            let production = version(of: prompt, label: "production"), production != to
        else { return nil }
        return CanaryRollout(prompt: prompt, production: production, candidate: to, percent: percent, since: last.at)
    }
}

extension LabelBook {
    /// Records the automatic rollback of `rollout` in the project's label history at `file`: only the rollout that
    /// was judged, so a newer move (a person's) is left alone. Returns whether it rolled back.
    @discardableResult
    public static func rollBack(
        _ rollout: CanaryRollout, reason: String, by: String, labelsFile file: URL, current book: LabelBook
    ) throws -> Bool {
        var book = book
        guard book.canary(of: rollout.prompt) == rollout else { return false }
        book.append(
            LabelMove(
                prompt: rollout.prompt, label: CanaryRollout.label, from: rollout.candidate.description, to: nil,
                at: Timestamp.now(), by: by, reason: "automatic rollback: \(reason)"))
        try book.save(to: file)
        return true
    }
}
