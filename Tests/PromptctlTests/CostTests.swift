import Foundation
import PromptctlCore
import PromptctlKit
import PromptctlMonitor
import PromptctlStore
import PromptctlTesting
import Testing

/// Cost per message: import, report, the 24-hour check, the webhook, metrics. Real SQLite files.
@Suite("cost monitoring")
struct CostTests {
    let end = Timestamp.parse("2026-11-25T12:00:00Z")!

    /// 48 hours of messages; in the last 24 hours half of them use a version that writes 3× more tokens.
    func messages(rise: Bool, errorsInCurrent: Int = 0, slowCurrent: Bool = false) -> String {
        var lines: [String] = []
        for index in 0..<200 {
            let at = end.addingTimeInterval(-48 * 3600 + Double(index) * 864)
            let current = at >= end.addingTimeInterval(-24 * 3600)
            let expensive = rise && current && index % 2 == 0
            let failed = current && index % 20 == 1 && (index - 100) / 20 < errorsInCurrent
            let object: [String: Any] = [
                "timestamp": Timestamp.string(at), "conversation_id": "conv-\(index % 10)",
                "user_id": "user-\(index % 7)",
                "prompt_id": "gestante-acolhimento", "prompt_version": expensive ? "1.1.0" : "1.0.0",
                "label": "production",
                "user_message": "Oi", "response": "Olá!", "model": "gpt-4o-mini", "tokens_in": 800,
                "tokens_cached": 400,
                "tokens_out": expensive ? 600 : 200, "latency_ms": slowCurrent && current ? 2000 : 900,
                "status": failed ? "error" : "ok",
                "guard_decision": ["action": "escalate", "categories": ["warning-sign"]],
            ]
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func project(_ jsonl: String) throws -> (TemporaryDirectory, CostService) {
        let directory = try copyShippedProject()
        try directory.write("messages.jsonl", jsonl)
        return (directory, CostService(workspace: Workspace(project: directory.url.path, environment: [:])))
    }

    @Test("import is idempotent; cached tokens are priced as cached; a bad line writes nothing and names its line")
    func importing() throws {
        let (directory, service) = try project(messages(rise: false))
        defer { directory.cleanUp() }
        #expect(try service.importMessages("messages.jsonl") == (200, 200))
        #expect(try service.importMessages("messages.jsonl") == (200, 0))
        let rows = try service.report(by: .day, group: .none, from: nil, to: nil)
        #expect(rows.reduce(0) { $0 + $1.messages } == 200)
        // 400 uncached × $0.15 + 400 cached × $0.075 + 200 out × $0.60, per million tokens.
        let expected = (400 * 0.15 + 400 * 0.075 + 200 * 0.60) / 1_000_000
        #expect(abs((rows.first?.costPerMessage ?? 0) - expected) < 1e-12)

        try directory.write(
            "bad.jsonl",
            #"{"timestamp": "2026-11-25T10:00:00Z", "model": "gpt-4o-mini", "id": "new-1"}"# + "\nnot json\n")
        do {
            _ = try service.importMessages("bad.jsonl")
            Issue.record("a file with a bad line must be refused")
        } catch let error as PromptctlError {
            #expect(error.exitStatus == .usageOrConfig)
            #expect(error.description.contains("bad.jsonl:2:1: error: not a JSON object"))
        }
        #expect(try service.report(by: .day, group: .none, from: nil, to: nil).reduce(0) { $0 + $1.messages } == 200)
    }

    @Test("a later price change does not rewrite the cost of messages already imported")
    func pricesAreHistorical() throws {
        let (directory, service) = try project(messages(rise: false))
        defer { directory.cleanUp() }
        _ = try service.importMessages("messages.jsonl")
        let before = try service.report(by: .day, group: .none, from: nil, to: nil).reduce(0) { $0 + $1.costUSD }
        let prices = try directory.read("prices.yaml")
        try directory.write("prices.yaml", prices.replacingOccurrences(of: "input: 0.15,", with: "input: 1.50,"))
        #expect(try service.importMessages("messages.jsonl").imported == 0)
        let after = try service.report(by: .day, group: .none, from: nil, to: nil).reduce(0) { $0 + $1.costUSD }
        #expect(after == before)
    }

    @Test("the check fires above 20% and names the prompt version that drove the rise")
    func costAlert() async throws {
        let (directory, service) = try project(messages(rise: true))
        defer { directory.cleanUp() }
        _ = try service.importMessages("messages.jsonl")
        let result = try await service.check(at: end, thresholds: CheckThresholds(), webhook: nil)
        #expect(result.status == .alert)
        let cost = try #require(result.comparisons.first { $0.metric == "cost per message" })
        #expect(cost.fired)
        #expect((cost.change ?? 0) > 0.2)
        #expect(result.drivers.first?.hasPrefix("gestante-acolhimento@1.1.0 · gpt-4o-mini") == true)
        #expect(result.message.contains("Driven by gestante-acolhimento@1.1.0"))
        let relaxed = try await service.check(at: end, thresholds: CheckThresholds(costRise: 2.0), webhook: nil)
        #expect(relaxed.status == .ok)
    }

    @Test("steady cost does not fire; too little data is said plainly and is not an alert")
    func quiet() async throws {
        let (directory, service) = try project(messages(rise: false))
        defer { directory.cleanUp() }
        _ = try service.importMessages("messages.jsonl")
        #expect(try await service.check(at: end, thresholds: CheckThresholds(), webhook: nil).status == .ok)
        let early = try await service.check(
            at: end.addingTimeInterval(-24 * 3600), thresholds: CheckThresholds(), webhook: nil)
        #expect(early.status == .insufficientData)
        #expect(early.message.contains("too little data"))
    }

    @Test("p95 latency and error rate have their own thresholds")
    func latencyAndErrors() async throws {
        let (directory, service) = try project(messages(rise: false, errorsInCurrent: 5, slowCurrent: true))
        defer { directory.cleanUp() }
        _ = try service.importMessages("messages.jsonl")
        let result = try await service.check(at: end, thresholds: CheckThresholds(), webhook: nil)
        #expect(result.comparisons.first { $0.metric == "p95 latency" }?.fired == true)
        #expect(result.comparisons.first { $0.metric == "error rate" }?.fired == true)
        #expect(result.comparisons.first { $0.metric == "cost per message" }?.fired == false)
    }

    @Test("an alert is posted to the webhook as Slack JSON, retried after a 503")
    func webhook() async throws {
        let server = try await LoopbackLLMServer.start()
        defer { Task { await server.stop() } }
        await server.enqueue(.status(503, body: "{}"))
        let (directory, service) = try project(messages(rise: true))
        defer { directory.cleanUp() }
        _ = try service.importMessages("messages.jsonl")
        _ = try await service.check(at: end, thresholds: CheckThresholds(), webhook: server.baseURL + "/webhook")
        let requests = await server.requests()
        #expect(requests.count == 2)
        let text = try #require(requests.last?.json?["text"] as? String)
        #expect(text.contains("ALERT: cost per message"))
    }

    @Test(
        "Prometheus exposition: counters by prompt, version and model; a cumulative latency histogram; guard decisions")
    func metrics() throws {
        let (directory, service) = try project(messages(rise: true))
        defer { directory.cleanUp() }
        _ = try service.importMessages("messages.jsonl")
        let text = try service.metrics()
        #expect(text.contains("# TYPE promptctl_requests_total counter"))
        #expect(
            text.contains(
                #"promptctl_requests_total{prompt="gestante-acolhimento",version="1.1.0",model="gpt-4o-mini",status="ok"} 50"#
            ))
        #expect(text.contains(#"promptctl_guard_decisions_total{category="warning-sign",action="escalate"} 200"#))
        let buckets = text.split(separator: "\n").filter {
            $0.hasPrefix(#"promptctl_request_latency_seconds_bucket{prompt="gestante-acolhimento",version="1.0.0""#)
        }.compactMap { Int($0.split(separator: " ").last!) }
        #expect(buckets.count == 9)
        #expect(buckets == buckets.sorted())
        #expect(buckets.last == 150)
    }
}
