import Foundation
import PromptctlCore
import PromptctlKit
import PromptctlLLM
import PromptctlReview
import PromptctlStore
import PromptctlTesting
import Testing

/// `promptctl serve` as a process with a port chosen by the system; the port it printed.
func launchServe(_ directory: TemporaryDirectory, arguments: [String] = []) throws -> (Process, Int) {
    let (process, out, _) = try launchPromptctl(
        ["serve", "--port", "0", "--db", directory.path("store.sqlite")] + arguments, in: directory.url,
        environment: ["PROMPTCTL_PSEUDONYM_KEY": gatewayPseudonymKey])
    var printed = ""
    while !printed.contains("\n") {
        let data = out.fileHandleForReading.availableData
        if data.isEmpty { break }
        printed += String(decoding: data, as: UTF8.self)
    }
    guard
        let port = printed.split(separator: ":").last.flatMap({
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        })
    else {
        process.terminate()
        throw PromptctlError(.infrastructure, "promptctl serve printed no port: \(printed)")
    }
    return (process, port)
}

@Suite("promptctl serve as a process: signals, crashes, exit codes")
struct GatewayProcessTests {
    @Test("kill -9 of the server loses no acknowledged exchange")
    func killNine() async throws {
        let stub = try await LoopbackLLMServer.start(latency: 0.05)
        let directory = try gatewayProject(stub: stub)
        defer { directory.cleanUp() }
        let key = try ServeService(workspace: gatewayWorkspace(directory)).addKey(name: "crash")
        let (process, port) = try launchServe(directory)
        let url = "http://127.0.0.1:\(port)"
        let acknowledged = await withTaskGroup(of: String?.self) { group in
            for index in 0..<60 {
                group.addTask {
                    let response = try? await postCompletion(
                        url, key: key, body: completionBody(message: "oi", conversation: "k\(index)"))
                    return response?.status == 200 ? "k\(index)" : nil
                }
            }
            var acknowledged: [String] = []
            for await result in group {
                guard let result else { continue }
                acknowledged.append(result)
                if acknowledged.count == 15 { kill(process.processIdentifier, SIGKILL) }
            }
            return acknowledged
        }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(acknowledged.count >= 15)
        let stored = Set(
            try AppDatabase(path: directory.path("store.sqlite")).gatewayExchanges().compactMap(
                \.message.conversationID))
        let privacy = Privacy(key: gatewayPseudonymKey)
        let lost = acknowledged.filter { !stored.contains(privacy.pseudonym($0, kind: "conversation")!) }
        #expect(lost.isEmpty, "acknowledged but not stored: \(lost)")
        await stub.stop()
    }

    @Test("SIGHUP re-reads labels while serving; SIGTERM drains the request in flight and exits 0")
    func reloadAndDrain() async throws {
        let stub = try await LoopbackLLMServer.start()
        let directory = try gatewayProject(stub: stub)
        defer { directory.cleanUp() }
        let workspace = gatewayWorkspace(directory)
        let key = try ServeService(workspace: workspace).addKey(name: "ops")
        let (process, port) = try launchServe(directory)
        let url = "http://127.0.0.1:\(port)"
        let transport = CurlTransport()
        func health() async throws -> String {
            try await transport.send(PromptctlLLM.HTTPRequest(method: "GET", url: url + "/healthz")).text
        }
        #expect(try await health().contains("\"canaries\":0"))
        _ = try CanaryService(workspace: workspace).canary("gestante-acolhimento@1.1.0", percent: 10, reason: nil)
        kill(process.processIdentifier, SIGHUP)
        var seen = false
        for _ in 0..<50 where !seen {
            seen = try await health().contains("\"canaries\":1")
            if !seen { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        #expect(seen)
        await stub.enqueue(.slow(seconds: 1.0))
        async let slow = postCompletion(url, key: key, body: completionBody(message: "oi"))
        try await Task.sleep(nanoseconds: 300_000_000)
        kill(process.processIdentifier, SIGTERM)
        let response = try await slow
        #expect(response.status == 200)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try AppDatabase(path: directory.path("store.sqlite")).gatewayExchanges().count == 1)
        await stub.stop()
    }

    @Test("serve refuses to start without a client key or a pseudonym key (exit 2)")
    func refusals() async throws {
        let stub = try await LoopbackLLMServer.start()
        let directory = try gatewayProject(stub: stub)
        defer { directory.cleanUp() }
        let noKey = try runPromptctl(
            ["serve", "--port", "0", "--db", directory.path("store.sqlite")], in: directory.url,
            environment: ["PROMPTCTL_PSEUDONYM_KEY": gatewayPseudonymKey])
        #expect(noKey.status == 2 && noKey.stderr.contains("serve keys add"))
        let added = try runPromptctl(
            ["serve", "keys", "add", "app", "--db", directory.path("store.sqlite")], in: directory.url)
        #expect(added.status == 0 && added.stdout.hasPrefix("pc-") && added.stdout.count == 68)
        let stored = try AppDatabase(path: directory.path("store.sqlite")).clientKeys()
        #expect(stored.map(\.sha256) == [ContentHash.sha256(added.stdout.trimmingCharacters(in: .newlines))])
        let noPseudonym = try runPromptctl(
            ["serve", "--port", "0", "--db", directory.path("store.sqlite")], in: directory.url,
            environment: ["PROMPTCTL_PSEUDONYM_KEY": ""])
        #expect(noPseudonym.status == 2 && noPseudonym.stderr.contains("PROMPTCTL_PSEUDONYM_KEY"))
        let canary = try runPromptctl(
            ["prompts", "canary", "gestante-acolhimento@1.0.0", "--percent", "10"], in: directory.url)
        #expect(canary.status == 2 && canary.stderr.contains("production already serves"))
        await stub.stop()
    }
}
