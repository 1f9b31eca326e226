import Foundation
import PromptctlCore
import PromptctlKit
import PromptctlLLM
import PromptctlTesting
import Testing

@testable import PromptctlGuards

/// The release guards: the term filter, the pipeline's decisions, and the moderation providers.
@Suite("release guards")
struct GuardTests {
    let filter = TermFilter(categories: [
        TermCategory(
            name: "drug", severity: 0.9, inputAction: .escalate, outputAction: .block,
            messages: ["pt-BR": "Fale com sua equipe."],
            terms: ["misoprostol", "cytotec", "isotretinoína", "ácido valproico", "suicid*"]),
        TermCategory(
            name: "dose", severity: 0.8, inputAction: nil, outputAction: .redact, messages: [:], terms: [],
            patterns: [#"\b\d+\s?mg\b"#]),
    ])

    @Test(
        "matching ignores case, accents, repeated letters, spacing and leetspeak, and returns the original span",
        arguments: [
            ("Tomei MISOPROSTOL ontem", "MISOPROSTOL"),
            ("usei misoproooostol", "misoproooostol"),
            ("c y t o t e c resolve?", "c y t o t e c"),
            ("comprei Cyt0t3c", "Cyt0t3c"),
            ("isotretinoina faz mal?", "isotretinoina"),
            ("ISOTRETINOÍNA", "ISOTRETINOÍNA"),
            ("tomo acido  valproico", "acido  valproico"),
            ("penso em suicídio", "suicídio"),
        ])
    func matches(text: String, expected: String) {
        let found = filter.scan(text)
        #expect(found.map(\.matched) == [expected], "\(found)")
    }

    @Test("word boundaries are respected; innocent words do not match")
    func boundaries() {
        #expect(filter.scan("Cytotecnologia é uma área da biologia").isEmpty)
        #expect(filter.scan("antimisoprostol").isEmpty)
        #expect(filter.scan("Bom dia! Como está o bebê?").isEmpty)
    }

    @Test("ten thousand terms are one automaton, scanned in one pass")
    func manyTerms() {
        let terms = (0..<10_000).map { "termo\($0)x" } + ["misoprostol"]
        let big = TermFilter(categories: [
            TermCategory(name: "t", severity: 1, inputAction: .block, outputAction: .block, messages: [:], terms: terms)
        ])
        #expect(big.termCount == 10_001)
        #expect(big.scan("nada aqui e termo9999x e misoprostol").map(\.matched) == ["termo9999x", "misoprostol"])
    }

    func pipeline(moderation: (any TextGuard)? = nil, policy: UnavailablePolicy = .failClosed) -> ReleasePipeline {
        var guards: [any TextGuard] = [filter]
        if let moderation { guards.append(moderation) }
        return ReleasePipeline(inputGuards: guards, outputGuards: guards, unavailablePolicy: policy)
    }

    @Test("block replaces the answer with the message; redact masks the span; escalate appends and flags review")
    func decisions() async {
        let blocked = await pipeline().check(userMessage: "Oi", response: "Use cytotec.", language: "pt-BR")
        #expect(blocked.action == .block)
        #expect(blocked.releasedText == "Fale com sua equipe.")
        #expect(blocked.needsReview)

        let redacted = await pipeline().check(userMessage: "Oi", response: "Tome 500 mg agora.", language: "pt-BR")
        #expect(redacted.action == .redact)
        #expect(redacted.releasedText == "Tome ██████ agora.")
        #expect(redacted.findings.first?.match == "500 mg")

        let escalated = await pipeline().check(
            userMessage: "Posso tomar misoprostol?", response: "Não tome nada sem orientação.", language: "pt-BR")
        #expect(escalated.action == .escalate)
        #expect(escalated.releasedText.hasSuffix("Fale com sua equipe."))
        #expect(escalated.needsReview)
        #expect(escalated.findings.first?.reason.contains("input contains \"misoprostol\"") == true)
    }

    struct Down: TextGuard {
        var name: String { "moderation" }
        func check(_ text: String, stage: GuardStage, language: String) async throws -> [GuardFinding] {
            throw ProviderError(.transport, "connection refused")
        }
    }

    @Test("a moderation service that is down blocks by default (fail closed), or releases for review (fail open)")
    func unavailable() async {
        let closed = await pipeline(moderation: Down()).check(userMessage: "Oi", response: "Bom dia", language: "en")
        #expect(closed.action == .block)
        #expect(closed.releasedText == ReleasePipeline.safeMessage(language: "en"))
        // Input failed closed, so the answer was never checked (nor, in a real exchange, generated).
        #expect(closed.unavailable.count == 1)
        let open = await pipeline(moderation: Down(), policy: .failOpen).check(
            userMessage: "Oi", response: "Bom dia", language: "en")
        #expect(open.action == .escalate)
        #expect(open.releasedText == "Bom dia")
        #expect(open.needsReview)
    }

    @Test("the built-in model gives the training script's scores on its probe texts")
    func builtinParity() throws {
        let model = try BuiltinModeration()
        let probeURL = repositoryRoot.appendingPathComponent("Sources/PromptctlGuards/Resources/moderation/probe.json")
        let probes = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: probeURL)) as? [[String: Any]])
        #expect(probes.count >= 5)
        for probe in probes {
            let text = try #require(probe["text"] as? String)
            let expected = try #require(probe["score"] as? Double)
            #expect(abs(model.rawScore(text) - expected) < 1e-4, "\(text)")
        }
    }

    @Test("the moderation model's Latin-1 tokens are fold's tokens, on 5,000 random texts of every Latin-1 scalar")
    func builtinLatin1Tokens() {
        var random = ResultEncodingTests.SeededGenerator(state: 13)
        // Every Latin-1 scalar, runs of one letter, and a few outside Latin-1 (which take the general path).
        let pieces =
            (0..<0x100).map { String(Unicode.Scalar(UInt8($0))) } + [
                "aaaa", "KKKK", "ÃÃÃ", "ããa", "Çç", "0000", "!!!", "mãe", "CORAÇÃO", "a\u{303}", "ß", "İ", "😡", "ﬁ",
            ]
        var latin1 = 0
        for index in 0..<5000 {
            let text = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                pieces.randomElement(using: &random)!
            }.joined()
            if BuiltinModeration.latin1Fold(text) != nil { latin1 += 1 }
            let tokens = BuiltinModeration.tokens(text)
            #expect(
                tokens == BuiltinModeration.foldedTokens(text), "text \(index): \(text.unicodeScalars.map(\.value))")
            if tokens != BuiltinModeration.foldedTokens(text) { return }
        }
        #expect(latin1 > 1000)
        // The present features, sorted without repeats, whatever the dimension.
        for dimension in [1 << 18, 1 << 16, 100] {
            let words = BuiltinModeration.tokens("kkkk q raiva, q raiva!! vc é um idiota idiota 2024")
            #expect(
                BuiltinModeration.featureIndices(words: words, dimension: dimension)
                    == Array(Set(BuiltinModeration.featureHashes(words: words, dimension: dimension))).sorted())
        }
        #expect(
            BuiltinModeration.tokens("Tô com DOR de cabeçaaaa, 1000 vezes @user") == [
                "to", "com", "dor", "de", "cabecaa", "100", "vezes",
            ])
    }

    @Test("Enelvo's neighbours join spellings the tweets never taught: krl, crl and caralho share a feature")
    func builtinNeighbours() throws {
        let model = try BuiltinModeration()
        let canonical = model.neighbourFeatures("caralho")
        #expect(!canonical.isEmpty)
        #expect(!model.neighbourFeatures("krl").isDisjoint(with: canonical))
        #expect(!model.neighbourFeatures("CRL!!").isDisjoint(with: canonical))
        #expect(model.neighbourFeatures("qwzxv").isEmpty)
        // The block moves the score: a noisy insult scores higher with its neighbours than without them.
        let noisy = "vc é um krl de fdp"
        let withoutNeighbours = BuiltinModeration.score(
            model.metadata.bias, BuiltinModeration.features(noisy, dimension: model.metadata.dimension),
            weights: model.weights)
        #expect(model.rawScore(noisy) > withoutNeighbours)
    }

    @Test("a damaged neighbour table is refused with what to do, not read past its end")
    func damagedNeighbourTable() throws {
        let url = repositoryRoot.appendingPathComponent("Sources/PromptctlGuards/Resources/moderation/neighbours.bin")
        let table = try Data(contentsOf: url)
        #expect(try ModerationNeighbours(contentsOf: table).keys.count > 100_000)
        for damaged in [table.prefix(table.count - 2), Data("PCNX".utf8) + table.dropFirst(4), Data()] {
            let error = #expect(throws: PromptctlError.self) { try ModerationNeighbours(contentsOf: Data(damaged)) }
            #expect(error?.remedy?.contains("train-moderation.py") == true)
        }
    }

    @Test("the built-in moderation flags insults in pt, en and es and lets ordinary messages through")
    func builtinModeration() async throws {
        let model = try BuiltinModeration()
        #expect(try await model.moderate("sua vagabunda idiota", language: "pt-BR").flagged)
        #expect(try await model.moderate("you stupid bitch", language: "en").flagged)
        #expect(try await model.moderate("eres una idiota", language: "es").flagged)
        #expect(!(try await model.moderate("Bom dia, o bebê está mexendo bastante hoje!", language: "pt-BR").flagged))
        #expect(!(try await model.moderate("Thank you for the help", language: "en").flagged))
        // In Portuguese the model decides: a swear word in a friendly tweet is not flagged by the lexicon alone
        // (ToLD-Br's annotators mostly did not call those toxic), but a threat is.
        #expect(!(try await model.moderate("porra, que jogo bom demais", language: "pt-BR").flagged))
        let threat = try await model.moderate("eu vou te matar", language: "pt-BR")
        #expect(threat.flagged && threat.categories.contains("threat"))
        #expect(try await model.moderate("porra", language: "en").flagged)
    }

    @Test(
        "Azure AI Content Safety: request shape, severity thresholds, blocklists, retries on 500, key never in errors")
    func azure() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.setModeration { text in
            text.contains("odio")
                ? #"{"blocklistsMatch":[{"blocklistName":"maternal","blocklistItemText":"odio"}],"categoriesAnalysis":[{"category":"Hate","severity":4},{"category":"SelfHarm","severity":0}]}"#
                : #"{"blocklistsMatch":[],"categoriesAnalysis":[{"category":"Hate","severity":0},{"category":"SelfHarm","severity":2}]}"#
        }
        let key = "azure-canary-\(UUID().uuidString)"
        let azure = try AzureContentSafety(
            endpoint: server.baseURL, apiKeyEnv: "CS_KEY", transport: CurlTransport(),
            thresholds: ["Hate": 4, "SelfHarm": 4], blocklists: ["maternal"], haltOnBlocklistHit: true,
            environment: ["CS_KEY": key])
        await server.enqueue(.status(500, body: "{}"))
        let hateful = try await azure.moderate("texto de odio", language: "pt-BR")
        #expect(hateful.flagged)
        #expect(hateful.categories.contains("Hate"))
        #expect(hateful.categories.contains("blocklist:maternal"))
        let mild = try await azure.moderate("texto normal", language: "pt-BR")
        #expect(!mild.flagged)
        #expect(abs((mild.scores["SelfHarm"] ?? 0) - 2.0 / 7.0) < 1e-9)
        let requests = await server.requests()
        #expect(requests.count == 3)
        #expect(requests[0].uri == "/contentsafety/text:analyze?api-version=2024-09-01")
        #expect(requests[0].headers["ocp-apim-subscription-key"] == key)
        #expect(requests[0].json?["blocklistNames"] as? [String] == ["maternal"])
        #expect(requests[0].json?["haltOnBlocklistHit"] as? Bool == true)

        await server.enqueue(.status(401, body: #"{"error":{"message":"bad key \#(key)"}}"#))
        do {
            _ = try await azure.moderate("x", language: "pt-BR")
            Issue.record("a 401 must fail")
        } catch let error as ProviderError {
            #expect(!error.message.contains(key))
            #expect(error.status == 401)
        }
    }

    @Test("OpenAI moderation: omni model, thresholds on category_scores, the service's own flag otherwise")
    func openAI() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.setModeration { _ in
            #"{"results":[{"flagged":false,"categories":{"self-harm":false,"harassment":false},"category_scores":{"self-harm":0.35,"harassment":0.01}}]}"#
        }
        let own = try OpenAIModeration(
            baseURL: server.baseURL + "/v1", apiKeyEnv: "K", transport: CurlTransport(), environment: ["K": "sk-x"])
        #expect(!(try await own.moderate("x", language: "en").flagged))
        let strict = try OpenAIModeration(
            baseURL: server.baseURL + "/v1", apiKeyEnv: "K", transport: CurlTransport(), thresholds: ["self-harm": 0.3],
            environment: ["K": "sk-x"])
        let result = try await strict.moderate("x", language: "en")
        #expect(result.flagged)
        #expect(result.categories == ["self-harm"])
        let request = try #require(await server.requests().first)
        #expect(request.uri == "/v1/moderations")
        #expect(request.json?["model"] as? String == "omni-moderation-latest")
        #expect(request.headers["authorization"] == "Bearer sk-x")
    }
}
