import Foundation
import PromptctlCore

/// The wire format of one provider family: how to build its request and read its answers.
public protocol ChatWireFormat: Sendable {
    /// The JSON body for a request.
    func body(for request: ChatRequest, stream: Bool) throws -> Data
    /// Reads a whole response body.
    func parse(_ body: Data, requestedModel: String) throws -> ChatResponse
    /// Reads one streamed event: text, usage, or nothing; `done` when the stream says it is over.
    func parseStreamEvent(_ event: ServerSentEvent) throws -> (deltas: [StreamDelta], done: Bool)
    /// The provider's own error message from an error body, if it has one.
    func errorMessage(in body: Data) -> String?
}

/// A provider reached over HTTP through an `HTTPTransport`: OpenAI-compatible, Azure OpenAI, Anthropic.
public struct HTTPChatProvider: ChatProvider {
    /// The configured name.
    public let name: String
    let url: String
    let headers: [(name: String, value: String)]
    let secret: String?
    let wire: any ChatWireFormat
    let transport: any HTTPTransport
    let timeout: TimeInterval
    let connectTimeout: TimeInterval
    /// The bound on this provider's requests on the wire, kept by a transport that queues by lane.
    public let lane: TransferLane?

    /// Builds the provider a configuration describes; the key is read from its environment variable now.
    public init(
        config: ProviderConfig, transport: any HTTPTransport,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        name = config.name
        self.transport = transport
        lane = transport.queuesByLane ? TransferLane(limit: config.maxConcurrency) : nil
        timeout = config.timeoutSeconds
        connectTimeout = config.connectTimeoutSeconds
        var secret: String?
        if let variable = config.apiKeyEnv {
            guard let value = environment[variable], !value.isEmpty else {
                throw PromptctlError(
                    .config, "provider '\(config.name)' needs the environment variable \(variable)",
                    remedy: "export \(variable)=... (keys come only from the environment, never from files)")
            }
            secret = value
        }
        self.secret = secret
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        let base = (config.baseURL ?? Self.defaultBaseURL(config.kind)).trimmingCharacters(
            in: CharacterSet(charactersIn: "/"))
        switch config.kind {
        case .openai:
            url = base + "/chat/completions"
            if let secret { headers.append(("Authorization", "Bearer \(secret)")) }
            wire = OpenAIWireFormat(includeModel: true)
        case .azure:
            let deployment = config.deployment ?? ""
            let version = config.apiVersion ?? "2024-10-21"
            url = "\(base)/openai/deployments/\(deployment)/chat/completions?api-version=\(version)"
            if let secret { headers.append(("api-key", secret)) }
            wire = OpenAIWireFormat(includeModel: false)
        case .anthropic:
            url = base + "/v1/messages"
            if let secret { headers.append(("x-api-key", secret)) }
            headers.append(("anthropic-version", "2023-06-01"))
            wire = AnthropicWireFormat()
        case .replay:
            throw PromptctlError(.config, "provider '\(config.name)' is a replay provider, not an HTTP one")
        }
        for (name, value) in config.headers.sorted(by: { $0.key < $1.key }) { headers.append((name, value)) }
        self.headers = headers
    }

    static func defaultBaseURL(_ kind: ProviderConfig.Kind) -> String {
        switch kind {
        case .openai: "https://api.openai.com/v1"
        case .anthropic: "https://api.anthropic.com"
        case .azure, .replay: ""
        }
    }

    func httpRequest(_ request: ChatRequest, stream: Bool) throws -> HTTPRequest {
        HTTPRequest(
            url: url, headers: headers + (stream ? [("Accept", "text/event-stream")] : []),
            body: try wire.body(for: request, stream: stream), timeout: timeout, connectTimeout: connectTimeout,
            lane: lane)
    }

    /// One attempt.
    public func send(_ request: ChatRequest) async throws -> ChatResponse {
        let response: HTTPResponse
        do {
            response = try await transport.send(try httpRequest(request, stream: false))
        } catch let error as TransportError {
            throw redact(
                ProviderError(
                    error.kind == .cancelled ? .cancelled : .transport, error.description,
                    transportRetryable: error.isRetryable))
        }
        guard (200..<300).contains(response.status) else { throw httpError(response) }
        do {
            return try wire.parse(response.body, requestedModel: request.model)
        } catch let error as ProviderError {
            throw redact(error)
        }
    }

    /// Streams deltas over server-sent events.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamDelta, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var parser = ServerSentEventParser()
                    var status = 200
                    var headers: [String: String] = [:]
                    var errorBody = Data()
                    for try await event in transport.stream(try httpRequest(request, stream: true)) {
                        switch event {
                        case .head(let code, let head):
                            status = code
                            headers = head
                        case .data(let chunk):
                            guard (200..<300).contains(status) else {
                                errorBody.append(chunk)
                                continue
                            }
                            for sse in parser.feed(chunk) {
                                let (deltas, _) = try wire.parseStreamEvent(sse)
                                deltas.forEach { continuation.yield($0) }
                            }
                        }
                    }
                    guard (200..<300).contains(status) else {
                        throw httpError(HTTPResponse(status: status, headers: headers, body: errorBody))
                    }
                    for sse in parser.finish() {
                        let (deltas, _) = try wire.parseStreamEvent(sse)
                        deltas.forEach { continuation.yield($0) }
                    }
                    continuation.finish()
                } catch let error as TransportError {
                    continuation.finish(
                        throwing: redact(
                            ProviderError(.transport, error.description, transportRetryable: error.isRetryable)))
                } catch let error as ProviderError {
                    continuation.finish(throwing: redact(error))
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func httpError(_ response: HTTPResponse) -> ProviderError {
        let message = wire.errorMessage(in: response.body) ?? String(response.text.prefix(300))
        let retryAfter = Self.retryAfter(response.headers)
        let kind: ProviderError.Kind =
            switch response.status {
            case 429: .rateLimited
            case 500..<600: .serverError
            case 408: .serverError
            default: .clientError
            }
        return redact(
            ProviderError(
                kind, message.isEmpty ? "no message" : message, status: response.status, retryAfter: retryAfter))
    }

    /// Seconds from `retry-after-ms`, or `retry-after` as seconds or an HTTP date.
    public static func retryAfter(_ headers: [String: String]) -> Double? {
        if let ms = headers["retry-after-ms"].flatMap(Double.init) { return ms / 1000 }
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }

    /// Removes the API key from any text that might be logged or stored (some APIs echo it back).
    func redact(_ error: ProviderError) -> ProviderError {
        var copy = error
        copy.message = SecretRedaction.redact(copy.message, secret: secret)
        return copy
    }
}
