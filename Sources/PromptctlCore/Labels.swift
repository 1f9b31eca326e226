import Foundation
import Yams

/// One move of a label from one version to another; the history is append-only.
public struct LabelMove: Sendable, Hashable, Codable {
    /// Who approved a move to a protected label, and on what evidence.
    public struct Approval: Sendable, Hashable, Codable {
        /// The approver.
        public var by: String
        /// Their note.
        public var note: String?
        /// The evaluation run that justified it.
        public var run: String?

        /// Creates an approval.
        public init(by: String, note: String?, run: String?) {
            self.by = by
            self.note = note
            self.run = run
        }
    }

    /// The prompt id.
    public var prompt: String
    /// The label (staging, production, ...).
    public var label: String
    /// The version it pointed at before; nil for a first assignment.
    public var from: String?
    /// The version it points at now; nil when the label was removed.
    public var to: String?
    /// When (ISO 8601, UTC).
    public var at: String
    /// Who moved it.
    public var by: String
    /// Why.
    public var reason: String
    /// Approval, required for production.
    public var approval: Approval?
    /// The share of conversations (1–100) a `canary` move sends to its version; nil for every other label.
    public var percent: Int?

    /// Creates a move.
    public init(
        prompt: String, label: String, from: String?, to: String?, at: String, by: String, reason: String,
        approval: Approval? = nil, percent: Int? = nil
    ) {
        self.percent = percent
        self.prompt = prompt
        self.label = label
        self.from = from
        self.to = to
        self.at = at
        self.by = by
        self.reason = reason
        self.approval = approval
    }
}

/// The labels of every prompt, derived from the committed, append-only history in `prompts/labels.yaml`.
///
/// The file holds only moves; the current position of a label is the last move's target, so the
/// state and its history can never disagree. Lint checks that each move starts where the last ended,
/// so a deleted or edited move is caught.
public struct LabelBook: Sendable {
    /// Every move in order.
    public private(set) var moves: [LabelMove]

    /// Creates a book from moves.
    public init(moves: [LabelMove] = []) { self.moves = moves }

    /// The version a label points at now.
    public func version(of prompt: String, label: String) -> SemanticVersion? {
        guard let last = moves.last(where: { $0.prompt == prompt && $0.label == label }), let to = last.to else {
            return nil
        }
        return SemanticVersion(to)
    }

    /// Current labels of a prompt, label → version.
    public func labels(of prompt: String) -> [String: SemanticVersion] {
        var result: [String: SemanticVersion] = [:]
        for move in moves where move.prompt == prompt {
            result[move.label] = move.to.flatMap(SemanticVersion.init)
        }
        return result.compactMapValues { $0 }
    }

    /// The history of one prompt (and optionally one label), oldest first.
    public func history(of prompt: String?, label: String? = nil) -> [LabelMove] {
        moves.filter { (prompt == nil || $0.prompt == prompt) && (label == nil || $0.label == label) }
    }

    /// Appends a move.
    public mutating func append(_ move: LabelMove) { moves.append(move) }

    /// Problems in the chain of moves: a move that does not start where the previous one ended.
    public func chainProblems() -> [String] {
        var current: [String: String?] = [:]
        var problems: [String] = []
        for (index, move) in moves.enumerated() {
            let key = "\(move.prompt)@\(move.label)"
            let previous = current[key] ?? nil
            if previous != move.from {
                problems.append(
                    "move \(index + 1) of \(key) starts from \(move.from ?? "nothing") but the label was at \(previous ?? "nothing")"
                )
            }
            current[key] = move.to
        }
        return problems
    }

    struct File: Codable {
        var moves: [LabelMove]
    }

    /// Reads `labels.yaml`; a missing file is an empty book.
    public static func load(from url: URL, displayPath: String) throws -> LabelBook {
        guard FileManager.default.fileExists(atPath: url.path) else { return LabelBook() }
        let file = try YAMLFile(contentsOf: url, displayPath: displayPath)
        // Decoded from the tree already parsed (and checked for aliases), not parsed a second time.
        let root = try file.parse()
        do {
            let decoded = try YAMLDecoder().decode(File.self, from: root)
            return LabelBook(moves: decoded.moves)
        } catch {
            throw PromptctlError(
                .config, "\(displayPath) does not hold a list of label moves",
                remedy: "restore it from git; it is written by 'promptctl prompts label'", cause: error)
        }
    }

    /// Writes the whole history back, atomically.
    public func save(to url: URL) throws {
        let header = """
            # Label history, written by `promptctl prompts label` and `promptctl prompts promote`.
            # Append-only: the current position of a label is its last move. Do not edit by hand;
            # `promptctl prompts lint` rejects a history whose moves do not chain.

            """
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        let body = try encoder.encode(File(moves: moves))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((header + body).utf8).write(to: url, options: .atomic)
    }
}

/// The lock file: the content hash of every released prompt version.
public struct ReleaseLock: Sendable, Codable {
    /// One released version.
    public struct Entry: Sendable, Codable, Hashable {
        /// SHA-256 of the canonical content (templates, settings, variables, resolved partials).
        public var sha256: String
        /// When it was released.
        public var releasedAt: String
        /// Who released it.
        public var releasedBy: String

        /// Creates an entry.
        public init(sha256: String, releasedAt: String, releasedBy: String) {
            self.sha256 = sha256
            self.releasedAt = releasedAt
            self.releasedBy = releasedBy
        }

        enum CodingKeys: String, CodingKey {
            case sha256
            case releasedAt = "released_at"
            case releasedBy = "released_by"
        }
    }

    /// `id@version` → entry.
    public var released: [String: Entry]

    /// Creates a lock.
    public init(released: [String: Entry] = [:]) { self.released = released }

    /// Reads the lock; a missing file is an empty lock.
    public static func load(from url: URL, displayPath: String) throws -> ReleaseLock {
        guard let data = FileManager.default.contents(atPath: url.path) else { return ReleaseLock() }
        do {
            return try JSONDecoder().decode(ReleaseLock.self, from: data)
        } catch {
            throw PromptctlError(
                .config, "\(displayPath) is not a valid lock file",
                remedy: "restore it from git; it is written by 'promptctl prompts release'", cause: error)
        }
    }

    /// Writes the lock with sorted keys so that diffs stay small.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        try data.write(to: url, options: .atomic)
    }
}
