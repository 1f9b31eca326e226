import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import PromptctlCore
import PromptctlGuards
import PromptctlLLM
import PromptctlMonitor
import PromptctlRendering
import PromptctlStore

/// Everything the gateway reads from the project, loaded at start and again on SIGHUP; a request keeps the snapshot
/// it started with, so a reload never changes an exchange half-way.
public struct GatewaySnapshot: Sendable {
    /// The project (prompts, labels, configuration).
    public var project: Project
    /// Compiled templates by `id@version`; a version that cannot be compiled holds its error.
    public var prepared: [String: Result<PreparedPrompt, PromptctlError>]
    /// The release pipeline of `guards/policy.yaml`.
    public var pipeline: ReleasePipeline
    /// A client per provider name (no response cache, no call log: the gateway writes its own rows).
    public var clients: [String: LLMClient]
    /// The provider used when a prompt pins none.
    public var defaultProvider: String
    /// Whether a streamed answer is held back whole until the output guards have seen all of it.
    public var streamWholeAnswer: Bool

    /// Creates a snapshot.
    public init(
        project: Project, prepared: [String: Result<PreparedPrompt, PromptctlError>], pipeline: ReleasePipeline,
        clients: [String: LLMClient], defaultProvider: String, streamWholeAnswer: Bool
    ) {
        self.project = project
        self.prepared = prepared
        self.pipeline = pipeline
        self.clients = clients
        self.defaultProvider = defaultProvider
        self.streamWholeAnswer = streamWholeAnswer
    }
}

/// The gateway's limits and hooks.
public struct GatewayOptions: Sendable {
    /// The largest request body, in bytes (413 above it).
    public var maxBodyBytes = 1 << 20
    /// The longest a request may take, in seconds (504 after it).
    public var requestTimeout: Double = 60
    /// Whether a client key is required (401 without one).
    public var requireKey = true
    /// The thresholds of the 24-hour check, applied between the canary and production arms.
    public var thresholds = CheckThresholds()
    /// Seconds between two rollback checks of one prompt.
    public var rollbackCheckInterval: Double = 5
    /// Turns an identifier into its pseudonym before it is stored (kind: conversation or user).
    public var pseudonymise: @Sendable (_ value: String?, _ kind: String) -> String?
    /// Ends a rollout and records why (in the label history); the gateway reloads afterwards.
    public var rollBack: @Sendable (_ rollout: CanaryRollout, _ reason: String) throws -> Void

    /// Creates options.
    public init(
        pseudonymise: @escaping @Sendable (String?, String) -> String?,
        rollBack: @escaping @Sendable (CanaryRollout, String) throws -> Void
    ) {
        self.pseudonymise = pseudonymise
        self.rollBack = rollBack
    }
}

/// The release gateway: production calls it instead of the provider, and every answer goes through the guards.
public final class Gateway: Sendable {
    /// The store every exchange is written to before it is acknowledged.
    public let database: any GatewayExchangeStore & MetricsStore
    /// Limits and hooks.
    public let options: GatewayOptions
    let loader: @Sendable () throws -> GatewaySnapshot
    let current: NIOLockedValueBox<GatewaySnapshot>
    let keys: NIOLockedValueBox<Set<String>>
    let counters = NIOLockedValueBox(GatewayCounters())
    let lastRollbackCheck = NIOLockedValueBox([String: UInt64]())
    let logger: Logger

    /// Loads the first snapshot; a project that cannot be served fails here, before the port opens.
    public init(
        database: any GatewayExchangeStore & MetricsStore, options: GatewayOptions,
        logger: Logger = Logger(label: "promptctl.serve"),
        loader: @escaping @Sendable () throws -> GatewaySnapshot
    ) throws {
        self.database = database
        self.options = options
        self.loader = loader
        self.logger = logger
        current = NIOLockedValueBox(try loader())
        keys = NIOLockedValueBox(Set(try database.clientKeys().map(\.sha256)))
    }

    /// The snapshot requests start with now.
    public var snapshot: GatewaySnapshot { current.withLockedValue { $0 } }

    /// Re-reads labels, prompts, policy and keys; on an error the old snapshot stays and the error is returned.
    @discardableResult
    public func reload() -> (any Error)? {
        do {
            let fresh = try loader()
            let hashes = Set(try database.clientKeys().map(\.sha256))
            current.withLockedValue { $0 = fresh }
            keys.withLockedValue { $0 = hashes }
            return nil
        } catch {
            logger.error("reload failed, still serving the previous configuration: \(error)")
            return error
        }
    }

    // MARK: - Authentication

    /// Whether the `Authorization` header carries a known client key.
    func authorised(_ header: String?) -> Bool {
        guard options.requireKey else { return true }
        guard let header, header.lowercased().hasPrefix("bearer ") else { return false }
        let key = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return false }
        let hash = ContentHash.sha256(key)
        if keys.withLockedValue({ $0.contains(hash) }) { return true }
        // A key added since the last reload works at once; a wrong key costs one indexed read.
        if (try? database.clientKeyName(sha256: hash)) != nil {
            keys.withLockedValue { _ = $0.insert(hash) }
            return true
        }
        return false
    }

    // MARK: - One exchange

    /// What the request resolved to: the version to serve, its arm and label.
    struct Route {
        var prompt: PromptVersion
        var prepared: PreparedPrompt
        var arm: CanaryArm?
        var label: String?
        var rollout: CanaryRollout?
    }

    func route(_ body: CompletionBody, snapshot: GatewaySnapshot) throws(GatewayError) -> Route {
        let reference: PromptReference
        do {
            reference = try PromptReference(parsing: body.model)
        } catch let error as PromptctlError {
            throw GatewayError(.badRequest, error.message, param: "model")
        } catch {
            throw GatewayError(.badRequest, "\(error)", param: "model")
        }
        var prompt: PromptVersion
        do {
            prompt = try snapshot.project.resolve(reference)
        } catch let error as PromptctlError {
            throw GatewayError(
                error.code == .notFound ? .notFound : .internalServerError,
                error.message + (error.remedy.map { "; \($0)" } ?? ""), param: "model", code: "model_not_found")
        } catch {
            throw GatewayError(.internalServerError, "\(error)")
        }
        // Production hears only what was released: a version not in prompts.lock may still change under its number.
        guard snapshot.project.lock.released[prompt.key] != nil else {
            throw GatewayError(
                .badRequest, "\(prompt.key) is not released; the gateway serves only released versions",
                param: "model", code: "version_not_released")
        }
        var label: String?
        var arm: CanaryArm?
        var rollout: CanaryRollout?
        if case .label(let name) = reference.selector {
            label = name
            // Only production traffic is split: a caller naming staging or a version gets exactly that.
            if name == "production", let canary = snapshot.project.labels.canary(of: prompt.id) {
                rollout = canary
                let conversation = body.conversationID ?? body.userID ?? ""
                arm = conversation.isEmpty ? .production : canary.arm(for: conversation)
                if arm == .canary {
                    // A candidate that cannot be resolved is served as production and counted as production, so the
                    // canary's figures never hold production's answers.
                    if let candidate = try? snapshot.project.resolve(
                        PromptReference(id: prompt.id, selector: .version(canary.candidate)))
                    {
                        prompt = candidate
                        label = CanaryRollout.label
                    } else {
                        arm = .production
                    }
                }
            }
        }
        switch snapshot.prepared[prompt.key] {
        case .success(let prepared):
            return Route(prompt: prompt, prepared: prepared, arm: arm, label: label, rollout: rollout)
        case .failure(let error):
            throw GatewayError(.internalServerError, "\(prompt.key) cannot be rendered: \(error.message)")
        case nil:
            throw GatewayError(.internalServerError, "\(prompt.key) was not loaded")
        }
    }

    /// The messages sent to the model: the prompt's system messages, her history, then the rendered turn.
    func render(_ body: CompletionBody, route: Route) throws(GatewayError) -> (messages: [ChatMessage], user: String) {
        guard let last = body.messages.last(where: { $0.role == .user }) else {
            throw GatewayError(.badRequest, "\"messages\" has no user message to answer", param: "messages")
        }
        var values = body.variables
        if route.prompt.variable(named: "user_message") != nil, values["user_message"] == nil {
            values["user_message"] = last.content
        }
        let rendered: [ChatMessage]
        do {
            rendered = try route.prepared.render(values)
        } catch let error as PromptctlError {
            let details = error.diagnostics.map { $0.message + ($0.hint.map { " (\($0))" } ?? "") }
            throw GatewayError(
                .badRequest, ([error.message] + details).joined(separator: ": "), param: "promptctl.variables",
                code: "invalid_variables")
        } catch {
            throw GatewayError(.badRequest, "\(error)", param: "promptctl.variables")
        }
        let system = rendered.prefix { $0.role == .system }
        let turn = rendered.dropFirst(system.count)
        // Her earlier turns, without the last one (the template renders it) and without a client's system messages,
        // which would let a caller replace the released instructions.
        var history = body.messages.filter { $0.role != .system }
        if let index = history.lastIndex(where: { $0.role == .user }) { history.remove(at: index) }
        let messages =
            Array(system) + history.map { ChatMessage(role: $0.role, content: $0.content) } + Array(turn)
        return (messages, last.content)
    }

    /// The exchange as stored: identifiers pseudonymised, the cost already computed.
    func exchange(
        body: CompletionBody, route: Route, language: String, user: String, released: String, provider: String,
        outcome: (response: ChatResponse?, cost: Double, attempts: Int, error: String?), decision: GuardDecision?,
        latencyMs: Double
    ) -> GatewayExchange {
        let usage = outcome.response?.usage ?? TokenUsage()
        let message = ProductionMessage(
            key: "gw-" + UUID().uuidString.lowercased(), at: Date(),
            conversationID: options.pseudonymise(body.conversationID, "conversation"),
            userID: options.pseudonymise(body.userID, "user"), promptID: route.prompt.id,
            promptVersion: route.prompt.version.description, label: route.label, language: language,
            persona: route.prompt.persona, userMessage: user, response: released, provider: provider,
            model: outcome.response?.model ?? route.prompt.model.model, promptTokens: usage.promptTokens,
            cachedTokens: usage.cachedPromptTokens, completionTokens: usage.completionTokens, latencyMs: latencyMs,
            status: outcome.error == nil ? .ok : .error,
            guardAction: decision?.action.rawValue, guardCategories: decision?.categories ?? [],
            costUSD: outcome.cost)
        return GatewayExchange(
            message: message, arm: route.arm, needsReview: decision?.needsReview ?? false, attempts: outcome.attempts,
            error: outcome.error)
    }

    /// Writes an exchange; the answer is sent only after this returns.
    func commit(_ exchange: GatewayExchange, rollout: CanaryRollout?) async throws(GatewayError) {
        do {
            try await database.recordExchanges([exchange])
        } catch {
            logger.error("could not store the exchange: \(error)")
            throw GatewayError(
                .serviceUnavailable, "the exchange could not be stored, so the answer was not released",
                code: "store_unavailable")
        }
        counters.withLockedValue { $0.count(exchange) }
        if let rollout, exchange.arm != nil { scheduleRollbackCheck(rollout) }
    }

    /// The provider for a prompt: the one it pins, else the default.
    func client(for prompt: PromptVersion, snapshot: GatewaySnapshot) throws(GatewayError) -> LLMClient {
        let name = prompt.model.provider ?? snapshot.defaultProvider
        guard let client = snapshot.clients[name] else {
            throw GatewayError(.internalServerError, "no provider named '\(name)' is configured for \(prompt.key)")
        }
        return client
    }

    static func providerError(_ error: ProviderError) -> GatewayError {
        switch error.kind {
        case .rateLimited:
            GatewayError(
                .tooManyRequests, "the model provider is rate limiting: \(error.message)", code: "rate_limit_exceeded",
                retryAfter: error.retryAfter ?? 1)
        case .transport where error.message.lowercased().contains("timed out"):
            GatewayError(
                .gatewayTimeout, "the model provider did not answer in time: \(error.message)", code: "timeout")
        default:
            GatewayError(.badGateway, "the model provider failed: \(error)", code: "provider_error")
        }
    }

    /// A non-streamed completion: the body, and how long each phase took.
    func complete(_ body: CompletionBody, requestID: String, timing: ServerTiming) async throws(GatewayError) -> (
        Data, ServerTiming
    ) {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6 }
        var timing = timing
        let snapshot = snapshot
        let route = try route(body, snapshot: snapshot)
        let (messages, user) = try render(body, route: route)
        let client = try client(for: route.prompt, snapshot: snapshot)
        let language = body.language ?? route.prompt.language
        let pipeline = snapshot.pipeline
        timing.mark(.render)
        let input = await pipeline.checkInput(user, language: language)
        timing.mark(.inputGuards)
        if input.action == .block {
            // The model never sees a blocked message; she gets the safe message in her language.
            let exchange = exchange(
                body: body, route: route, language: language, user: user, released: input.releasedText,
                provider: client.config.name, outcome: (nil, 0, 0, nil), decision: input, latencyMs: elapsed())
            try await commit(exchange, rollout: route.rollout)
            timing.mark(.store)
            let data = OpenAIShape.completion(
                id: requestID, model: body.model, text: input.releasedText, finishReason: "content_filter",
                usage: OpenAIShape.usage(prompt: 0, completion: 0))
            return (data, timing)
        }
        let request = ChatRequest(settings: route.prompt.model, messages: messages)
        let outcome = await client.complete(
            request, useCache: false, promptID: route.prompt.id, promptVersion: route.prompt.version.description)
        timing.mark(.provider)
        guard let response = outcome.response else {
            let error = outcome.error ?? ProviderError(.transport, "no answer")
            let exchange = exchange(
                body: body, route: route, language: language, user: user, released: "",
                provider: client.config.name, outcome: (nil, 0, outcome.attempts, error.description), decision: input,
                latencyMs: elapsed())
            try await commit(exchange, rollout: route.rollout)
            throw Self.providerError(error)
        }
        let decision = await pipeline.release(
            response: response.text, input: input, language: language, userMessage: user)
        timing.mark(.outputGuards)
        let exchange = exchange(
            body: body, route: route, language: language, user: user, released: decision.releasedText,
            provider: client.config.name, outcome: (response, outcome.costUSD, outcome.attempts, nil),
            decision: decision, latencyMs: elapsed())
        try await commit(exchange, rollout: route.rollout)
        timing.mark(.store)
        let data = OpenAIShape.completion(
            id: requestID, model: body.model, text: decision.releasedText,
            finishReason: decision.action == .block ? "content_filter" : (response.finishReason ?? "stop"),
            usage: OpenAIShape.usage(prompt: response.usage.promptTokens, completion: response.usage.completionTokens))
        timing.mark(.encode)
        return (data, timing)
    }

    // MARK: - Canary rollback

    func scheduleRollbackCheck(_ rollout: CanaryRollout) {
        let now = DispatchTime.now().uptimeNanoseconds
        let interval = UInt64(options.rollbackCheckInterval * 1e9)
        let due = lastRollbackCheck.withLockedValue { last -> Bool in
            if let previous = last[rollout.prompt], now &- previous < interval { return false }
            last[rollout.prompt] = now
            return true
        }
        guard due else { return }
        Task.detached { [self] in self.checkRollback(rollout) }
    }

    /// Compares the arms since the rollout started and ends it when the candidate is worse.
    public func checkRollback(_ rollout: CanaryRollout) {
        guard let since = ISO8601DateFormatter().date(from: rollout.since),
            let stats = try? database.canaryArmStats(promptID: rollout.prompt, since: since),
            let reason = Self.rollbackReason(
                canary: stats[.canary], production: stats[.production], thresholds: options.thresholds)
        else { return }
        // Another check may have ended it already.
        guard snapshot.project.labels.canary(of: rollout.prompt) == rollout else { return }
        do {
            try options.rollBack(rollout, reason)
            logger.warning("canary \(rollout.prompt)@\(rollout.candidate) rolled back: \(reason)")
        } catch {
            logger.error(
                "canary \(rollout.prompt)@\(rollout.candidate) should be rolled back (\(reason)) but: \(error)")
        }
        reload()
    }

    /// Why the canary must be rolled back, or nil while it is no worse than production (or too little is known).
    public static func rollbackReason(canary: ArmStats?, production: ArmStats?, thresholds: CheckThresholds)
        -> String?
    {
        guard let canary, let production, canary.messages >= thresholds.minimumMessages,
            production.messages >= thresholds.minimumMessages
        else { return nil }
        func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
        var reasons: [String] = []
        if canary.errorRate - production.errorRate > thresholds.errorRateRise {
            reasons.append(
                "error rate \(percent(canary.errorRate)) vs \(percent(production.errorRate)) in production")
        }
        if canary.blockRate - production.blockRate > thresholds.errorRateRise {
            reasons.append(
                "block rate \(percent(canary.blockRate)) vs \(percent(production.blockRate)) in production")
        }
        if let mine = canary.p95LatencyMs, let theirs = production.p95LatencyMs, theirs > 0,
            (mine - theirs) / theirs > thresholds.latencyRise
        {
            reasons.append(String(format: "p95 latency %.0f ms vs %.0f ms in production", mine, theirs))
        }
        if production.costPerMessage > 0,
            (canary.costPerMessage - production.costPerMessage) / production.costPerMessage > thresholds.costRise
        {
            reasons.append(
                String(
                    format: "cost per message $%.6f vs $%.6f in production", canary.costPerMessage,
                    production.costPerMessage))
        }
        guard !reasons.isEmpty else { return nil }
        return reasons.joined(separator: "; ")
            + " (\(canary.messages) canary and \(production.messages) production exchanges)"
    }
}

/// How long each phase of one exchange took, sent as the standard `Server-Timing` header so that a slow answer can
/// be told apart from a slow gateway (`curl -i`, a browser's network panel, or a load balancer's logs show it).
struct ServerTiming: Sendable {
    /// A phase of an exchange, in the order they run.
    enum Phase: String, Sendable {
        case parse, render
        case inputGuards = "guards-in"
        case provider
        case outputGuards = "guards-out"
        case store
        case encode
        case respond
    }

    /// The header's name.
    static let field = HTTPField.Name("Server-Timing")!

    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var phases: [(Phase, Double)] = []

    /// Ends the phase running now.
    mutating func mark(_ phase: Phase) {
        let now = DispatchTime.now().uptimeNanoseconds
        phases.append((phase, Double(now &- last) / 1e6))
        last = now
    }

    /// The header's value: `render;dur=0.05, guards-in;dur=0.21, …` in milliseconds.
    var headerValue: String {
        phases.map { phase, milliseconds in
            let microseconds = Int((milliseconds * 1000).rounded())
            let fraction = String(microseconds % 1000)
            return
                "\(phase.rawValue);dur=\(microseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
        }.joined(separator: ", ")
    }
}

/// Counters kept in memory for `/metrics`, per prompt and arm.
struct GatewayCounters: Sendable {
    struct Key: Hashable {
        var prompt: String
        var version: String
        var arm: String
        var status: String
        var guardAction: String
    }

    var exchanges: [Key: Int] = [:]
    var rejected: [Int: Int] = [:]
    var inFlight = 0

    mutating func count(_ exchange: GatewayExchange) {
        let key = Key(
            prompt: exchange.message.promptID ?? "", version: exchange.message.promptVersion ?? "",
            arm: exchange.arm?.rawValue ?? "none", status: exchange.message.status.rawValue,
            guardAction: exchange.message.guardAction ?? "none")
        exchanges[key, default: 0] += 1
    }
}
