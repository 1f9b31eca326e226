import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The parts of an OpenAI chat request the stub reads.
struct ChatRequest: Decodable {
    struct Message: Decodable {
        var role: String
        var content: String?
    }
    var model: String?
    var messages: [Message]
}

/// The answer's JSON, encoded with the same encoder every time.
struct ChatResponse: Encodable {
    struct Choice: Encodable {
        struct Message: Encodable {
            var role = "assistant"
            var content: String
        }
        var index = 0
        var message: Message
        var finish_reason = "stop"
    }
    struct Usage: Encodable {
        var prompt_tokens: Int
        var completion_tokens: Int
        var total_tokens: Int
    }
    var id = "chatcmpl-stub"
    var object = "chat.completion"
    var model: String
    var choices: [Choice]
    var usage: Usage
}

/// Answers OpenAI chat completions after a fixed latency, on the event loop itself.
///
/// Why not `LoopbackLLMServer` (Hummingbird) here: the benchmark runs the stub on the same two cores as the
/// client, and the Hummingbird stub spent about 400 µs of CPU per request (async bridging, JSONSerialization,
/// recording every request for tests). This handler stays on NIO's event loop, schedules the answer with a
/// NIO timer (Task.sleep overshoots by about 1.5 ms on Linux), and does no bookkeeping, so nearly all of
/// the CPU is left to the client being measured.
final class BenchStubHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let latency: TimeAmount
    private let lateness: LatenessRecorder
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(latency: TimeAmount, lateness: LatenessRecorder) {
        self.latency = latency
        self.lateness = lateness
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let requestHead = head else { return }
            head = nil
            if requestHead.method == .GET && requestHead.uri == "/stats" {
                // How late the stub itself answered (beyond its fixed latency), then reset: the benchmark reads
                // it after a run, to tell the stub's share of the added latency from the client's.
                Self.write(
                    context: context, version: requestHead.version, status: .ok,
                    payload: ByteBuffer(string: lateness.reportAndReset()), keepAlive: requestHead.isKeepAlive)
                return
            }
            // The 50 ms count from the request's arrival, as a server's response time does: the timer is set
            // before the answer is computed, so a burst of requests does not queue behind the stub's own work.
            let arrived = NIODeadline.now()
            let answer = NIOLoopBoundBox<(HTTPResponseStatus, ByteBuffer)?>(nil, eventLoop: context.eventLoop)
            let keepAlive = requestHead.isKeepAlive
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let version = requestHead.version
            let lateness = lateness
            let due = arrived + latency
            context.eventLoop.scheduleTask(deadline: due) {
                guard let (status, payload) = answer.value else { return }
                Self.write(
                    context: loopBoundContext.value, version: version, status: status, payload: payload,
                    keepAlive: keepAlive)
                lateness.record(NIODeadline.now().uptimeNanoseconds &- due.uptimeNanoseconds)
            }
            answer.value = Self.answer(uri: requestHead.uri, body: body)
        }
    }

    private static func write(
        context: ChannelHandlerContext, version: HTTPVersion, status: HTTPResponseStatus, payload: ByteBuffer,
        keepAlive: Bool
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(payload.readableBytes))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        let handler = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.write(
            NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers))),
            promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(payload))), promise: nil)
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in
            if !keepAlive { handler.value.close(promise: nil) }
        }
    }

    /// The status and JSON body for a request: a chat completion, or 404 for any other route.
    static func answer(uri: String, body: ByteBuffer) -> (HTTPResponseStatus, ByteBuffer) {
        guard uri.hasSuffix("/chat/completions"),
            let request = try? JSONDecoder().decode(ChatRequest.self, from: Data(body.readableBytesView))
        else {
            return (.notFound, ByteBuffer(string: "{\"error\":{\"message\":\"unknown route or malformed body\"}}"))
        }
        let system = request.messages.first { $0.role == "system" }?.content ?? ""
        let user = request.messages.last { $0.role == "user" }?.content ?? ""
        let text = "Entendo você. Procure agora a maternidade ou ligue para o SAMU 192. \(user.prefix(40))"
        let promptTokens = max(1, (system.utf8.count + user.utf8.count) / 4)
        let completionTokens = max(1, text.utf8.count / 4)
        let response = ChatResponse(
            model: request.model ?? "stub",
            choices: [.init(message: .init(content: text))],
            usage: .init(
                prompt_tokens: promptTokens, completion_tokens: completionTokens,
                total_tokens: promptTokens + completionTokens))
        let data = (try? JSONEncoder().encode(response)) ?? Data()
        return (.ok, ByteBuffer(bytes: data))
    }
}

/// How late answers left, beyond the fixed latency (timer wake-up and writing the answer), in microseconds.
final class LatenessRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [UInt64] = []

    func record(_ nanoseconds: UInt64) {
        lock.withLock { samples.append(nanoseconds / 1000) }
    }

    /// `{"answers": N, "p50_us": ..., "p99_us": ..., "mean_us": ...}`, then forgets the samples.
    func reportAndReset() -> String {
        let sorted = lock.withLock {
            defer { samples.removeAll() }
            return samples.sorted()
        }
        guard !sorted.isEmpty else { return "{\"answers\": 0}" }
        let mean = Double(sorted.reduce(0, +)) / Double(sorted.count)
        return "{\"answers\": \(sorted.count), \"p50_us\": \(sorted[sorted.count / 2]), "
            + "\"p99_us\": \(sorted[min(sorted.count - 1, sorted.count * 99 / 100)]), \"mean_us\": \(Int(mean))}"
    }
}

/// Starts the stub on 127.0.0.1 and returns the bound channel.
func startBenchStub(port: Int, latency: Double) async throws -> any Channel {
    let amount = TimeAmount.nanoseconds(Int64(latency * 1e9))
    let lateness = LatenessRecorder()
    return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.backlog, value: 1024)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                try channel.pipeline.syncOperations.addHandler(BenchStubHandler(latency: amount, lateness: lateness))
            }
        }
        .bind(host: "127.0.0.1", port: port).get()
}
