import Foundation
import Hummingbird
import Logging
import PromptctlCore
import PromptctlMonitor
import PromptctlStore

/// The gateway's HTTP surface (Hummingbird), built the way Hummingbird's template builds an application.
public enum GatewayApplication {
    /// The routes: `POST /v1/chat/completions`, `GET /healthz`, `GET /metrics`.
    public static func buildRouter(gateway: Gateway) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in
            let snapshot = gateway.snapshot
            let body = OpenAIShape.data([
                "status": "ok", "prompts": snapshot.project.promptIDs.count,
                "canaries": snapshot.project.promptIDs.compactMap { snapshot.project.labels.canary(of: $0) }.count,
            ])
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(data: body)))
        }
        router.get("/metrics") { _, _ in
            let text = try gateway.metricsText()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.post("/v1/chat/completions") { request, _ in
            await gateway.handle(request)
        }
        return router
    }

    /// The application on `host:port`; `onRunning` receives the bound port (0 asks for a free one).
    public static func buildApplication(
        gateway: Gateway, host: String, port: Int, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: buildRouter(gateway: gateway),
            configuration: .init(address: .hostname(host, port: port), serverName: "promptctl"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

extension Gateway {
    /// One `POST /v1/chat/completions`: every failure is an OpenAI-style error, logged, with nothing half-written.
    func handle(_ request: Request) async -> Response {
        let requestID = "chatcmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        counters.withLockedValue { $0.inFlight += 1 }
        defer { counters.withLockedValue { $0.inFlight -= 1 } }
        do throws(GatewayError) {
            guard authorised(request.headers[.authorization]) else {
                throw GatewayError(
                    .unauthorized, "a valid client key is required: send 'Authorization: Bearer KEY'",
                    code: "invalid_api_key")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: options.maxBodyBytes)
            } catch {
                throw GatewayError(
                    .contentTooLarge, "the body is larger than the limit of \(options.maxBodyBytes) bytes",
                    code: "request_too_large")
            }
            var timing = ServerTiming()
            let body = try CompletionBody.parse(Data(buffer: buffer))
            timing.mark(.parse)
            let parsed = timing
            if body.stream {
                let stream = try await stream(body, requestID: requestID)
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: stream)
            }
            let (data, finished) = try await withTimeout(options.requestTimeout) {
                () async throws(GatewayError) -> (Data, ServerTiming) in
                try await self.complete(body, requestID: requestID, timing: parsed)
            }
            var phases = finished
            phases.mark(.respond)
            return Response(
                status: .ok, headers: [.contentType: "application/json", ServerTiming.field: phases.headerValue],
                body: .init(byteBuffer: ByteBuffer(data: data)))
        } catch {
            counters.withLockedValue { $0.rejected[Int(error.status.code), default: 0] += 1 }
            logger.notice("\(requestID): \(error)")
            return error.response()
        }
    }

    /// Runs `work`, or answers 504 after `seconds`.
    func withTimeout<Value: Sendable>(
        _ seconds: Double, _ work: @escaping @Sendable () async throws(GatewayError) -> Value
    ) async throws(GatewayError) -> Value {
        let result = await withTaskGroup(of: Result<Value, GatewayError>?.self) { group in
            group.addTask {
                do throws(GatewayError) { return .success(try await work()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                return Task.isCancelled
                    ? nil
                    : .failure(
                        GatewayError(
                            .gatewayTimeout, "the request took longer than the limit of \(seconds) s", code: "timeout"))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .failure(GatewayError(.internalServerError, "the request ended without an answer"))
        }
        return try result.get()
    }

    /// Prometheus text: what the store recorded (the names of `promptctl metrics`) and the gateway's own counters.
    public func metricsText() throws -> String {
        var lines = [try PrometheusExposition.render(database).trimmingCharacters(in: .newlines)]
        let (exchanges, rejected, inFlight) = counters.withLockedValue { ($0.exchanges, $0.rejected, $0.inFlight) }
        func label(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
        lines.append(
            "# HELP promptctl_gateway_exchanges_total Exchanges served since start, by prompt, version, canary arm, status and guard action."
        )
        lines.append("# TYPE promptctl_gateway_exchanges_total counter")
        for (key, count) in exchanges.sorted(by: {
            ($0.key.prompt, $0.key.version, $0.key.arm, $0.key.status, $0.key.guardAction)
                < ($1.key.prompt, $1.key.version, $1.key.arm, $1.key.status, $1.key.guardAction)
        }) {
            lines.append(
                "promptctl_gateway_exchanges_total{prompt=\"\(label(key.prompt))\",version=\"\(label(key.version))\",arm=\"\(key.arm)\",status=\"\(key.status)\",guard=\"\(key.guardAction)\"} \(count)"
            )
        }
        lines.append("# HELP promptctl_gateway_rejected_total Requests answered with an error status, by status code.")
        lines.append("# TYPE promptctl_gateway_rejected_total counter")
        for (code, count) in rejected.sorted(by: { $0.key < $1.key }) {
            lines.append("promptctl_gateway_rejected_total{code=\"\(code)\"} \(count)")
        }
        lines.append("# HELP promptctl_gateway_in_flight_requests Requests being answered now.")
        lines.append("# TYPE promptctl_gateway_in_flight_requests gauge")
        lines.append("promptctl_gateway_in_flight_requests \(inFlight)")
        lines.append("# HELP promptctl_canary_ratio Share of a prompt's production conversations sent to its canary.")
        lines.append("# TYPE promptctl_canary_ratio gauge")
        let snapshot = snapshot
        for id in snapshot.project.promptIDs {
            if let rollout = snapshot.project.labels.canary(of: id) {
                lines.append(
                    "promptctl_canary_ratio{prompt=\"\(label(id))\",version=\"\(rollout.candidate)\"} \(Double(rollout.percent) / 100)"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
