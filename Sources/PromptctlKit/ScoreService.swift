import Foundation
import PromptctlClinical
import PromptctlCore
import PromptctlEval
import PromptctlLLM
import PromptctlRendering
import PromptctlReports

/// `promptctl score`: one answer against one rubric, offline unless a judge provider is named.
public struct ScoreService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// Scores an answer.
    public func score(rubric name: String, user: String, response: String, language: String, judge: String?)
        async throws
        -> RubricResult
    {
        let project = try workspace.loadProject()
        var judgeService: JudgeService?
        if let judge {
            let database = try workspace.openStore(config: project.config)
            let factory = ProviderFactory(
                project: project, workspace: workspace, transport: CurlTransport(), database: database)
            judgeService = JudgeService(
                client: try factory.client(named: judge, prices: try factory.prices()), project: project)
        }
        let rubric = try Rubric.load(
            name, root: project.root, judge: judgeService, signs: try ClinicalSignsEngine.forProject(root: project.root)
        )
        return await rubric.score(CriterionContext(userMessage: user, response: response, language: language))
    }

    /// The result as a table.
    public static func format(_ result: RubricResult) -> String { CommandRendering.rubricResult(result) }
}

/// `promptctl call`: render a prompt, send it, print the answer with usage, cost and latency.
public struct CallService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// What one call produced.
    public struct Result: Sendable, Codable {
        public var prompt: String
        public var provider: String
        public var model: String
        public var text: String?
        public var error: String?
        public var usage: TokenUsage?
        public var costUSD: Double
        public var cacheHit: Bool
        public var attempts: Int
        public var latencyMs: Double
    }

    /// Renders and sends; streams text to `onDelta` when given.
    public func call(
        reference: String, values: [String: String], provider name: String?, noCache: Bool,
        onDelta: (@Sendable (String) -> Void)? = nil
    ) async throws -> Result {
        let project = try workspace.loadProject()
        let prompt = try project.resolve(try PromptReference(parsing: reference))
        let messages = try PromptRenderer(project: project).render(prompt, values: values)
        guard let providerName = name ?? prompt.model.provider ?? project.config.defaultProvider else {
            throw PromptctlError(
                .usage, "no provider given", remedy: "pass --provider NAME or set default_provider in promptctl.yaml")
        }
        let database = try workspace.openStore(config: project.config)
        let factory = ProviderFactory(
            project: project, workspace: workspace, transport: CurlTransport(), database: database, useCache: !noCache)
        let client = try factory.client(named: providerName, prices: try factory.prices())
        let request = ChatRequest(settings: prompt.model, messages: messages, modelOverride: client.config.model)
        if let onDelta {
            let started = DispatchTime.now().uptimeNanoseconds
            var text = ""
            var usage = TokenUsage()
            do {
                for try await delta in client.provider.stream(request) {
                    switch delta {
                    case .text(let piece):
                        text += piece
                        onDelta(piece)
                    case .usage(let value):
                        usage.promptTokens = max(usage.promptTokens, value.promptTokens)
                        usage.cachedPromptTokens = max(usage.cachedPromptTokens, value.cachedPromptTokens)
                        usage.completionTokens = max(usage.completionTokens, value.completionTokens)
                    }
                }
            } catch {
                throw PromptctlError(.provider, "provider \(providerName) failed", cause: error)
            }
            let response = ChatResponse(text: text, model: request.model, usage: usage)
            return Result(
                prompt: prompt.key, provider: providerName, model: request.model, text: text, error: nil, usage: usage,
                costUSD: client.cost(of: response, model: request.model).dollars, cacheHit: false, attempts: 1,
                latencyMs: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        let outcome = await client.complete(
            request, useCache: !noCache, promptID: prompt.id, promptVersion: prompt.version.description)
        return Result(
            prompt: prompt.key, provider: providerName, model: outcome.response?.model ?? request.model,
            text: outcome.response?.text, error: outcome.error?.description, usage: outcome.response?.usage,
            costUSD: outcome.costUSD, cacheHit: outcome.cacheHit, attempts: outcome.attempts,
            latencyMs: outcome.latencyMs)
    }
}
