import Foundation
import PromptctlCore
import PromptctlLLM
import Testing

/// One live call to a real model (SmolLM2-135M-Instruct behind llama.cpp's OpenAI-compatible server) through the
/// real libcurl transport. scripts/test.sh installs and starts the server and sets PROMPTCTL_LIVE_LLM_URL; CI runs it.
@Suite("live local model")
struct LiveModelTests {
    static let url = ProcessInfo.processInfo.environment["PROMPTCTL_LIVE_LLM_URL"]

    @Test(
        "a real model answers through libcurl, with usage", .enabled(if: url != nil, "scripts/test.sh starts the model")
    )
    func liveCall() async throws {
        let config = ProviderConfig(
            name: "local", kind: .openai, baseURL: Self.url, model: "smollm2", maxConcurrency: 2, maxAttempts: 3,
            timeoutSeconds: 120)
        let provider = try HTTPChatProvider(config: config, transport: CurlTransport(), environment: [:])
        let client = LLMClient(provider: provider, config: config)
        let outcome = await client.complete(
            ChatRequest(
                model: "smollm2",
                messages: [
                    ChatMessage(role: .system, content: "You are a helpful assistant. Answer in one short sentence."),
                    ChatMessage(role: .user, content: "What is the capital of France?"),
                ], temperature: 0, maxTokens: 24))
        let response = try #require(outcome.response, "\(String(describing: outcome.error))")
        #expect(!response.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(response.usage.promptTokens > 10)
        #expect(response.usage.completionTokens > 0)
        #expect(response.usage.completionTokens <= 24)

        var streamed = ""
        for try await delta in provider.stream(
            ChatRequest(
                model: "smollm2", messages: [ChatMessage(role: .user, content: "Say hello.")], temperature: 0,
                maxTokens: 12))
        {
            if case .text(let piece) = delta { streamed += piece }
        }
        #expect(!streamed.isEmpty)
    }
}
