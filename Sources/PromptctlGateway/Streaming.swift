import Foundation
import Hummingbird
import PromptctlCore
import PromptctlGuards
import PromptctlLLM
import PromptctlStore

extension Gateway {
    /// Where the text up to a sentence end stops (after `.`, `!`, `?`, `…` followed by a space, or a line break), so
    /// the output guards see whole sentences before any of them is released.
    static func lastSentenceEnd(in text: [Character], from start: Int) -> Int? {
        var index = text.count - 1
        while index >= start {
            let character = text[index]
            if character == "\n" { return index + 1 }
            if character.isWhitespace, index > 0, ".!?…".contains(text[index - 1]) { return index }
            index -= 1
        }
        return nil
    }

    /// A streamed completion: text is held until the output guards have passed it, then released sentence by
    /// sentence (or whole, when the policy asks). A blocked answer is cut before the sentence that was blocked.
    func stream(_ body: CompletionBody, requestID: String) async throws(GatewayError) -> ResponseBody {
        let started = DispatchTime.now().uptimeNanoseconds
        let snapshot = snapshot
        let route = try route(body, snapshot: snapshot)
        let (messages, user) = try render(body, route: route)
        let client = try client(for: route.prompt, snapshot: snapshot)
        let language = body.language ?? route.prompt.language
        let pipeline = snapshot.pipeline
        let wholeAnswer = snapshot.streamWholeAnswer
        let model = body.model
        let request = ChatRequest(settings: route.prompt.model, messages: messages)
        return ResponseBody { [self] writer in
            func send(_ text: String) async throws { try await writer.write(ByteBuffer(string: text)) }
            func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6 }
            try await send(
                OpenAIShape.chunk(id: requestID, model: model, delta: ["role": "assistant"], finishReason: nil))
            let input = await pipeline.checkInput(user, language: language)
            var answer: [Character] = []
            var released = 0
            var sent = ""
            var usage = TokenUsage()
            var decision = input
            var failure: ProviderError?
            var blocked = input.action == .block
            /// Checks the answer up to `end` and releases what passed; false when it was blocked.
            func release(upTo end: Int, final: Bool) async throws -> Bool {
                let text = String(answer[..<end])
                decision = await pipeline.release(response: text, input: input, language: language, userMessage: user)
                if decision.action == .block {
                    blocked = true
                    return false
                }
                // Masks keep the length, so the checked prefix lines up with the answer; an escalation's referral
                // comes after it and is sent only at the end.
                let visible = Array(decision.releasedText)
                let upTo = final ? visible.count : min(end, visible.count)
                if upTo > released {
                    let piece = String(visible[released..<upTo])
                    sent += piece
                    try await send(
                        OpenAIShape.chunk(id: requestID, model: model, delta: ["content": piece], finishReason: nil))
                    released = upTo
                }
                return true
            }
            if !blocked {
                do {
                    streaming: for try await delta in client.provider.stream(request) {
                        switch delta {
                        case .usage(let reported): usage = reported
                        case .text(let text):
                            answer.append(contentsOf: text)
                            if !wholeAnswer, let end = Self.lastSentenceEnd(in: answer, from: released), end > released
                            {
                                if try await !release(upTo: end, final: false) { break streaming }
                            }
                        }
                    }
                    if !blocked { _ = try await release(upTo: answer.count, final: true) }
                } catch let error as ProviderError {
                    failure = error
                } catch {
                    // The client went away: what was generated is still recorded below.
                    if Task.isCancelled {
                        failure = ProviderError(.cancelled, "the client disconnected")
                    } else {
                        failure = ProviderError(.transport, "\(error)")
                    }
                }
            }
            if blocked {
                // The blocked part never left: she gets the safe message after what had already passed.
                let safe =
                    decision.action == .block ? decision.releasedText : ReleasePipeline.safeMessage(language: language)
                let piece = sent.isEmpty ? safe : "\n\n" + safe
                sent += piece
                try await send(
                    OpenAIShape.chunk(id: requestID, model: model, delta: ["content": piece], finishReason: nil))
            }
            let cost = client.cost(
                of: ChatResponse(text: "", model: request.model, usage: usage), model: request.model
            ).dollars
            let exchange = exchange(
                body: body, route: route, language: language, user: user, released: sent,
                provider: client.config.name,
                outcome: (
                    failure == nil && input.action != .block
                        ? ChatResponse(text: String(answer), model: request.model, usage: usage) : nil, cost,
                    input.action == .block ? 0 : 1, failure?.description
                ), decision: decision, latencyMs: elapsed())
            // Committed before the last chunk: a client that saw [DONE] has an exchange on disk.
            try await commit(exchange, rollout: route.rollout)
            if let failure {
                let error = Self.providerError(failure)
                try await send("data: " + String(decoding: error.json, as: UTF8.self) + "\n\n")
            } else {
                try await send(
                    OpenAIShape.chunk(
                        id: requestID, model: model, delta: [:], finishReason: blocked ? "content_filter" : "stop",
                        usage: OpenAIShape.usage(prompt: usage.promptTokens, completion: usage.completionTokens)))
            }
            try await send("data: [DONE]\n\n")
            try await writer.finish(nil)
        }
    }
}
