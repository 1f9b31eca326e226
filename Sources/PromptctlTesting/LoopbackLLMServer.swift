import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PromptctlCore

/// A scripted fault or behaviour for the next request to a chat route.
public enum StubBehavior: Sendable {
    /// Answer normally.
    case answer
    /// Answer with this status, body and headers.
    case status(Int, body: String, headers: [String: String] = [:])
    /// Wait, then answer normally.
    case slow(seconds: Double)
    /// 200 with a body that is not JSON.
    case malformedJSON
    /// 200 with JSON cut off in the middle.
    case truncatedJSON
    /// 200 with a body larger than `bytes`.
    case hugeBody(bytes: Int)
}

/// One request the server received, for assertions.
public struct ReceivedRequest: Sendable {
    /// The path (with query).
    public var uri: String
    /// Headers, names lower-cased.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// The body as a JSON object.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}

/// A real HTTP server on 127.0.0.1 (Hummingbird) that plays OpenAI, Azure OpenAI and Anthropic,
/// including their errors, slow answers, bad JSON and streaming; for tests and benchmarks.
public final class LoopbackLLMServer: Sendable {
    /// The bound port.
    public let port: Int
    private let task: Task<Void, any Error>
    private let state: StubState

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts a server on a free port.
    ///
    /// - Parameters:
    ///   - latency: added to every answer (benchmarks use 50 ms).
    ///   - answer: the assistant text for a request, from its system and last user message.
    public static func start(
        port requestedPort: Int = 0, latency: Double = 0,
        answer: @escaping @Sendable (_ system: String, _ user: String) -> String = { _, user in
            "Resposta simulada para: \(user)"
        }
    ) async throws -> LoopbackLLMServer {
        let state = StubState(latency: latency, answer: answer)
        let router = Router()
        router.post("/v1/chat/completions") { request, context in
            try await state.handle(request, context: context, flavor: .openai)
        }
        router.post("/openai/deployments/:deployment/chat/completions") { request, context in
            try await state.handle(request, context: context, flavor: .azure)
        }
        router.post("/v1/messages") { request, context in
            try await state.handle(request, context: context, flavor: .anthropic)
        }
        router.post("/v1/moderations") { request, context in
            try await state.handle(request, context: context, flavor: .openaiModeration)
        }
        router.post("/contentsafety/text:analyze") { request, context in
            try await state.handle(request, context: context, flavor: .azureContentSafety)
        }
        router.post("/webhook") { request, context in
            try await state.handle(request, context: context, flavor: .webhook)
        }
        let (port, task) = try await runOnLoopback(
            router, port: requestedPort, serverName: "promptctl-stub", what: "the loopback server")
        return LoopbackLLMServer(port: port, task: task, state: state)
    }

    private init(port: Int, task: Task<Void, any Error>, state: StubState) {
        self.port = port
        self.task = task
        self.state = state
    }

    /// Stops the server.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// Scripts the next requests' behaviours, in order; after them, requests are answered normally.
    public func enqueue(_ behaviors: StubBehavior...) async { await state.enqueue(behaviors) }

    /// Every request received so far.
    public func requests() async -> [ReceivedRequest] { await state.received }

    /// The most requests that were being answered at the same moment so far.
    public func peakInFlight() async -> Int { await state.peakInFlight }

    /// Sets what moderation routes answer (raw JSON by text).
    public func setModeration(_ responder: @escaping @Sendable (_ text: String) -> String) async {
        await state.setModeration(responder)
    }
}

enum StubFlavor: Sendable {
    case openai, azure, anthropic, openaiModeration, azureContentSafety, webhook
}

actor StubState {
    let latency: Double
    let answer: @Sendable (String, String) -> String
    var queue: [StubBehavior] = []
    var received: [ReceivedRequest] = []
    var moderation: (@Sendable (String) -> String)?
    var inFlight = 0
    var peakInFlight = 0

    init(latency: Double, answer: @escaping @Sendable (String, String) -> String) {
        self.latency = latency
        self.answer = answer
    }

    func enqueue(_ behaviors: [StubBehavior]) { queue += behaviors }

    func setModeration(_ responder: @escaping @Sendable (String) -> String) { moderation = responder }

    func began() {
        inFlight += 1
        peakInFlight = max(peakInFlight, inFlight)
    }

    func ended() { inFlight -= 1 }

    func next(_ request: ReceivedRequest) -> StubBehavior {
        received.append(request)
        return queue.isEmpty ? .answer : queue.removeFirst()
    }

    nonisolated func handle(_ request: Request, context: some RequestContext, flavor: StubFlavor) async throws
        -> Response
    {
        let buffer = try await request.body.collect(upTo: 64 << 20)
        let body = Data(buffer: buffer)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let received = ReceivedRequest(uri: request.uri.description, headers: headers, body: body)
        let behavior = await next(received)
        await began()
        // Counted out before the answer is returned, so a client that sends its next request the moment it reads
        // this answer is never seen as one more in flight (a decrement left to a later task was, under load).
        do {
            let response = try await respond(body: body, behavior: behavior, flavor: flavor)
            await ended()
            return response
        } catch {
            await ended()
            throw error
        }
    }

    nonisolated func respond(body: Data, behavior: StubBehavior, flavor: StubFlavor) async throws -> Response {
        // Zero tolerance: the default timer leeway would add milliseconds of jitter to a fixed-latency stub.
        if latency > 0 { try await Task.sleep(for: .nanoseconds(Int64(latency * 1e9)), tolerance: .zero) }
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        switch behavior {
        case .answer:
            break
        case .status(let code, let text, let extra):
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            for (name, value) in extra {
                if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
            }
            return Response(
                status: .init(code: code), headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
        case .slow(let seconds):
            try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        case .malformedJSON:
            return Self.jsonResponse("<html>gateway hiccup</html>")
        case .truncatedJSON:
            return Self.jsonResponse("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"Ol")
        case .hugeBody(let bytes):
            return Self.jsonResponse(String(repeating: "x", count: bytes))
        }
        switch flavor {
        case .openai, .azure:
            let messages = json["messages"] as? [[String: Any]] ?? []
            let system = messages.first { $0["role"] as? String == "system" }?["content"] as? String ?? ""
            let user = messages.last { $0["role"] as? String == "user" }?["content"] as? String ?? ""
            let text = answer(system, user)
            let model = json["model"] as? String ?? "azure-deployment"
            let promptTokens = max(1, (system.utf8.count + user.utf8.count) / 4)
            let completionTokens = max(1, text.utf8.count / 4)
            if json["stream"] as? Bool == true {
                return Self.openAIStream(
                    text: text, model: model, promptTokens: promptTokens, completionTokens: completionTokens)
            }
            return Self.jsonResponse(
                Self.encode([
                    "id": "chatcmpl-stub", "object": "chat.completion", "model": model,
                    "choices": [
                        ["index": 0, "message": ["role": "assistant", "content": text], "finish_reason": "stop"]
                    ],
                    "usage": [
                        "prompt_tokens": promptTokens, "completion_tokens": completionTokens,
                        "total_tokens": promptTokens + completionTokens,
                        "prompt_tokens_details": ["cached_tokens": promptTokens / 2],
                    ],
                ]))
        case .anthropic:
            let messages = json["messages"] as? [[String: Any]] ?? []
            let system = json["system"] as? String ?? ""
            let user = messages.last { $0["role"] as? String == "user" }?["content"] as? String ?? ""
            let text = answer(system, user)
            let model = json["model"] as? String ?? "claude"
            let input = max(1, (system.utf8.count + user.utf8.count) / 4)
            let output = max(1, text.utf8.count / 4)
            if json["stream"] as? Bool == true {
                return Self.anthropicStream(text: text, model: model, input: input, output: output)
            }
            return Self.jsonResponse(
                Self.encode([
                    "id": "msg_stub", "type": "message", "role": "assistant", "model": model,
                    "content": [["type": "text", "text": text]], "stop_reason": "end_turn",
                    "usage": ["input_tokens": input, "output_tokens": output, "cache_read_input_tokens": 3],
                ]))
        case .openaiModeration, .azureContentSafety:
            let text = (json["input"] as? String) ?? (json["text"] as? String) ?? ""
            let responder = await moderation
            return Self.jsonResponse(responder?(text) ?? "{}")
        case .webhook:
            return Self.jsonResponse("{\"ok\":true}")
        }
    }

    static func encode(_ object: [String: Any]) -> String {
        String(
            decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(),
            as: UTF8.self)
    }

    static func jsonResponse(_ text: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func sse(_ events: [String]) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "text/event-stream"
        return Response(
            status: .ok, headers: fields,
            body: ResponseBody { writer in
                for event in events {
                    try await writer.write(ByteBuffer(string: event))
                    try await Task.sleep(nanoseconds: 5_000_000)
                }
                try await writer.finish(nil)
            })
    }

    static func words(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == " " {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    static func openAIStream(text: String, model: String, promptTokens: Int, completionTokens: Int) -> Response {
        var events = words(text).map { piece in
            "data: " + encode(["model": model, "choices": [["index": 0, "delta": ["content": piece]]]]) + "\n\n"
        }
        events.append(
            "data: "
                + encode([
                    "model": model, "choices": [] as [Any],
                    "usage": ["prompt_tokens": promptTokens, "completion_tokens": completionTokens],
                ]) + "\n\n")
        events.append("data: [DONE]\n\n")
        return sse(events)
    }

    static func anthropicStream(text: String, model: String, input: Int, output: Int) -> Response {
        var events = [
            "event: message_start\ndata: "
                + encode(["type": "message_start", "message": ["model": model, "usage": ["input_tokens": input]]])
                + "\n\n"
        ]
        events += words(text).map { piece in
            "event: content_block_delta\ndata: "
                + encode(["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": piece]])
                + "\n\n"
        }
        events.append(
            "event: message_delta\ndata: " + encode(["type": "message_delta", "usage": ["output_tokens": output]])
                + "\n\n")
        events.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
        return sse(events)
    }
}
