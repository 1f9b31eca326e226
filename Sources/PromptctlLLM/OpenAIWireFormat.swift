import Foundation
import PromptctlCore

/// OpenAI chat completions (also Azure OpenAI, Ollama, vLLM, llama.cpp server, LiteLLM).
struct OpenAIWireFormat: ChatWireFormat {
    /// Azure takes the model from the deployment in the URL.
    let includeModel: Bool

    struct Body: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }
        struct ResponseFormat: Encodable { var type: String }
        struct StreamOptions: Encodable {
            var include_usage: Bool
        }
        var model: String?
        var messages: [Message]
        var temperature: Double?
        var max_tokens: Int?
        var top_p: Double?
        var stop: [String]?
        var seed: Int?
        var response_format: ResponseFormat?
        var stream: Bool?
        var stream_options: StreamOptions?
    }

    struct Reply: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            struct Delta: Decodable { var content: String? }
            var message: Message?
            var delta: Delta?
            var finish_reason: String?
        }
        struct Usage: Decodable {
            struct Details: Decodable { var cached_tokens: Int? }
            var prompt_tokens: Int?
            var completion_tokens: Int?
            var prompt_tokens_details: Details?
        }
        var model: String?
        var choices: [Choice]?
        var usage: Usage?
    }

    struct ErrorReply: Decodable {
        struct Detail: Decodable { var message: String? }
        var error: Detail?
    }

    func body(for request: ChatRequest, stream: Bool) throws -> Data {
        // Every request of an evaluation and every exchange of the gateway goes through here; the generic
        // encoder's containers were 3% of the gateway's CPU. The same bytes (a test compares them).
        try wireBody(for: request, stream: stream).sortedJSON(
            capacity: 256 + request.messages.reduce(0) { $0 + $1.content.utf8.count + 32 })
    }

    /// The body's fields, as the provider names them.
    func wireBody(for request: ChatRequest, stream: Bool) -> Body {
        Body(
            model: includeModel ? request.model : nil,
            messages: request.messages.map { .init(role: $0.role.rawValue, content: $0.content) },
            temperature: request.temperature, max_tokens: request.maxTokens, top_p: request.topP, stop: request.stop,
            seed: request.seed, response_format: request.jsonMode ? .init(type: "json_object") : nil,
            stream: stream ? true : nil, stream_options: stream ? .init(include_usage: true) : nil)
    }

    func usage(_ usage: Reply.Usage?) -> TokenUsage {
        TokenUsage(
            promptTokens: usage?.prompt_tokens ?? 0,
            cachedPromptTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
            completionTokens: usage?.completion_tokens ?? 0)
    }

    func parse(_ body: Data, requestedModel: String) throws -> ChatResponse {
        let reply: Reply
        do {
            reply = try JSONDecoder().decode(Reply.self, from: body)
        } catch {
            throw ProviderError(
                .malformedResponse,
                "the answer is not chat-completion JSON: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        guard let choice = reply.choices?.first, let text = choice.message?.content else {
            throw ProviderError(.malformedResponse, "the answer has no choices[0].message.content")
        }
        return ChatResponse(
            text: text, model: reply.model ?? requestedModel, usage: usage(reply.usage),
            finishReason: choice.finish_reason)
    }

    func parseStreamEvent(_ event: ServerSentEvent) throws -> (deltas: [StreamDelta], done: Bool) {
        if event.data == "[DONE]" { return ([], true) }
        guard let reply = try? JSONDecoder().decode(Reply.self, from: Data(event.data.utf8)) else {
            throw ProviderError(.malformedResponse, "a streamed chunk is not JSON: \(event.data.prefix(120))")
        }
        var deltas: [StreamDelta] = []
        if let text = reply.choices?.first?.delta?.content, !text.isEmpty { deltas.append(.text(text)) }
        if reply.usage != nil { deltas.append(.usage(usage(reply.usage))) }
        return (deltas, false)
    }

    func errorMessage(in body: Data) -> String? {
        (try? JSONDecoder().decode(ErrorReply.self, from: body))?.error?.message
    }
}

extension OpenAIWireFormat.Body: SortedJSONEncodable {
    /// Writes the body with its keys sorted, as `JSONEncoder` with `.sortedKeys` writes it.
    func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("max_tokens", max_tokens)
        try writer.field("messages", messages)
        writer.field("model", model)
        try writer.field("response_format", response_format)
        writer.field("seed", seed)
        writer.field("stop", stop)
        if let stream { writer.field("stream", stream) }
        try writer.field("stream_options", stream_options)
        try writer.field("temperature", temperature)
        try writer.field("top_p", top_p)
        writer.endObject()
    }
}

extension OpenAIWireFormat.Body.Message: SortedJSONEncodable {
    func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("content", content)
        writer.field("role", role)
        writer.endObject()
    }
}

extension OpenAIWireFormat.Body.ResponseFormat: SortedJSONEncodable {
    func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("type", type)
        writer.endObject()
    }
}

extension OpenAIWireFormat.Body.StreamOptions: SortedJSONEncodable {
    func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("include_usage", include_usage)
        writer.endObject()
    }
}

/// Anthropic Messages.
struct AnthropicWireFormat: ChatWireFormat {
    struct Body: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }
        var model: String
        var max_tokens: Int
        var system: String?
        var messages: [Message]
        var temperature: Double?
        var top_p: Double?
        var stop_sequences: [String]?
        var stream: Bool?
    }

    struct Usage: Decodable {
        var input_tokens: Int?
        var output_tokens: Int?
        var cache_read_input_tokens: Int?
        var cache_creation_input_tokens: Int?
    }

    struct Reply: Decodable {
        struct Block: Decodable {
            var type: String
            var text: String?
        }
        var model: String?
        var content: [Block]?
        var stop_reason: String?
        var usage: Usage?
    }

    struct StreamEvent: Decodable {
        struct Delta: Decodable {
            var type: String?
            var text: String?
        }
        struct Message: Decodable { var usage: Usage? }
        var type: String
        var delta: Delta?
        var usage: Usage?
        var message: Message?
        var error: ErrorReply.Detail?
    }

    struct ErrorReply: Decodable {
        struct Detail: Decodable {
            var type: String?
            var message: String?
        }
        var error: Detail?
    }

    func body(for request: ChatRequest, stream: Bool) throws -> Data {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        let body = Body(
            model: request.model, max_tokens: request.maxTokens ?? 1024, system: system.isEmpty ? nil : system,
            messages: request.messages.filter { $0.role != .system }.map {
                .init(role: $0.role.rawValue, content: $0.content)
            },
            temperature: request.temperature, top_p: request.topP, stop_sequences: request.stop,
            stream: stream ? true : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(body)
    }

    /// Anthropic's input_tokens excludes cache reads and writes; ours includes them.
    func usage(_ usage: Usage?) -> TokenUsage {
        let read = usage?.cache_read_input_tokens ?? 0
        let created = usage?.cache_creation_input_tokens ?? 0
        return TokenUsage(
            promptTokens: (usage?.input_tokens ?? 0) + read + created, cachedPromptTokens: read,
            completionTokens: usage?.output_tokens ?? 0)
    }

    func parse(_ body: Data, requestedModel: String) throws -> ChatResponse {
        guard let reply = try? JSONDecoder().decode(Reply.self, from: body) else {
            throw ProviderError(
                .malformedResponse,
                "the answer is not Messages JSON: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        guard let blocks = reply.content else {
            throw ProviderError(.malformedResponse, "the answer has no content blocks")
        }
        let text = blocks.filter { $0.type == "text" }.compactMap(\.text).joined()
        return ChatResponse(
            text: text, model: reply.model ?? requestedModel, usage: usage(reply.usage), finishReason: reply.stop_reason
        )
    }

    func parseStreamEvent(_ event: ServerSentEvent) throws -> (deltas: [StreamDelta], done: Bool) {
        guard let parsed = try? JSONDecoder().decode(StreamEvent.self, from: Data(event.data.utf8)) else {
            throw ProviderError(.malformedResponse, "a streamed event is not JSON: \(event.data.prefix(120))")
        }
        switch parsed.type {
        case "content_block_delta":
            if let text = parsed.delta?.text { return ([.text(text)], false) }
        case "message_start":
            if let usage = parsed.message?.usage { return ([.usage(self.usage(usage))], false) }
        case "message_delta":
            if let usage = parsed.usage {
                return ([.usage(TokenUsage(completionTokens: usage.output_tokens ?? 0))], false)
            }
        case "message_stop":
            return ([], true)
        case "error":
            throw ProviderError(.serverError, parsed.error?.message ?? "stream error")
        default:
            break
        }
        return ([], false)
    }

    func errorMessage(in body: Data) -> String? {
        (try? JSONDecoder().decode(ErrorReply.self, from: body))?.error?.message
    }
}
