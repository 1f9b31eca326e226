import Foundation
import PromptctlCore
import PromptctlLLM
import PromptctlRendering

/// Model-graded scoring: judge prompts are versioned prompts; k samples are voted; calls go through the cache.
public struct JudgeService: Sendable {
    /// The judge's client (its provider, cache and limits).
    public let client: LLMClient
    /// The project holding the judge prompts.
    public let project: Project
    /// The evaluation run, for call records.
    public let runID: String?

    /// Creates a judge.
    public init(client: LLMClient, project: Project, runID: String? = nil) {
        self.client = client
        self.project = project
        self.runID = runID
    }

    /// One sample's verdict.
    struct Verdict: Decodable {
        var score: Double?
        var reason: String?
        var winner: String?
    }

    /// Extracts the first JSON object from a model's answer (models wrap JSON in prose or fences).
    static func parseVerdict(_ text: String) -> Verdict? {
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"), start < end else { return nil }
        let body = String(text[start...end])
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else {
            return nil
        }
        let score: Double? =
            (object["score"] as? NSNumber)?.doubleValue ?? (object["score"] as? String).flatMap(Double.init)
        return Verdict(
            score: score.map { $0 > 1 && $0 <= 10 ? $0 / 10 : $0 }, reason: object["reason"] as? String,
            winner: object["winner"] as? String)
    }

    func render(_ promptID: String, values: [String: String]) throws -> (PromptVersion, [ChatMessage]) {
        let prompt = try project.resolve(PromptReference(id: promptID))
        return (prompt, try PromptRenderer(project: project).render(prompt, values: values))
    }

    /// Grades one answer against a criterion with `samples` judge calls; the median score wins.
    public func grade(promptID: String, criterion: String, context: CriterionContext, samples: Int) async
        -> CriterionOutcome
    {
        let prompt: PromptVersion
        let messages: [ChatMessage]
        do {
            (prompt, messages) = try render(
                promptID,
                values: ["user_message": context.userMessage, "response": context.response, "criterion": criterion])
        } catch {
            return .failed("judge prompt \(promptID): \(error)")
        }
        var verdicts: [(score: Double, reason: String)] = []
        var errors: [String] = []
        for sample in 0..<max(1, samples) {
            let request = ChatRequest(
                settings: prompt.model, messages: messages, modelOverride: client.config.model, repeatIndex: sample)
            let outcome = await client.complete(
                request, promptID: prompt.id, promptVersion: prompt.version.description, runID: runID)
            guard let response = outcome.response else {
                errors.append(outcome.error?.description ?? "no answer")
                continue
            }
            if let verdict = Self.parseVerdict(response.text), let score = verdict.score, (0...1).contains(score) {
                verdicts.append((score, verdict.reason ?? ""))
            } else {
                errors.append("unparseable verdict: \(response.text.prefix(80))")
            }
        }
        guard !verdicts.isEmpty else {
            return .failed("the judge gave no valid verdict (\(errors.first ?? "no sample"))")
        }
        let sorted = verdicts.sorted { $0.score < $1.score }
        let median = sorted[sorted.count / 2]
        var reason = "judge: \(median.reason)"
        if sorted.count > 1 {
            reason +=
                " [\(sorted.count) samples: \(sorted.map { DecimalText.fixed($0.score, 2) }.joined(separator: ", "))]"
        }
        return .scored(median.score, reason)
    }

    /// Which of two answers is better.
    public enum Preference: String, Sendable, Codable {
        case candidate, baseline, tie
    }

    /// Pairwise comparison with positions swapped: a winner only when both orders agree.
    public func compare(promptID: String, userMessage: String, candidate: String, baseline: String, criterion: String)
        async -> (preference: Preference, reason: String)
    {
        func ask(_ a: String, _ b: String) async -> Verdict? {
            guard
                let (prompt, messages) = try? render(
                    promptID,
                    values: ["user_message": userMessage, "answer_a": a, "answer_b": b, "criterion": criterion])
            else { return nil }
            let request = ChatRequest(settings: prompt.model, messages: messages, modelOverride: client.config.model)
            let outcome = await client.complete(
                request, promptID: prompt.id, promptVersion: prompt.version.description, runID: runID)
            return outcome.response.flatMap { Self.parseVerdict($0.text) }
        }
        let first = await ask(candidate, baseline)
        let second = await ask(baseline, candidate)
        let firstWinner = first?.winner?.uppercased()
        let secondWinner = second?.winner?.uppercased()
        if firstWinner == "A" && secondWinner == "B" {
            return (.candidate, first?.reason ?? "")
        }
        if firstWinner == "B" && secondWinner == "A" {
            return (.baseline, first?.reason ?? "")
        }
        return (
            .tie, "the judge's preference changed with the order (\(firstWinner ?? "?") then \(secondWinner ?? "?"))"
        )
    }
}

/// `llm-judge`: a model grades the answer against a written criterion.
struct LLMJudgeCriterion: Criterion {
    let spec: CriterionSpec
    let promptID: String
    let criterion: String
    let samples: Int
    let judge: JudgeService?

    init(spec: CriterionSpec, judge: JudgeService?, diagnostics: DiagnosticCollector) {
        self.spec = spec
        self.judge = judge
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        promptID = reader.text("prompt", required: true) ?? ""
        criterion = reader.text("criterion", required: true) ?? ""
        samples = Int(reader.number("samples") ?? 3)
        reader.rejectUnknown()
        if samples < 1 || samples > 15 {
            diagnostics.error("criterion '\(spec.id)': samples must be 1 to 15", at: spec.location)
        }
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        guard let judge else { return .skipped("no judge provider (pass --judge NAME)") }
        return await judge.grade(promptID: promptID, criterion: criterion, context: context, samples: samples)
    }
}
