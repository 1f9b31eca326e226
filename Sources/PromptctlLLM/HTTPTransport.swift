import Foundation
import Synchronization

/// An HTTP request as the providers build it; no curl types leak out of the transport.
public struct HTTPRequest: Sendable {
    /// GET, POST, ...
    public var method: String
    /// Absolute URL.
    public var url: String
    /// Header name/value pairs, in order.
    public var headers: [(name: String, value: String)]
    /// The body, if any.
    public var body: Data?
    /// Whole-request timeout.
    public var timeout: TimeInterval
    /// Connection timeout.
    public var connectTimeout: TimeInterval
    /// Responses larger than this are cut off with `TransportError.Kind.responseTooLarge`.
    public var maxResponseBytes: Int
    /// The client's bound on requests on the wire, for a transport that queues by lane (nil: no bound here).
    public var lane: TransferLane?

    /// Creates a request.
    public init(
        method: String = "POST", url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
        timeout: TimeInterval = 60, connectTimeout: TimeInterval = 10, maxResponseBytes: Int = 16 << 20,
        lane: TransferLane? = nil
    ) {
        self.lane = lane
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
    }
}

/// One client's bound on its requests on the wire, kept by a transport that queues the requests beyond it and starts
/// the next the moment one ends.
///
/// The caller's own limiter would otherwise hand a finished request's slot to the next one through the task pool,
/// where it waits behind whatever work the answers that just came back started (an evaluation's scoring): measured
/// on 2,000 cases at concurrency 64, 61 of 64 slots were busy on average instead of 64.
public final class TransferLane: Sendable {
    private let bound: Mutex<Int>

    /// Creates a lane that lets `limit` requests (at least one) be on the wire at once.
    public init(limit: Int) {
        bound = Mutex(max(1, limit))
    }

    /// How many of the lane's requests may be on the wire at once; the client's adaptive limit moves it.
    public var limit: Int {
        get { bound.withLock { $0 } }
        set { bound.withLock { $0 = max(1, newValue) } }
    }
}

/// An HTTP response: status, headers (names lower-cased), body and timings.
public struct HTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Headers, names lower-cased; the last value wins.
    public var headers: [String: String]
    /// The body.
    public var body: Data
    /// 1.1, 2, ...
    public var httpVersion: String
    /// Seconds from start to the end of the transfer.
    public var totalTime: TimeInterval

    /// Creates a response.
    public init(
        status: Int, headers: [String: String] = [:], body: Data = Data(), httpVersion: String = "1.1",
        totalTime: TimeInterval = 0
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
        self.totalTime = totalTime
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A piece of a streamed response.
public enum HTTPStreamEvent: Sendable {
    /// Status and headers, once, before any data.
    case head(status: Int, headers: [String: String])
    /// A chunk of the body as it arrived.
    case data(Data)
}

/// A failure below HTTP: no connection, a timeout, a reset, a response too large.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: String, Sendable, Codable {
        case timeout, connectionFailed, connectionReset, responseTooLarge, tls, cancelled, invalidRequest, other
    }

    /// What went wrong.
    public var kind: Kind
    /// The transport's message.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Whether trying again may help.
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .connectionFailed, .connectionReset: true
        case .responseTooLarge, .tls, .cancelled, .invalidRequest, .other: false
        }
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// Sends HTTP requests. The libcurl implementation is `CurlTransport`; tests may supply others.
public protocol HTTPTransport: Sendable {
    /// Sends a request and returns the whole response; throws `TransportError` below HTTP.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
    /// Sends a request and yields the head, then body chunks as they arrive.
    func stream(_ request: HTTPRequest) -> AsyncThrowingStream<HTTPStreamEvent, any Error>
    /// Whether the transport keeps each request's `lane` bound itself, queueing the requests beyond it.
    var queuesByLane: Bool { get }
}

extension HTTPTransport {
    /// A transport keeps no lanes unless it says so: a client then bounds its requests itself.
    public var queuesByLane: Bool { false }
}
