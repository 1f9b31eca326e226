import Foundation
import PromptctlCore
import PromptctlLLM

/// The time a client reads and waits on; tests pass a virtual one so that pacing and Retry-After cost no real time.
public struct NotionClock: Sendable {
    /// Seconds on a monotonic scale.
    public var now: @Sendable () -> Double
    /// Waits that many seconds.
    public var sleep: @Sendable (Double) async throws -> Void

    /// Creates a clock.
    public init(now: @escaping @Sendable () -> Double, sleep: @escaping @Sendable (Double) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The machine's monotonic clock and real sleeps.
    public static let system = NotionClock(
        now: { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
        sleep: { seconds in try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9)) })
}

/// Talks to the Notion API through the libcurl transport: the current `Notion-Version`, a bearer token, about
/// three requests a second, 429 (with its Retry-After) and 5xx retried, and 401/403/404/400 explained.
public struct NotionClient: Sendable {
    /// The API version where databases hold data sources.
    public static let apiVersion = "2025-09-03"

    /// The HTTP methods the review needs.
    public enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case patch = "PATCH"
    }

    let baseURL: String
    let token: String
    let tokenEnv: String
    let transport: any HTTPTransport
    let retry: RetryPolicy
    let limiter: RateLimiter
    let clock: NotionClock

    /// Creates a client; `token` is only ever sent in the Authorization header and is removed from error text.
    public init(
        baseURL: String, token: String, tokenEnv: String = NotionConfig.defaultTokenEnv,
        transport: any HTTPTransport, requestsPerSecond: Double = 3,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: 0.5, maxDelay: 30), clock: NotionClock = .system
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.tokenEnv = tokenEnv
        self.transport = transport
        self.retry = retry
        // Notion averages 3 requests a second per integration; a burst of 3 keeps us under it from the start.
        self.limiter = RateLimiter(requestsPerSecond: requestsPerSecond, burst: 3, clock: clock.now)
        self.clock = clock
    }

    /// Sends one API call and returns its JSON; `subject` names what the call is about, for error messages.
    public func send(_ method: Method, _ path: String, body: JSONValue? = nil, subject: String) async throws
        -> JSONValue
    {
        let data = try body?.encoded()
        var headers: [(name: String, value: String)] = [
            ("Authorization", "Bearer \(token)"), ("Notion-Version", Self.apiVersion), ("Accept", "application/json"),
        ]
        if data != nil { headers.append(("Content-Type", "application/json")) }
        let request = HTTPRequest(
            method: method.rawValue, url: baseURL + path, headers: headers, body: data, timeout: 60, connectTimeout: 10)
        var attempt = 0
        while true {
            attempt += 1
            let wait = await limiter.reserve(tokens: 0)
            if wait > 0 { try await clock.sleep(wait) }
            var retryAfter: Double?
            do {
                let response = try await transport.send(request)
                if (200..<300).contains(response.status) {
                    do {
                        return try JSONValue.decode(response.body)
                    } catch {
                        throw PromptctlError(
                            .provider, "Notion answered \(method.rawValue) \(path) with a body that is not JSON",
                            cause: error)
                    }
                }
                let failure = NotionAPIError(response: response, redacting: token)
                // 409 is Notion's "conflict, try again"; 429 and 5xx are transient too.
                let transient = response.status == 429 || response.status == 409 || response.status >= 500
                if !transient { throw failure.promptctlError(subject: subject, tokenEnv: tokenEnv, baseURL: baseURL) }
                if attempt >= retry.maxAttempts {
                    var error = failure.promptctlError(subject: subject, tokenEnv: tokenEnv, baseURL: baseURL)
                    error.message += " after \(attempt) attempts"
                    throw error
                }
                retryAfter = HTTPChatProvider.retryAfter(response.headers)
            } catch let error as TransportError {
                if !error.isRetryable || attempt >= retry.maxAttempts {
                    throw PromptctlError(
                        .infrastructure,
                        "Notion is unreachable at \(baseURL) (\(SecretRedaction.redact(error.description, secret: token)))"
                            + " after \(attempt) attempt(s)",
                        remedy: "check the network, or 'review.notion.api_url' in promptctl.yaml")
                }
            }
            try await clock.sleep(retry.delay(afterAttempt: attempt, retryAfter: retryAfter))
        }
    }
}

/// An error object as Notion sends it: `{"object":"error","status":400,"code":"validation_error","message":...}`.
public struct NotionAPIError: Sendable, Hashable {
    /// The HTTP status.
    public var status: Int
    /// Notion's code (`validation_error`, `unauthorized`, `object_not_found`, `rate_limited`, ...).
    public var code: String
    /// Notion's message, without the token.
    public var message: String

    /// Reads an error response; a body that is not Notion's error object is quoted (briefly) instead.
    public init(response: HTTPResponse, redacting token: String) {
        status = response.status
        let object = try? JSONValue.decode(response.body)
        code = object?["code"]?.string ?? "http_\(response.status)"
        let text = object?["message"]?.string ?? String(response.text.prefix(300))
        message = SecretRedaction.redact(text, secret: token)
    }

    /// The error a person reads, with what to do about it.
    func promptctlError(subject: String, tokenEnv: String, baseURL: String) -> PromptctlError {
        let detail = "\(status) \(code)" + (message.isEmpty ? "" : ": \(message)")
        switch status {
        case 401:
            return PromptctlError(
                .provider, "Notion refused the token in \(tokenEnv) (\(detail))",
                remedy:
                    "copy the integration's Internal Integration Secret (it starts with ntn_) from "
                    + "https://www.notion.so/profile/integrations into \(tokenEnv)")
        case 403, 404:
            return PromptctlError(
                .provider, "Notion cannot reach \(subject) (\(detail)): it is not shared with the integration",
                remedy:
                    "in Notion, open the page that holds the review, click ••• at the top right, then Connections → "
                    + "Connect to → your integration; then run the command again")
        case 429:
            return PromptctlError(
                .provider, "Notion kept limiting the request rate (\(detail))",
                remedy: "wait a minute and run the command again; it resumes where it stopped")
        case 400..<500:
            return PromptctlError(
                .provider, "Notion rejected the request about \(subject) (\(detail))",
                remedy:
                    "if a property of the review database was renamed or deleted in Notion, give it back its name "
                    + "(README, 'Nurse review in Notion'), or create a new database with 'promptctl review notion setup'"
            )
        default:
            return PromptctlError(
                .provider, "Notion failed on \(subject) (\(detail))",
                remedy: "Notion may be down (https://www.notion-status.com); run the command again later")
        }
    }
}
