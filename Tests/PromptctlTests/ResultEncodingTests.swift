import Foundation
import PromptctlCore
import PromptctlGuards
import PromptctlReports
import Testing

@testable import PromptctlEval
@testable import PromptctlLLM

/// The result's hand-written JSON against `JSONEncoder`, and the cached scores' binary record, on random results.
@Suite("result encoding")
struct ResultEncodingTests {
    /// SplitMix64: the same results on every machine, so a failure names a seed that reproduces it.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Text with what JSON must escape (every control character, quotes, backslashes), what it must not (slashes,
    /// DEL, line and paragraph separators, a byte-order mark) and characters of every UTF-8 length.
    static func text(_ random: inout SeededGenerator) -> String {
        let pieces = [
            "Procure a maternidade", "\"aspas\"", "barra \\ invertida", "a/b", "\u{7F}", "\u{2028}\u{2029}", "\u{FEFF}",
            "ação", "👍🏽", "日本", "", " ", "</script>", "&amp;",
        ]
        var result = ""
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            if Bool.random(using: &random) {
                result.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0...0x1F, using: &random)))
            } else {
                result += pieces.randomElement(using: &random)!
            }
        }
        return result
    }

    static func number(_ random: inout SeededGenerator) -> Double {
        let special: [Double] = [0, -0.0, 1, -1, 0.85, 0.7, 73.5, 1e21, 1e-7, 0.1 + 0.2, 1e16, 5e-324, 123_456.789, 2]
        return Bool.random(using: &random)
            ? special.randomElement(using: &random)! : Double.random(in: -1e6...1e6, using: &random)
    }

    static func maybe<T>(_ random: inout SeededGenerator, _ make: (inout SeededGenerator) -> T) -> T? {
        Bool.random(using: &random) ? make(&random) : nil
    }

    static func criterion(_ random: inout SeededGenerator) -> CriterionResult {
        CriterionResult(
            id: text(&random), type: text(&random), weight: number(&random), threshold: maybe(&random, number),
            outcome: CriterionOutcome(
                score: maybe(&random, number), reason: text(&random), skipped: Bool.random(using: &random),
                error: maybe(&random, text)),
            passed: Bool.random(using: &random))
    }

    static func decision(_ random: inout SeededGenerator) -> GuardDecision {
        let findings = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            GuardFinding(
                guardName: text(&random), category: text(&random), severity: number(&random),
                action: GuardAction.allCases.randomElement(using: &random)!, match: maybe(&random, text),
                range: maybe(&random) { random in
                    (0..<Int.random(in: 0...2, using: &random)).map { _ in Int.random(in: -5...100_000, using: &random)
                    }
                },
                reason: text(&random), message: maybe(&random, text))
        }
        return GuardDecision(
            action: GuardAction.allCases.randomElement(using: &random)!, findings: findings,
            releasedText: text(&random), needsReview: Bool.random(using: &random),
            unavailable: (0..<Int.random(in: 0...2, using: &random)).map { _ in text(&random) })
    }

    static func rubrics(_ random: inout SeededGenerator) -> [RubricResult] {
        (0..<Int.random(in: 0...3, using: &random)).map { _ in
            RubricResult(
                rubric: text(&random), score: maybe(&random, number), threshold: number(&random),
                passed: Bool.random(using: &random),
                criteria: (0..<Int.random(in: 0...4, using: &random)).map { _ in criterion(&random) })
        }
    }

    static func result(_ random: inout SeededGenerator) -> EvalItemResult {
        EvalItemResult(
            item: EvalPlanItem(
                key: text(&random), side: Bool.random(using: &random) ? .candidate : .baseline,
                promptID: text(&random), promptVersion: text(&random), language: text(&random),
                persona: text(&random), provider: text(&random), caseID: text(&random),
                repeatIndex: Int.random(in: 0...10, using: &random)),
            messages: (0..<Int.random(in: 0...3, using: &random)).map { _ in
                ChatMessage(role: MessageRole.allCases.randomElement(using: &random)!, content: text(&random))
            },
            userMessage: text(&random), model: maybe(&random, text), output: maybe(&random, text),
            releasedText: maybe(&random, text), error: maybe(&random, text),
            usage: TokenUsage(
                promptTokens: Int.random(in: 0...100_000, using: &random),
                cachedPromptTokens: Int.random(in: 0...1000, using: &random),
                completionTokens: Int.random(in: 0...5000, using: &random)),
            costUSD: number(&random), latencyMs: number(&random), cacheHit: Bool.random(using: &random),
            guardDecision: maybe(&random, decision), expectedGuard: maybe(&random, text), rubrics: rubrics(&random),
            assertions: (0..<Int.random(in: 0...3, using: &random)).map { _ in criterion(&random) },
            passed: Bool.random(using: &random), score: maybe(&random, number),
            failures: (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random) })
    }

    @Test(
        "a result's written JSON is byte for byte what JSONEncoder writes, on 2,000 random results", arguments: [1, 2])
    func sameBytesAsTheEncoder(seed: UInt64) throws {
        var random = SeededGenerator(state: seed)
        let encoder = JSONReport.resultEncoder()
        for index in 0..<1000 {
            let result = Self.result(&random)
            let expected = try encoder.encode(result)
            let written = try result.sortedJSON()
            #expect(
                written == expected,
                "seed \(seed), result \(index):\n\(String(decoding: written, as: UTF8.self))\n\(String(decoding: expected, as: UTF8.self))"
            )
            if written != expected { return }
        }
    }

    /// A chat request with every optional field present or not, and text that JSON must escape.
    static func request(_ random: inout SeededGenerator) -> ChatRequest {
        ChatRequest(
            model: text(&random),
            messages: (0..<Int.random(in: 0...3, using: &random)).map { _ in
                ChatMessage(role: MessageRole.allCases.randomElement(using: &random)!, content: text(&random))
            },
            temperature: maybe(&random, number),
            maxTokens: maybe(&random) { Int.random(in: 0...8192, using: &$0) },
            topP: maybe(&random, number),
            stop: maybe(&random) { random in (0..<Int.random(in: 0...2, using: &random)).map { _ in text(&random) } },
            seed: maybe(&random) { Int.random(in: -5...1_000_000, using: &$0) },
            jsonMode: Bool.random(using: &random), repeatIndex: Int.random(in: 0...4, using: &random))
    }

    @Test("a request's canonical JSON (its cache and recording key) is byte for byte the encoder's")
    func requestKeyUnchanged() throws {
        var random = SeededGenerator(state: 5)
        let encoder = JSONReport.resultEncoder()
        for index in 0..<1000 {
            let request = Self.request(&random)
            let written = try request.sortedJSON()
            #expect(written == (try encoder.encode(request)), "request \(index)")
            #expect(request.fingerprint == ContentHash.sha256(canonical: request))
            if written != (try encoder.encode(request)) { return }
        }
    }

    @Test("an OpenAI request body is byte for byte what JSONEncoder writes with sorted keys")
    func openAIBodyUnchanged() throws {
        var random = SeededGenerator(state: 7)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for index in 0..<1000 {
            let request = Self.request(&random)
            let wire = OpenAIWireFormat(includeModel: Bool.random(using: &random))
            let stream = Bool.random(using: &random)
            let written = try wire.body(for: request, stream: stream)
            let expected = try encoder.encode(wire.wireBody(for: request, stream: stream))
            #expect(
                written == expected,
                "request \(index):\n\(String(decoding: written, as: UTF8.self))\n\(String(decoding: expected, as: UTF8.self))"
            )
            if written != expected { return }
        }
    }

    @Test("a number JSON cannot hold is refused, as the encoder refuses it")
    func invalidNumbers() throws {
        var random = SeededGenerator(state: 3)
        for value in [Double.nan, .infinity, -.infinity] {
            var result = Self.result(&random)
            result.latencyMs = value
            #expect(throws: (any Error).self) { try JSONReport.resultEncoder().encode(result) }
            #expect(throws: SortedJSONWriter.InvalidNumber.self) { try result.sortedJSON() }
        }
    }

    @Test("cached scores read back equal from their record; cut, padded or JSON payloads read as nothing")
    func scoresRecord() throws {
        var random = SeededGenerator(state: 4)
        for _ in 0..<500 {
            let scores = ReusedScores(
                answerSHA256: Self.text(&random), guardDecision: Self.maybe(&random, Self.decision),
                rubrics: Self.rubrics(&random),
                assertions: (0..<Int.random(in: 0...3, using: &random)).map { _ in Self.criterion(&random) })
            let record = scores.record
            #expect(ReusedScores(record: record) == scores)
            let cut = Int.random(in: 0..<record.count, using: &random)
            #expect(ReusedScores(record: record.prefix(cut)) == nil, "cut at \(cut) of \(record.count)")
            #expect(ReusedScores(record: record + [0]) == nil)
        }
        // A payload an older version kept (JSON) is not this format: the answer is scored again, not misread.
        #expect(ReusedScores(record: Data(#"{"answerSHA256":"x","rubrics":[],"assertions":[]}"#.utf8)) == nil)
        #expect(ReusedScores(record: Data()) == nil)
    }
}
