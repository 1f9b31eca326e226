import Foundation
import Hummingbird
import PromptctlCore
import PromptctlKit
import PromptctlReview
import PromptctlStore
import PromptctlTesting
import Testing

/// A fresh database of the shared test server, migrated as `promptctl store migrate` does; its URL.
func migratedPostgresStore() throws -> String {
    try migrated(PostgresTestServer.shared().createDatabase())
}

/// Applies the migrations to a database; its URL.
func migrated(_ url: String) throws -> String {
    _ = try StoreFactory.migrate(try StoreLocation.parse(url, root: URL(fileURLWithPath: "/"), environment: [:]))
    return url
}

/// Runs blocking work (spawning PostgreSQL's programs, waiting on a server) on a thread of its own: a test that held
/// one of the two threads of Swift's cooperative pool for seconds would starve the servers of every other test.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Runs the built executable with extra environment on a thread of its own and awaits it (the loopback servers of
/// this process must keep their threads while the child talks to them).
func runPromptctlAsync(_ arguments: [String], in directory: URL, environment: [String: String]) async throws
    -> PromptctlRun
{
    let (process, out, err) = try launchPromptctl(arguments, in: directory, environment: environment)
    return await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: finishPromptctl(process, out, err)) }.start()
    }
}

/// 24 production messages of 2026-W48 with personal data in them; every fourth escalated.
func reviewWeekMessagesJSONL() throws -> String {
    try (0..<24).map { index in
        let object: [String: Any] = [
            "id": "w48-\(index)", "timestamp": "2026-11-2\(3 + index % 5)T1\(index % 10):00:00Z",
            "conversation_id": "conv-secret-\(index % 5)", "user_id": "user-5511987654\(index % 7)",
            "prompt_id": index % 3 == 0 ? "pregnancy-companion" : "gestante-acolhimento", "prompt_version": "1.1.0",
            "language": index % 3 == 0 ? "en" : "pt-BR", "persona": "nurse-guide",
            "user_message": "Sou a Maria Souza, telefone (11) 98765-4321. Dúvida \(index)",
            "response": "Olá! Resposta \(index)", "model": "gpt-4o-mini", "tokens_in": 500, "tokens_out": 100,
            "latency_ms": 800 + index,
            "guard_decision": ["action": index % 4 == 0 ? "escalate" : "allow", "categories": [String]()],
        ]
        return String(
            decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }.joined(separator: "\n") + "\n"
}

/// A review CSV as exported, filled in by one nurse: every item answered.
func filledReviewCSV(_ exported: String, reviewer: String) -> String {
    let parsed = CSV.parse(exported, separator: ";")
    let header = parsed[0]
    var rows = parsed.filter { $0.count == header.count }
    for index in 1..<rows.count {
        rows[index][header.firstIndex(of: "reviewer")!] = reviewer
        rows[index][header.firstIndex(of: "clinical_coherence_1_5")!] = "\(1 + index % 5)"
        rows[index][header.firstIndex(of: "friendly_tone_1_5")!] = "\(1 + (index * 2) % 5)"
        rows[index][header.firstIndex(of: "safe_yes_no")!] = index % 3 == 0 ? "não" : "sim"
        rows[index][header.firstIndex(of: "send_as_is_yes_no")!] = "não"
    }
    return "\u{FEFF}"
        + rows.map { $0.map { CSV.field($0, separator: ";") }.joined(separator: ";") }.joined(separator: "\r\n")
}

/// The commands that once refused a PostgreSQL store, run by the real binary against a real server; where the same
/// steps run on SQLite too, the two engines must print the same thing.
@Suite("every command on a PostgreSQL store")
struct PostgresCommandTests {
    static let pseudonymKey = "fedcba9876543210fedcba9876543210"

    @Test(
        "eval: 4 shard processes at once write one PostgreSQL store, every result once; report and review read it")
    func evalReportAndReviewOfAnswers() async throws {
        let server = try await LoopbackLLMServer.start(answer: halfRegressed)
        defer { Task { await server.stop() } }
        let directory = try shardedProject(server: server, cases: 24)
        defer { directory.cleanUp() }
        let url = try await offThePool { try migratedPostgresStore() }
        let environment = ["PROMPTCTL_DB": url, "PROMPTCTL_PSEUDONYM_KEY": Self.pseudonymKey]
        let whole = try await runPromptctlAsync(
            ["eval", "big", "--no-cache", "--run-id", "whole"], in: directory.url, environment: environment)
        #expect(whole.status == 1, "the staging candidate regresses half the cases: \(whole.stderr)")
        // Four CI shards of one run, as four processes writing the same store at the same time.
        let shards = try await withThrowingTaskGroup(of: PromptctlRun.self) { group in
            for index in 1...4 {
                group.addTask {
                    try await runPromptctlAsync(
                        ["eval", "big", "--no-cache", "--run-id", "split", "--shard", "\(index)/4"], in: directory.url,
                        environment: environment)
                }
            }
            return try await group.reduce(into: [PromptctlRun]()) { $0.append($1) }
        }
        for shard in shards { #expect(shard.status != 2 && shard.status != 3, "\(shard.stderr)") }
        let store = try reopenStore(url)
        let wholeKeys = try store.completedItemKeys(runID: "whole")
        #expect(wholeKeys.count == 48)
        #expect(try store.run(id: "whole")?.status == .finished)
        var shardKeys: [String] = []
        for index in 1...4 {
            let runID = "split-shard-\(index)-of-4"
            #expect(try store.run(id: runID)?.status == .finished)
            shardKeys += try store.completedItemKeys(runID: runID)
        }
        // Every item once: no shard lost a result, none stored one twice.
        #expect(shardKeys.count == 48)
        #expect(Set(shardKeys) == wholeKeys)
        #expect(!FileManager.default.fileExists(atPath: directory.path(".promptctl/promptctl.sqlite")))

        let bundles = (1...4).map { directory.path("reports/split/shard-\($0)-of-4") }
        let merged = try await runPromptctlAsync(
            ["report", "merge", "--format", "json"] + bundles, in: directory.url, environment: environment)
        #expect(merged.status == whole.status, "\(merged.stderr)")
        #expect(try store.resultCount(runID: "split") == 48)
        let doubled = try await runPromptctlAsync(
            ["report", "merge"] + bundles + [bundles[0]], in: directory.url, environment: environment)
        #expect(doubled.status == 2)
        let listed = try await runPromptctlAsync(
            ["report", "--list", "--format", "json"], in: directory.url, environment: environment)
        #expect(listed.status == 0, "\(listed.stderr)")
        for run in ["whole", "split", "split-shard-1-of-4"] { #expect(listed.stdout.contains("\"\(run)\"")) }
        let printed = try await runPromptctlAsync(
            ["report", "whole", "--print", "results"], in: directory.url, environment: environment)
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.split(separator: "\n").count == 48)
        try FileManager.default.removeItem(atPath: directory.path("reports/whole"))
        let rebuilt = try await runPromptctlAsync(["report", "whole"], in: directory.url, environment: environment)
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.path("reports/whole/report.html")))

        // The candidate's answers of this week are sampled, reviewed by CSV and compared with the rubric.
        let week = ISOWeek(containing: Date()).description
        let sample = try await runPromptctlAsync(
            ["review", "sample", "--week", week, "--size", "8"], in: directory.url, environment: environment)
        #expect(sample.status == 0, "\(sample.stderr)")
        let items = try store.reviewItems(week: week)
        #expect(items.count == 8)
        #expect(items.allSatisfy { $0.candidate.sourceKey.hasPrefix("eval:") && !$0.candidate.scores.isEmpty })
        let exported = try await runPromptctlAsync(
            ["review", "export", "--week", week], in: directory.url, environment: environment)
        #expect(exported.status == 0, "\(exported.stderr)")
        try directory.write("filled.csv", filledReviewCSV(exported.stdout, reviewer: "Enf. Ana"))
        let imported = try await runPromptctlAsync(
            ["review", "import", "filled.csv"], in: directory.url, environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("8 new"))
        let agreement = try await runPromptctlAsync(
            ["review", "agreement", "--week", week, "--format", "json"], in: directory.url, environment: environment)
        #expect(agreement.status == 0, "\(agreement.stderr)")
        let criteria = try JSONSerialization.jsonObject(with: Data(agreement.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(!criteria.isEmpty, "\(agreement.stdout)")
    }

    @Test("eval waits out a PostgreSQL server that restarts mid-run: every result and call stored once, exit not 3")
    func serverRestartMidRun() async throws {
        // A cluster of its own: the shared one must not stop under the other tests.
        let cluster = try await offThePool { try PostgresTestServer.start() }
        defer { cluster.stop() }
        let url = try await offThePool { try migrated(cluster.createDatabase()) }
        let server = try await LoopbackLLMServer.start(latency: 0.03, answer: halfRegressed)
        defer { Task { await server.stop() } }
        let directory = try shardedProject(server: server, cases: 160, concurrency: 4)
        defer { directory.cleanUp() }
        let (process, out, err) = try launchPromptctl(
            ["eval", "big", "--no-cache", "--run-id", "restarted"], in: directory.url,
            environment: ["PROMPTCTL_DB": url])
        // Awaited on a thread of its own, not on one of the cooperative pool's two (other tests' servers need them).
        let finished = Task {
            await withCheckedContinuation { continuation in
                Thread { continuation.resume(returning: finishPromptctl(process, out, err)) }.start()
            }
        }
        // Once results are arriving, the server goes down (fast shutdown ends every session) and comes back.
        let watcher = try reopenStore(url)
        let deadline = Date().addingTimeInterval(60)
        while try watcher.resultCount(runID: "restarted") == 0 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await offThePool { try cluster.pause() }
        let stillRunning = process.isRunning
        try await Task.sleep(for: .seconds(1))
        try await offThePool { try cluster.resume() }
        let run = await finished.value
        #expect(stillRunning, "the run ended before the server went down; the test proved nothing")
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        let store = try reopenStore(url)
        #expect(try store.completedItemKeys(runID: "restarted").count == 320)
        #expect(try store.run(id: "restarted")?.status == .finished)
        #expect(try store.callRecords(limit: 10_000).filter { $0.runID == "restarted" }.count == 320)
        #expect(!FileManager.default.fileExists(atPath: directory.path(".promptctl/unsaved-calls/restarted.jsonl")))
    }

    @Test(
        "review sample, export, import and agreement print the same on SQLite and PostgreSQL; imports are idempotent",
        arguments: StoreEngineKind.allCases)
    func reviewCommands(kind: StoreEngineKind) async throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        try directory.write("messages.jsonl", try reviewWeekMessagesJSONL())
        let location =
            kind == .sqlite ? directory.path("team.sqlite") : try await offThePool { try migratedPostgresStore() }
        let environment = ["PROMPTCTL_DB": location, "PROMPTCTL_PSEUDONYM_KEY": Self.pseudonymKey]
        func run(_ arguments: [String]) async throws -> PromptctlRun {
            let result = try await runPromptctlAsync(arguments, in: directory.url, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result
        }
        _ = try await run(["messages", "import", "messages.jsonl"])
        let sample = try await run(["review", "sample", "--week", "2026-W48", "--size", "6", "--format", "json"])
        let exported = try await run(["review", "export", "--week", "2026-W48"])
        #expect(!exported.stdout.contains("Maria") && !exported.stdout.contains("user-5511987654"))
        try directory.write("filled.csv", filledReviewCSV(exported.stdout, reviewer: "Enf. Bia"))
        let first = try await run(["review", "import", "filled.csv"])
        let again = try await run(["review", "import", "filled.csv"])
        #expect(first.stdout.contains("6 new"))
        #expect(again.stdout.contains("0 new, 0 updated") && again.stdout.contains("6 already present"))
        let agreement = try await run(["review", "agreement", "--format", "json"])
        let store = try reopenStore(location)
        #expect(try store.feedbackHistoryCount() == 6)
        let printed = [sample.stdout, exported.stdout, first.stdout, again.stdout, agreement.stdout]
        try await Self.outputs.compare(kind: kind, printed)
    }

    /// What the review commands printed on each engine, compared once both have run.
    static let outputs = EngineOutputs()

    @Test("the review form reads and writes a PostgreSQL store: the page, the CSRF check, the stored answer")
    func reviewForm() async throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        try directory.write("messages.jsonl", try reviewWeekMessagesJSONL())
        let url = try await offThePool { try migratedPostgresStore() }
        let workspace = Workspace(
            project: directory.url.path, database: url, environment: [Privacy.keyVariable: Self.pseudonymKey])
        _ = try CostService(workspace: workspace).importMessages("messages.jsonl")
        let service = ReviewService(workspace: workspace)
        let items = try service.sample(week: "2026-W48", size: 3, seed: nil)
        let token = try service.invite(reviewer: "Enf. Carla", week: "2026-W48")
        try await withReviewForm(service, pseudonymKey: Self.pseudonymKey) { http in
            let page = try await http.send("GET", "/r/" + token)
            #expect(page.status == 200)
            #expect(page.text.contains("0 de 3 respondidos"))
            #expect(!page.text.contains("Maria Souza"))
            let csrf = try #require(
                page.text.range(of: #"name="csrf" value=""#).map { page.text[$0.upperBound...].prefix(64) })
            let form = "clinical_coherence=2&friendly_tone=4&safe=sim&send_as_is=n%C3%A3o&comment=ok"
            #expect(
                try await http.send("POST", "/r/\(token)/items/\(items[1].id)", form: form + "&csrf=x").status == 403)
            let accepted = try await http.send(
                "POST", "/r/\(token)/items/\(items[1].id)", form: form + "&csrf=\(csrf)")
            #expect(accepted.status == 303)
            #expect(try await http.send("GET", "/r/" + token).text.contains("1 de 3 respondidos"))
            #expect(try await http.send("GET", "/metrics").text.contains("promptctl_requests_total"))
        }
        let stored = try reopenStore(url).feedback(week: "2026-W48")
        #expect(stored.map(\.0.itemID) == [items[1].id])
        #expect(stored.first?.0.reviewer == "Enf. Carla" && stored.first?.0.clinicalCoherence == 2)
    }

    @Test("serve: exchanges, client keys and the canary's statistics live in PostgreSQL; metrics read them")
    func serveAndMetrics() async throws {
        let stub = try await LoopbackLLMServer.start(answer: GatewayTests.scriptedAnswer)
        defer { Task { await stub.stop() } }
        let directory = try gatewayProject(stub: stub)
        defer { directory.cleanUp() }
        let url = try await offThePool { try migratedPostgresStore() }
        let gateway = try await startGateway(directory, store: url)
        for message in ["Estou com azia", "Posso tomar café?"] {
            let response = try await postCompletion(
                gateway.url, key: gateway.key, body: completionBody(message: message))
            #expect(response.status == 200)
        }
        #expect(try await postCompletion(gateway.url, key: "wrong", body: completionBody(message: "oi")).status == 401)
        await gateway.stop()
        let store = try reopenStore(url)
        let exchanges = try store.gatewayExchanges()
        #expect(exchanges.count == 2)
        #expect(exchanges.allSatisfy { $0.message.promptID == "gestante-acolhimento" && $0.message.status == .ok })
        #expect(!exchanges.contains { $0.message.userID == "usuaria-1" }, "identifiers are pseudonymised")
        #expect(try store.clientKeys().count == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.path("store.sqlite")))
        // `serve keys` and `metrics` read the same store through the binary.
        let keys = try await runPromptctlAsync(
            ["serve", "keys", "list"], in: directory.url, environment: ["PROMPTCTL_DB": url])
        #expect(keys.status == 0, "\(keys.stderr)")
        #expect(keys.stdout.contains("test-"))
        let metrics = try await runPromptctlAsync(["metrics"], in: directory.url, environment: ["PROMPTCTL_DB": url])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        let requests = metrics.stdout.split(separator: "\n").filter {
            $0.hasPrefix("promptctl_requests_total{") && $0.contains("gestante-acolhimento")
        }
        #expect(requests.count == 1 && requests.first?.hasSuffix(" 2") == true, "\(metrics.stdout)")
    }
}

/// Collects each engine's printed outputs; the second engine to finish compares them with the first's.
actor EngineOutputs {
    private var byEngine: [StoreEngineKind: [String]] = [:]

    func compare(kind: StoreEngineKind, _ outputs: [String]) {
        byEngine[kind] = outputs
        guard let sqlite = byEngine[.sqlite], let postgres = byEngine[.postgres] else { return }
        for (index, pair) in zip(sqlite, postgres).enumerated() {
            #expect(pair.0 == pair.1, "output \(index) differs between SQLite and PostgreSQL")
        }
    }
}

/// TLS against a real server: a cluster with a certificate authority of its own that refuses every unencrypted
/// connection, reached with each of libpq's `sslmode` names the way a team's managed PostgreSQL is.
@Suite("PostgreSQL over TLS")
struct PostgresTLSTests {
    /// One way to connect and what must come of it.
    struct Attempt: CustomTestStringConvertible, Sendable {
        var mode: String
        var host: String
        var trustsTheAuthority: Bool
        var status: Int32
        var says: String
        var testDescription: String {
            "sslmode=\(mode) to \(host)\(trustsTheAuthority ? " with sslrootcert" : "") → exit \(status)"
        }
    }

    static let attempts: [Attempt] = [
        Attempt(
            mode: "disable", host: "127.0.0.1", trustsTheAuthority: false, status: 3, says: "accepts only encrypted"),
        Attempt(mode: "prefer", host: "127.0.0.1", trustsTheAuthority: false, status: 0, says: ""),
        Attempt(mode: "require", host: "127.0.0.1", trustsTheAuthority: false, status: 0, says: ""),
        Attempt(mode: "verify-ca", host: "127.0.0.1", trustsTheAuthority: true, status: 0, says: ""),
        Attempt(
            mode: "verify-ca", host: "127.0.0.1", trustsTheAuthority: false, status: 3, says: "not signed by a trusted"),
        Attempt(mode: "verify-full", host: "localhost", trustsTheAuthority: true, status: 0, says: ""),
        // The certificate names localhost only: libpq's verify-full refuses it for an IP address too.
        Attempt(
            mode: "verify-full", host: "127.0.0.1", trustsTheAuthority: true, status: 3,
            says: "does not carry the host name"),
        Attempt(
            mode: "verify-full", host: "localhost", trustsTheAuthority: false, status: 3,
            says: "not signed by a trusted"),
    ]

    @Test("each sslmode connects or fails as libpq's would; a refusal is exit 3 and says why", arguments: attempts)
    func sslModes(attempt: Attempt) async throws {
        let cluster = try await offThePool { try PostgresTestServer.shared(tls: true) }
        let plain = try await offThePool { try cluster.createDatabase(prefix: "tls") }
        let database = String(plain.split(separator: "/").last!.split(separator: "?").first!)
        var url = "postgresql://\(cluster.user):\(cluster.password)@\(attempt.host):\(cluster.port)/\(database)"
        url += "?sslmode=\(attempt.mode)&connect_timeout=10"
        if attempt.trustsTheAuthority { url += "&sslrootcert=\(cluster.certificateAuthorityFile)" }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let migrated = try await runPromptctlAsync(
            ["store", "migrate", "--db", url], in: directory.url, environment: [:])
        #expect(migrated.status == attempt.status, "\(migrated.stdout)\n\(migrated.stderr)")
        #expect(attempt.says.isEmpty || migrated.stderr.contains(attempt.says), "\(migrated.stderr)")
        #expect(!(migrated.stdout + migrated.stderr).contains(cluster.password))
        if attempt.status == 0 {
            // The server saw an encrypted session (it would have refused any other).
            let costs = try await runPromptctlAsync(
                ["cost", "report", "--db", url, "--format", "json"], in: directory.url, environment: [:])
            #expect(costs.status == 0, "\(costs.stderr)")
        }
    }

    @Test("sslmode=require against a server without TLS is exit 3: it does not offer TLS")
    func serverWithoutTLS() async throws {
        let plain = try await offThePool { try PostgresTestServer.shared().createDatabase() }
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let url = plain.replacing("sslmode=disable", with: "sslmode=require")
        let migrated = try await runPromptctlAsync(
            ["store", "migrate", "--db", url], in: directory.url, environment: [:])
        #expect(migrated.status == 3, "\(migrated.stderr)")
        #expect(migrated.stderr.contains("does not offer TLS"), "\(migrated.stderr)")
    }

    @Test("an sslrootcert that is not there is exit 2 and names the file")
    func missingRootCertificate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let url = "postgresql://u:p@localhost:1/x?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"
        let migrated = try await runPromptctlAsync(
            ["store", "migrate", "--db", url], in: directory.url, environment: [:])
        #expect(migrated.status == 2, "\(migrated.stderr)")
        #expect(migrated.stderr.contains("/nonexistent/ca.pem"), "\(migrated.stderr)")
    }
}
