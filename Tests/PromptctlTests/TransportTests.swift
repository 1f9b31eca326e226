import Foundation
import PromptctlCore
import PromptctlLLM
import PromptctlStore
import PromptctlTesting
import Testing

/// Provider and transport behaviour against a real HTTP server on 127.0.0.1, through libcurl.
@Suite("libcurl transport and providers")
struct TransportTests {
    let transport = CurlTransport()
    let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.05)

    func client(
        _ kind: ProviderConfig.Kind, server: String, environment: [String: String] = ["STUB_KEY": "sk-test-123"],
        configure: (inout ProviderConfig) -> Void = { _ in }, cache: (any ResponseCache)? = nil,
        callLog: (any CallLog)? = nil, retry: RetryPolicy? = nil
    ) throws -> LLMClient {
        var config = ProviderConfig(name: "stub-\(kind.rawValue)", kind: kind, baseURL: server, apiKeyEnv: "STUB_KEY")
        if kind == .openai { config.baseURL = server + "/v1" }
        if kind == .azure {
            config.deployment = "gpt-4o-mini"
            config.apiVersion = "2024-10-21"
        }
        configure(&config)
        let provider = try HTTPChatProvider(config: config, transport: transport, environment: environment)
        return LLMClient(
            provider: provider, config: config,
            prices: PriceTable(prices: ["gpt-4o-mini": ModelPrice(input: 0.15, cachedInput: 0.075, output: 0.6)]),
            cache: cache, callLog: callLog, retry: retry ?? fastRetry)
    }

    let request = ChatRequest(
        model: "gpt-4o-mini",
        messages: [
            ChatMessage(role: .system, content: "Você é uma enfermeira."),
            ChatMessage(role: .user, content: "Estou com 30 semanas e com azia."),
        ], temperature: 0.2, maxTokens: 100)

    @Test("OpenAI: answer, usage with cached tokens, bearer key, body fields")
    func openAIHappyPath() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        let outcome = try await client(.openai, server: server.baseURL).complete(request)
        let response = try #require(outcome.response)
        #expect(response.text == "Resposta simulada para: Estou com 30 semanas e com azia.")
        #expect(response.usage.promptTokens > 0)
        #expect(response.usage.cachedPromptTokens == response.usage.promptTokens / 2)
        #expect(outcome.attempts == 1)
        #expect(outcome.costUSD > 0)
        let received = try #require(await server.requests().first)
        #expect(received.uri == "/v1/chat/completions")
        #expect(received.headers["authorization"] == "Bearer sk-test-123")
        #expect(received.json?["model"] as? String == "gpt-4o-mini")
        #expect(received.json?["max_tokens"] as? Int == 100)
        #expect((received.json?["messages"] as? [[String: Any]])?.count == 2)
    }

    @Test("over plain http the first requests of a fresh transport leave together, not behind the first answer")
    func freshConnectionsDoNotWait() async throws {
        // Waiting for the first connection's ALPN (HTTP/2) makes sense over TLS only: over http it held every request
        // of an evaluation's first wave until the first answer came back, so at most 7 of 8 were ever in flight at
        // once. The server holds each answer 1.5 s, so all 8 are in flight together when they leave together.
        let server = try await LoopbackLLMServer.start(latency: 1.5)
        defer { Task { await server.stop() } }
        let fresh = CurlTransport()
        let config = ProviderConfig(
            name: "stub", kind: .openai, baseURL: server.baseURL + "/v1", maxConcurrency: 8, maxAttempts: 1)
        let client = LLMClient(
            provider: try HTTPChatProvider(config: config, transport: fresh, environment: [:]), config: config)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    var numbered = request
                    numbered.repeatIndex = index
                    return await client.complete(numbered, useCache: false).succeeded
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: true, count: 8))
        #expect(await server.peakInFlight() == 8)
    }

    @Test("Azure OpenAI: deployment URL, api-version, api-key header")
    func azure() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        let outcome = try await client(.azure, server: server.baseURL).complete(request)
        #expect(outcome.response != nil)
        let received = try #require(await server.requests().first)
        #expect(received.uri == "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21")
        #expect(received.headers["api-key"] == "sk-test-123")
        #expect(received.headers["authorization"] == nil)
        #expect(received.json?["model"] == nil)
    }

    @Test("Anthropic: system apart, x-api-key, version header, usage includes cache reads")
    func anthropic() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        let outcome = try await client(.anthropic, server: server.baseURL).complete(request)
        let response = try #require(outcome.response)
        #expect(response.text.hasPrefix("Resposta simulada"))
        #expect(response.usage.cachedPromptTokens == 3)
        let received = try #require(await server.requests().first)
        #expect(received.uri == "/v1/messages")
        #expect(received.headers["x-api-key"] == "sk-test-123")
        #expect(received.headers["anthropic-version"] == "2023-06-01")
        #expect(received.json?["system"] as? String == "Você é uma enfermeira.")
        #expect((received.json?["messages"] as? [[String: Any]])?.count == 1)
    }

    @Test("429 with Retry-After is honoured, then succeeds; concurrency halves")
    func retryAfter() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.enqueue(
            .status(429, body: #"{"error":{"message":"Rate limit reached"}}"#, headers: ["Retry-After": "1"]))
        let llm = try client(.openai, server: server.baseURL) { $0.maxConcurrency = 8 }
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome = await llm.complete(request)
        #expect(outcome.response != nil)
        #expect(outcome.attempts == 2)
        #expect(secondsSince(start) >= 0.95)
        #expect(await llm.limiter.limit == 4)
        // The transport keeps the halved bound on the wire too.
        #expect(llm.provider.lane?.limit == 4)
    }

    @Test("5xx is retried with backoff; other 4xx is not, and keeps the provider's message")
    func serverAndClientErrors() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.enqueue(.status(500, body: "{}"), .status(503, body: "{}"))
        let recovered = try await client(.openai, server: server.baseURL).complete(request)
        #expect(recovered.response != nil)
        #expect(recovered.attempts == 3)

        await server.enqueue(.status(400, body: #"{"error":{"message":"max_tokens is too large"}}"#))
        let rejected = try await client(.openai, server: server.baseURL).complete(request)
        #expect(rejected.response == nil)
        #expect(rejected.attempts == 1)
        #expect(rejected.error?.kind == .clientError)
        #expect(rejected.error?.message == "max_tokens is too large")

        await server.enqueue(.status(500, body: "{}"), .status(500, body: "{}"), .status(500, body: "{}"))
        let exhausted = try await client(.openai, server: server.baseURL).complete(request)
        #expect(exhausted.attempts == 3)
        #expect(exhausted.error?.kind == .serverError)
    }

    @Test("a slow answer times out and is retried; the final error says timeout")
    func timeout() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.enqueue(.slow(seconds: 2), .slow(seconds: 2))
        let llm = try client(
            .openai, server: server.baseURL, configure: { $0.timeoutSeconds = 0.3 },
            retry: .init(maxAttempts: 2, baseDelay: 0.01))
        let outcome = await llm.complete(request)
        #expect(outcome.response == nil)
        #expect(outcome.attempts == 2)
        #expect(outcome.error?.kind == .transport)
        #expect(outcome.error?.message.contains("timeout") == true)
    }

    @Test("a connection closed without a reply, and a truncated body, are retryable transport errors")
    func connectionFaults() async throws {
        for fault in [FaultyTCPServer.Fault.closeImmediately, .truncatedBody] {
            let server = try await FaultyTCPServer.start(fault)
            let outcome = try await client(.openai, server: server.baseURL).complete(request)
            #expect(outcome.response == nil)
            #expect(outcome.attempts == 3)
            #expect(outcome.error?.kind == .transport)
            #expect(outcome.error?.isRetryable == true)
            await server.stop()
        }
    }

    @Test("nothing listening: connection refused is reported, not a crash")
    func connectionRefused() async throws {
        // A port bound but not listening refuses connections, and no other test can take it while it is held; a port
        // merely closed again was once reused by a server of a test running beside this one.
        let (socket, port) = try boundButNotListening()
        defer { close(socket) }
        let outcome = try await client(.openai, server: "http://127.0.0.1:\(port)").complete(request)
        #expect(outcome.error?.kind == .transport)
        #expect(outcome.error?.message.contains("connectionFailed") == true)
    }

    @Test("truncated and malformed JSON are malformed responses, not retried")
    func badJSON() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.enqueue(.truncatedJSON, .malformedJSON)
        let first = try await client(.openai, server: server.baseURL).complete(request)
        let second = try await client(.openai, server: server.baseURL).complete(request)
        for outcome in [first, second] {
            #expect(outcome.error?.kind == .malformedResponse)
            #expect(outcome.attempts == 1)
        }
    }

    @Test("a response over the size cap is cut off")
    func sizeCap() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.enqueue(.hugeBody(bytes: 200_000))
        let http = HTTPRequest(
            url: server.baseURL + "/v1/chat/completions", headers: [("Content-Type", "application/json")],
            body: Data("{}".utf8), maxResponseBytes: 10_000)
        await #expect(throws: TransportError.self) { _ = try await transport.send(http) }
        do {
            _ = try await transport.send(http)
        } catch let error as TransportError {
            // The second request is answered normally and is small enough.
            Issue.record("unexpected \(error)")
        }
    }

    @Test(
        "streaming: OpenAI and Anthropic deltas add up to the answer, with usage",
        arguments: [ProviderConfig.Kind.openai, .anthropic])
    func streaming(kind: ProviderConfig.Kind) async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        let llm = try client(kind, server: server.baseURL)
        var text = ""
        var usage: [TokenUsage] = []
        var pieces = 0
        for try await delta in llm.provider.stream(request) {
            switch delta {
            case .text(let piece):
                text += piece
                pieces += 1
            case .usage(let value): usage.append(value)
            }
        }
        #expect(text == "Resposta simulada para: Estou com 30 semanas e com azia.")
        #expect(pieces > 3)
        #expect(usage.contains { $0.completionTokens > 0 })
        let received = try #require(await server.requests().first)
        #expect(received.json?["stream"] as? Bool == true)
    }

    @Test(
        "a client's bound holds on the wire while as many again wait at the transport, and a slot is refilled at once")
    func laneBound() async throws {
        // The limiter lets 8 calls through for a bound of 4: the 4 beyond it wait in the transport's queue, which
        // starts one the moment another ends (in the loop's turn, not through the task pool).
        let server = try await LoopbackLLMServer.start(latency: 0.3)
        defer { Task { await server.stop() } }
        let llm = try client(.openai, server: server.baseURL) { $0.maxConcurrency = 4 }
        let start = DispatchTime.now().uptimeNanoseconds
        let successes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<12 {
                var numbered = request
                numbered.repeatIndex = index
                let single = numbered
                group.addTask { await llm.complete(single, useCache: false).succeeded }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(successes == 12)
        // At most 4 (fewer only when a loaded machine starts the calls late).
        #expect(await server.peakInFlight() <= 4)
        // Three rounds of 0.3 s at least: never more than 4 at the server.
        #expect(secondsSince(start) >= 0.85)
    }

    @Test(
        "a call cancelled while it waits in its lane's queue never reaches the server and frees nothing it did not hold"
    )
    func laneCancel() async throws {
        let server = try await LoopbackLLMServer.start(latency: 0.6)
        defer { Task { await server.stop() } }
        let llm = try client(.openai, server: server.baseURL) { $0.maxConcurrency = 1 }
        var first = request
        first.repeatIndex = 1
        var second = request
        second.repeatIndex = 2
        let onWire = Task { [first] in await llm.complete(first, useCache: false) }
        try await Task.sleep(nanoseconds: 100_000_000)
        let waiting = Task { [second] in await llm.complete(second, useCache: false) }
        try await Task.sleep(nanoseconds: 100_000_000)
        waiting.cancel()
        let cancelled = await waiting.value
        #expect(cancelled.error?.kind == .cancelled)
        #expect(await onWire.value.succeeded)
        // The lane still has its one slot: the next call goes through, and only one was ever at the server.
        var third = request
        third.repeatIndex = 3
        #expect(await llm.complete(third, useCache: false).succeeded)
        #expect(await server.peakInFlight() == 1)
        // The first and the third: the cancelled one never left (nor did it when cancelled before its transfer was
        // even queued, which a loaded machine makes likely).
        #expect(await server.requests().count == 2)
    }

    @Test("many requests are in flight at once over one transport")
    func concurrency() async throws {
        let server = try await LoopbackLLMServer.start(latency: 0.2)
        defer { Task { await server.stop() } }
        let llm = try client(.openai, server: server.baseURL) { $0.maxConcurrency = 32 }
        let successes = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<32 {
                var numbered = request
                numbered.messages[1].content += " #\(index)"
                let single = numbered
                group.addTask { await llm.complete(single).succeeded }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(successes == 32)
        // Counted at the server rather than timed, so a loaded CI machine cannot make it flaky: a serial
        // transport would never have more than one request open while the stub sleeps its 0.2 s.
        #expect(await server.peakInFlight() >= 16)
    }

    @Test(
        "the cache: a hit costs nothing and keeps its original cost; repeats and --no-cache miss; errors are not cached"
    )
    func cache() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try AppDatabase(path: directory.path("store.sqlite"))
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        let llm = try client(.openai, server: server.baseURL, cache: database)
        let first = await llm.complete(request)
        let second = await llm.complete(request)
        #expect(first.cacheHit == false)
        #expect(second.cacheHit == true)
        #expect(second.costUSD == 0)
        #expect(second.originalCostUSD == first.costUSD)
        #expect(second.response == first.response)
        var repeated = request
        repeated.repeatIndex = 1
        #expect(await llm.complete(repeated).cacheHit == false)
        #expect(await llm.complete(request, useCache: false).cacheHit == false)
        #expect(await server.requests().count == 3)

        var failing = request
        failing.messages[1].content = "erro"
        await server.enqueue(.status(400, body: "{}"))
        #expect(await llm.complete(failing).succeeded == false)
        #expect(await llm.complete(failing).succeeded == true)
        #expect(try database.cacheStatistics().entries == 3)
        #expect(try database.clearCache() == 3)
    }

    @Test("a canary API key never reaches errors, the call log or the database file")
    func canaryKey() async throws {
        let canary = "sk-canary-\(UUID().uuidString)"
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try AppDatabase(path: directory.path("store.sqlite"))
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.enqueue(.status(401, body: #"{"error":{"message":"Incorrect API key provided: \#(canary)."}}"#))
        let llm = try client(
            .openai, server: server.baseURL, environment: ["STUB_KEY": canary], cache: database, callLog: database)
        let failed = await llm.complete(request)
        #expect(failed.error?.message.contains(canary) == false)
        #expect(failed.error?.message.contains("[redacted]") == true)
        _ = await llm.complete(request)
        #expect(try database.callRecords().count == 2)
        for record in try database.callRecords() { #expect(!(record.error ?? "").contains(canary)) }
        try database.checkpoint()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.url.path) {
            let bytes = try Data(contentsOf: directory.url.appendingPathComponent(file))
            #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(file) holds the key")
        }
        let received = try #require(await server.requests().first)
        #expect(received.headers["authorization"] == "Bearer \(canary)")
    }

    @Test("a key holding a quote or a backslash is redacted in the JSON-escaped form a server echoes back")
    func quotedCanaryKey() async throws {
        let canary = #"sk-"can\ary/"# + UUID().uuidString
        let escaped = String(
            decoding: try JSONSerialization.data(withJSONObject: canary, options: .fragmentsAllowed), as: UTF8.self
        ).dropFirst().dropLast()
        #expect(escaped != canary[...])
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.enqueue(.status(401, body: #"{"error":{"message":"Incorrect API key provided: \#(escaped)."}}"#))
        let llm = try client(.openai, server: server.baseURL, environment: ["STUB_KEY": canary])
        let message = try #require(await llm.complete(request).error?.message)
        #expect(!message.contains(canary) && !message.contains(String(escaped)), "\(message)")
        #expect(!message.contains("can\\ary") && !message.contains("ary/"), "\(message)")
        #expect(message.contains("[redacted]"))
    }

    @Test("a provider whose key variable is unset is a configuration error naming the variable")
    func missingKey() throws {
        let config = ProviderConfig(name: "openai", kind: .openai, apiKeyEnv: "PROMPTCTL_TEST_UNSET_KEY")
        #expect {
            _ = try HTTPChatProvider(config: config, transport: transport, environment: [:])
        } throws: { error in
            (error as? PromptctlError)?.message.contains("PROMPTCTL_TEST_UNSET_KEY") == true
                && (error as? PromptctlError)?.exitStatus == .usageOrConfig
        }
    }
}

/// A loopback TCP socket bound to a free port without listening: connections to it are refused.
func boundButNotListening() throws -> (socket: Int32, port: Int) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw PromptctlError(.infrastructure, "socket() failed") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard bound == 0, named == 0 else {
        close(descriptor)
        throw PromptctlError(.infrastructure, "bind() failed")
    }
    return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
}
