import Foundation
import PromptctlClinical
import PromptctlCore
import PromptctlGuards
import PromptctlLLM
import PromptctlRendering

/// Runs a plan: render, guard, call, score, and hand each result to the sink as soon as it exists.
///
/// Results are handed over one by one, so an interrupted run loses only the calls in flight;
/// `run(skipping:)` with the keys already stored resumes it without duplicates.
public struct SuiteRunner: Sendable {
    /// The project.
    public let project: Project
    /// The suite.
    public let suite: SuiteSpec
    /// Clients by provider name.
    public let clients: [String: LLMClient]
    /// Loaded rubrics.
    public let rubrics: [Rubric]
    /// The release pipeline; nil runs no guards.
    public let pipeline: ReleasePipeline?
    /// Whether the response cache may answer.
    public let useCache: Bool
    /// The run id, for call records.
    public let runID: String
    /// The judge, when one was named (pairwise comparisons use it after the run).
    public var judge: JudgeService?
    let prepared: PreparedCache = PreparedCache()
    /// The clinical-signs engine, for assertions of type clinical-rules, empathy and second-person.
    let signs: ClinicalSignsEngine
    /// What the scores depend on beyond the case and the answer (the tool's version, the rubric and guard files, the
    /// suite's assertions), when a cached answer's scores may be reused; nil scores every answer.
    public var scoringFingerprint: String?

    /// Creates a runner.
    public init(
        project: Project, suite: SuiteSpec, clients: [String: LLMClient], rubrics: [Rubric], pipeline: ReleasePipeline?,
        useCache: Bool, runID: String, signs: ClinicalSignsEngine
    ) {
        self.signs = signs
        self.project = project
        self.suite = suite
        self.clients = clients
        self.rubrics = rubrics
        self.pipeline = pipeline
        self.useCache = useCache
        self.runID = runID
    }

    /// Runs every item of the plan whose key is not in `done`, reading the cases lazily from `cases`; `sink` receives
    /// each result as it completes (and may throw to stop the run). Nothing is kept once the sink has it: memory
    /// holds the items in flight, not the run.
    public func run(
        _ plan: EvalPlan, cases: CaseCursor, skipping done: Set<String>,
        progress: (@Sendable (Int, Int, Int) -> Void)? = nil,
        sink: @escaping @Sendable (EvalItemResult) throws -> Void
    ) async throws {
        // Compile each prompt once before the items start, so concurrent items do not race to compile it.
        for version in plan.versions {
            if let prompt = project.prompts.first(where: { $0.key == version.promptKey }) {
                _ = try? prepared.get(prompt) { try PromptRenderer(project: project).prepare(prompt) }
            }
        }
        // Twice the providers' concurrency: the clients' limiters bound the calls in flight, and the extra items
        // render, guard and score while the others wait on the network, so a slot never idles behind scoring.
        let callSlots = plan.providers.reduce(0) { $0 + (clients[$1]?.config.maxConcurrency ?? 1) }
        let width = max(1, min(1024, 2 * callSlots))
        let total = plan.itemCount
        var finished = done.count
        var errors = 0
        var queued: [(EvalPlanItem, EvalCase)] = []
        var queuedIndex = 0
        func nextItem() throws -> (EvalPlanItem, EvalCase)? {
            while queuedIndex >= queued.count {
                guard let evalCase = try cases.next() else { return nil }
                queued = plan.items(for: evalCase).filter { !done.contains($0.key) }.map { ($0, evalCase) }
                queuedIndex = 0
            }
            defer { queuedIndex += 1 }
            return queued[queuedIndex]
        }
        try await withThrowingTaskGroup(of: EvalItemResult.self) { group in
            func addNext() throws -> Bool {
                guard let (item, evalCase) = try nextItem() else { return false }
                group.addTask { await self.evaluate(item, case: evalCase) }
                return true
            }
            for _ in 0..<width {
                if try !addNext() { break }
            }
            while let result = try await group.next() {
                if Task.isCancelled {
                    group.cancelAll()
                    throw CancellationError()
                }
                _ = try addNext()
                try sink(result)
                finished += 1
                if result.error != nil { errors += 1 }
                progress?(finished, total, errors)
            }
        }
    }

    /// Evaluates one item; never throws: every failure becomes an error on the result.
    public func evaluate(_ item: EvalPlanItem, case evalCase: EvalCase) async -> EvalItemResult {
        var result = EvalItemResult(
            item: item, messages: [], userMessage: evalCase.userMessage, model: nil, output: nil, releasedText: nil,
            error: nil,
            usage: TokenUsage(), costUSD: 0, latencyMs: 0, cacheHit: false, guardDecision: nil,
            expectedGuard: evalCase.expectGuard, rubrics: [], assertions: [], passed: false, score: nil, failures: [])
        guard
            let prompt = project.versions(of: item.promptID).first(where: {
                $0.version.description == item.promptVersion
            }),
            let client = clients[item.provider]
        else {
            result.error = "prompt \(item.promptKey) or provider \(item.provider) is not available"
            result.failures = [result.error!]
            return result
        }
        do {
            let compiled = try prepared.get(prompt) { try PromptRenderer(project: project).prepare(prompt) }
            result.messages = try compiled.render(evalCase.vars.filter { prompt.variable(named: $0.key) != nil })
        } catch {
            result.error = "render: \(error)"
            result.failures = [result.error!]
            return result
        }
        let request = ChatRequest(
            settings: prompt.model, messages: result.messages, modelOverride: client.config.model,
            repeatIndex: item.repeatIndex)
        // A cached answer scored before under the same case, rubrics, guards and assertions keeps its scores: the
        // answer still comes from the response cache (its call log counts the hit), and the scores are reused only
        // when it is the very answer they were given for.
        // The request's key is hashed once: the scores' key holds it and the call looks its answer up by it.
        let requestKey = client.responseCache == nil ? nil : client.cacheKey(for: request)
        let reuseKey = requestKey.flatMap {
            scoresKey(requestKey: $0, client: client, case: evalCase, language: prompt.language)
        }
        var prefetched: CallOutcome?
        if let reuseKey, let cache = client.responseCache,
            let entry = try? cache.cachedResponse(forKey: reuseKey, maxAge: nil),
            let reused = ReusedScores(record: entry.payload)
        {
            let outcome = await client.complete(
                request, useCache: true, promptID: prompt.id, promptVersion: prompt.version.description,
                runID: runID, cacheKey: requestKey)
            if outcome.cacheHit, let response = outcome.response,
                ContentHash.sha256(response.text) == reused.answerSHA256
            {
                result.costUSD = outcome.costUSD
                result.latencyMs = outcome.latencyMs
                result.cacheHit = true
                result.model = outcome.response?.model ?? request.model
                result.usage = response.usage
                result.output = response.text
                result.guardDecision = reused.guardDecision
                result.releasedText = reused.guardDecision?.releasedText ?? response.text
                result.rubrics = reused.rubrics
                result.assertions = reused.assertions
                return finish(result, output: response.text)
            }
            prefetched = outcome
        }
        var inputDecision = GuardDecision.allow(evalCase.userMessage)
        if let pipeline {
            inputDecision = await pipeline.checkInput(evalCase.userMessage, language: prompt.language)
            if inputDecision.action == .block {
                // The model is never asked: the safe message is what she would see.
                result.guardDecision = inputDecision
                result.releasedText = inputDecision.releasedText
                return finish(result, output: nil)
            }
        }
        let outcome: CallOutcome
        if let prefetched {
            outcome = prefetched
        } else {
            outcome = await client.complete(
                request, useCache: useCache, promptID: prompt.id, promptVersion: prompt.version.description,
                runID: runID, cacheKey: requestKey)
        }
        result.costUSD = outcome.costUSD
        result.latencyMs = outcome.latencyMs
        result.cacheHit = outcome.cacheHit
        result.model = outcome.response?.model ?? request.model
        guard let response = outcome.response else {
            result.error = outcome.error?.description ?? "no answer"
            result.failures = ["provider error: \(result.error!)"]
            result.guardDecision = pipeline == nil ? nil : inputDecision
            return result
        }
        result.usage = response.usage
        result.output = response.text
        if let pipeline {
            let decision = await pipeline.release(
                response: response.text, input: inputDecision, language: prompt.language,
                userMessage: evalCase.userMessage)
            result.guardDecision = decision
            result.releasedText = decision.releasedText
        } else {
            result.releasedText = response.text
        }
        let context = CriterionContext(
            userMessage: evalCase.userMessage, response: response.text, language: prompt.language, vars: evalCase.vars)
        for rubric in rubrics { result.rubrics.append(await rubric.score(context)) }
        let assertionSpecs = suite.assertions + evalCase.assertions
        let diagnostics = DiagnosticCollector()
        let criteria = assertionSpecs.compactMap {
            CriterionFactory.make($0, judge: nil, signs: signs, diagnostics: diagnostics)
        }
        for criterion in criteria {
            let outcome = await criterion.evaluate(context)
            let threshold = criterion.spec.threshold ?? 1
            result.assertions.append(
                CriterionResult(
                    id: criterion.spec.id, type: criterion.spec.type, weight: 1, threshold: threshold, outcome: outcome,
                    passed: outcome.skipped || (outcome.score ?? 0) >= threshold - 1e-9))
        }
        // Scores of an answer the cache keeps are kept beside it for the next run (never those of a guard that could
        // not answer).
        if let reuseKey, let cache = client.responseCache, result.guardDecision?.unavailable.isEmpty ?? true {
            let payload = ReusedScores(
                answerSHA256: ContentHash.sha256(response.text), guardDecision: result.guardDecision,
                rubrics: result.rubrics, assertions: result.assertions
            ).record
            try? cache.storeResponse(
                CachedResponse(
                    key: reuseKey, provider: "promptctl", model: "scores", payload: payload, costUSD: 0,
                    createdAt: Date()))
        }
        return finish(result, output: response.text)
    }

    /// The key of a cached answer's scores: nil when they may not be reused (no cache, or a judge that answers
    /// afresh).
    func scoresKey(requestKey: String, client: LLMClient, case evalCase: EvalCase, language: String) -> String? {
        guard useCache, judge == nil, let fingerprint = scoringFingerprint, client.responseCache != nil else {
            return nil
        }
        return "scores:"
            + ContentHash.sha256(
                [fingerprint, requestKey, language, ContentHash.sha256(canonical: evalCase)]
                    .joined(separator: "\u{0}"))
    }

    func finish(_ partial: EvalItemResult, output: String?) -> EvalItemResult {
        var result = partial
        var failures: [String] = []
        for rubric in result.rubrics where !rubric.passed {
            let failed = rubric.criteria.filter { !$0.passed }.map { "\($0.id): \($0.outcome.reason)" }
            failures.append(
                "\(rubric.rubric) \(rubric.score.map { DecimalText.fixed($0, 2) } ?? "-") < \(rubric.threshold)"
                    + (failed.isEmpty ? "" : " (\(failed.joined(separator: "; ")))"))
        }
        for assertion in result.assertions where !assertion.passed {
            failures.append("assertion \(assertion.id): \(assertion.outcome.reason)")
        }
        let action = result.guardDecision?.action
        if let expected = result.expectedGuard {
            if action?.rawValue != expected {
                failures.append("expected the guard to \(expected), it decided \(action?.rawValue ?? "nothing")")
            }
        } else if action == .block {
            failures.append("blocked by the guards: \(result.guardDecision?.categories.joined(separator: ", ") ?? "")")
        }
        result.failures = failures
        result.passed = failures.isEmpty && result.error == nil
        let scores = result.rubrics.compactMap(\.score)
        result.score = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
        return result
    }
}

extension Sequence where Element: Hashable {
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}

/// Compiled prompts shared by every item of a run.
final class PreparedCache: @unchecked Sendable {
    private var prompts: [String: PreparedPrompt] = [:]
    private let lock = NSLock()

    func get(_ prompt: PromptVersion, make: () throws -> PreparedPrompt) throws -> PreparedPrompt {
        if let cached = lock.withLock({ prompts[prompt.key] }) { return cached }
        let made = try make()
        lock.withLock { prompts[prompt.key] = made }
        return made
    }
}

/// The scores of a cached answer, kept so that a re-run whose answer, case, rubrics and guards did not change is
/// not scored again.
///
/// Kept as a compact binary record rather than JSON: a fully cached re-run reads one per item, and decoding them with
/// `JSONDecoder` took a sixth of that run's time. A payload of another format (an older JSON one) reads as nil, and
/// the answer is scored afresh.
struct ReusedScores: Sendable, Equatable {
    /// The answer they were given for.
    var answerSHA256: String
    /// The guards' decision (nil when no guard ran).
    var guardDecision: GuardDecision?
    /// Each rubric's result.
    var rubrics: [RubricResult]
    /// Each assertion's result.
    var assertions: [CriterionResult]
}
