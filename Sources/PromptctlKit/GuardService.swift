import Foundation
import PromptctlClinical
import PromptctlCore
import PromptctlGuards
import PromptctlLLM
import PromptctlReports

/// Builds the release pipeline from `guards/policy.yaml` and runs the guard commands.
public struct GuardService: Sendable {
    /// The workspace.
    public let workspace: Workspace
    /// The project.
    public let project: Project

    /// Creates the service.
    public init(workspace: Workspace, project: Project) {
        self.workspace = workspace
        self.project = project
    }

    /// Creates the service for the workspace's project.
    public init(workspace: Workspace) throws {
        self.init(workspace: workspace, project: try workspace.loadProject())
    }

    /// Decisions as a table, JSON or JSONL.
    public static func render(_ results: [GuardCheckResult], as format: OutputFormat) throws -> String {
        try CommandRendering.guardCheck(results, as: format)
    }

    /// Moderation lines as JSONL or a table.
    public static func render(_ lines: [ModerationLine], as format: OutputFormat) throws -> String {
        try CommandRendering.moderation(lines, as: format)
    }

    /// The policy as written (`guards/policy.yaml`).
    public typealias Policy = GuardPolicy

    /// The project's guards, read from its files.
    var setup: GuardSetup { GuardSetup(projectRoot: project.root, environment: workspace.environment) }

    /// Reads `guards/policy.yaml` (defaults when absent).
    public func policy() throws -> Policy { try setup.policy() }

    /// The policy and its term filter, refused when they leave a stage without any guard by accident.
    public func configuration() throws -> (Policy, TermFilter?) { try setup.configuration() }

    /// The release pipeline the policy describes.
    public func pipeline(
        transport: any HTTPTransport, moderation override: ModerationProviderName? = nil,
        signs: ClinicalSignsEngine? = nil
    ) throws -> ReleasePipeline {
        try setup.pipeline(transport: transport, moderation: override, signs: signs)
    }

    /// One line of `guard check` input.
    public struct CheckItem: Sendable, Codable {
        public var id: String
        public var text: String
        public var user: String?
        public var language: String?

        /// Creates an item.
        public init(id: String, text: String, user: String? = nil, language: String? = nil) {
            self.id = id
            self.text = text
            self.user = user
            self.language = language
        }
    }

    /// One line of `guard check` output.
    public typealias CheckResult = GuardCheckResult

    /// Where `guard check` reads its texts.
    public enum CheckInput: Sendable, Hashable {
        /// The text itself, from the command line.
        case text(String)
        /// One text: a file's whole content (`-` reads standard input; pipes work).
        case file(String)
        /// JSONL lines `{"id": ..., "text": ..., "user": ..., "language": ...}` (`-` reads standard input).
        case jsonl(String)
        /// One text from standard input.
        case standardInput
    }

    /// The items an input names, each with her message when one was given.
    public func items(from input: CheckInput, user: String?) throws -> [CheckItem] {
        switch input {
        case .text(let text): return [CheckItem(id: "1", text: text, user: user)]
        case .file(let path):
            let data = try CommandValues.read(path, workspace: workspace)
            return [CheckItem(id: path == "-" ? "stdin" : path, text: TextLines.text(data), user: user)]
        case .jsonl(let path): return try Self.readJSONL(path, workspace: workspace)
        case .standardInput:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return [CheckItem(id: "stdin", text: TextLines.text(data), user: user)]
        }
    }

    /// Reads `{"id": ..., "text": ...}` lines; a bad line is an error naming its number.
    public static func readJSONL(_ path: String, workspace: Workspace) throws -> [CheckItem] {
        let data = try CommandValues.read(path, workspace: workspace)
        var items: [CheckItem] = []
        for (index, line) in TextLines.lines(data).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any],
                let text = object["text"] as? String
            else {
                throw PromptctlError(
                    .usage, "\(path):\(index + 1):1: error: not a JSON object with a \"text\" string",
                    remedy: "write one {\"id\": ..., \"text\": ...} per line")
            }
            let id = object["id"].map { "\($0)" } ?? String(index + 1)
            items.append(
                CheckItem(id: id, text: text, user: object["user"] as? String, language: object["language"] as? String))
        }
        return items
    }

    /// Checks texts as responses (and her messages when given), concurrently, in input order.
    public func check(_ items: [CheckItem], language: String, stage: GuardStage, moderation: ModerationProviderName?)
        async throws
        -> [CheckResult]
    {
        let pipeline = try pipeline(transport: CurlTransport(), moderation: moderation)
        // Asked to check a text it would refuse, the command says so (exit 2) rather than printing a block.
        for item in items {
            for (text, what) in [(item.text, "text '\(item.id)'"), (item.user ?? "", "her message in '\(item.id)'")] {
                if let refusal = ReleasePipeline.sizeRefusal(
                    bytes: text.utf8.count, limit: pipeline.maxTextBytes, what: what)
                {
                    throw PromptctlError(
                        .usage, refusal,
                        remedy: "set max_text_bytes: \(text.utf8.count) (or more) in guards/policy.yaml")
                }
            }
        }
        return try await concurrentMap(items, width: 16) { item in
            let language = item.language ?? language
            let decision: GuardDecision
            if stage == .input {
                decision = await pipeline.checkInput(item.text, language: language)
            } else if let user = item.user {
                decision = await pipeline.check(userMessage: user, response: item.text, language: language)
            } else {
                decision = await pipeline.release(response: item.text, input: .allow(""), language: language)
            }
            return GuardCheckResult(
                id: item.id, decision: decision.action, categories: decision.categories, matches: decision.findings,
                released: decision.releasedText, needsReview: decision.needsReview)
        }
    }

    /// Moderation only, for `guard moderate`: one line per item, in input order.
    public func moderate(_ items: [CheckItem], provider name: ModerationProviderName, language: String) async throws
        -> [ModerationLine]
    {
        guard name != .none else {
            throw PromptctlError(.usage, "guard moderate needs a provider", remedy: "use builtin, azure or openai")
        }
        guard
            let provider = try policy().moderationProvider(
                name, transport: CurlTransport(), environment: workspace.environment)
        else {
            return []
        }
        do {
            return try await concurrentMap(items, width: 16) { item in
                ModerationLine(
                    id: item.id, result: try await provider.moderate(item.text, language: item.language ?? language))
            }
        } catch let error as PromptctlError {
            throw error
        } catch {
            throw PromptctlError(.provider, "moderation with \(name.rawValue) failed", cause: error)
        }
    }
}

/// Maps items concurrently with at most `width` in flight, keeping the input order.
func concurrentMap<Item: Sendable, Output: Sendable>(
    _ items: [Item], width: Int, _ transform: @escaping @Sendable (Item) async throws -> Output
) async throws -> [Output] {
    try await withThrowingTaskGroup(of: (Int, Output).self) { group in
        var next = 0
        var results = [Output?](repeating: nil, count: items.count)
        func add() {
            guard next < items.count else { return }
            let index = next
            let item = items[index]
            next += 1
            group.addTask { (index, try await transform(item)) }
        }
        for _ in 0..<width { add() }
        while let (index, output) = try await group.next() {
            results[index] = output
            add()
        }
        return results.compactMap { $0 }
    }
}
