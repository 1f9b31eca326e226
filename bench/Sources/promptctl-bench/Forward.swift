import Foundation
import Hummingbird
import PromptctlLLM

/// The floor of the gateway's own stack: a Hummingbird server that forwards each `POST /v1/chat/completions` body
/// unchanged to the upstream through the libcurl transport, and its answer back. No prompt, guard, store or JSON: what
/// `promptctl serve` adds beyond this is its own work, what this adds beyond a plain proxy is the stack's.
func forwardServer() async throws {
    let port = Int(option("--port", "18400"))!
    let upstream = option("--upstream", "http://127.0.0.1:18300") + "/v1/chat/completions"
    let transport = CurlTransport()
    let router = Router()
    router.post("/v1/chat/completions") { request, _ -> Response in
        let body = try await request.body.collect(upTo: 1 << 20)
        let answer = try await transport.send(
            PromptctlLLM.HTTPRequest(
                url: upstream, headers: [(name: "Content-Type", value: "application/json")],
                body: Data(buffer: body)))
        return Response(
            status: .init(code: answer.status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(data: answer.body)))
    }
    router.get("/healthz") { _, _ in "ok" }
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "forward"))
    try await app.runService()
}
