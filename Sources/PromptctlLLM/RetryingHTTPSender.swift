import Foundation

/// Sends a request with the transport's retry rules: 429, 5xx, timeouts and resets are retried with backoff,
/// Retry-After is honoured, other 4xx are not retried. Used by moderation providers and alert webhooks.
public struct RetryingHTTPSender: Sendable {
    let transport: any HTTPTransport
    let retry: RetryPolicy
    let secret: String?

    /// Creates a sender; `secret` is removed from any error text.
    public init(transport: any HTTPTransport, retry: RetryPolicy, secret: String? = nil) {
        self.transport = transport
        self.retry = retry
        self.secret = secret
    }

    /// The first 2xx response; throws `ProviderError` after the last attempt or on a non-retryable answer.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            var retryAfter: Double?
            do {
                let response = try await transport.send(request)
                if (200..<300).contains(response.status) { return response }
                let failure = "HTTP \(response.status): \(String(response.text.prefix(200)))"
                let retryable = response.status == 429 || response.status >= 500
                retryAfter = HTTPChatProvider.retryAfter(response.headers)
                if !retryable || attempt >= retry.maxAttempts {
                    throw ProviderError(
                        response.status == 429 ? .rateLimited : (response.status >= 500 ? .serverError : .clientError),
                        redact(failure), status: response.status)
                }
            } catch let error as TransportError {
                if !error.isRetryable || attempt >= retry.maxAttempts {
                    throw ProviderError(.transport, redact(error.description), transportRetryable: error.isRetryable)
                }
            }
            try await Task.sleep(nanoseconds: UInt64(retry.delay(afterAttempt: attempt, retryAfter: retryAfter) * 1e9))
        }
    }

    func redact(_ text: String) -> String {
        SecretRedaction.redact(text, secret: secret)
    }
}
