import Foundation
import PromptctlCore
import PromptctlKit
import PromptctlPostgres
import PromptctlStore
import PromptctlTesting
import Testing

/// The two engines of the store; every test of this file runs on both, with the same assertions.
enum StoreEngineKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A fresh, migrated, empty store of one engine, and its location string (a file path or a URL).
func freshStore(_ kind: StoreEngineKind) throws -> (store: any PromptctlStoreEngine, location: String) {
    switch kind {
    case .sqlite:
        let directory = try TemporaryDirectory()
        directory.removeAtExit()
        let path = directory.path("store.sqlite")
        return (try AppDatabase(path: path), path)
    case .postgres:
        let url = try PostgresTestServer.shared().createDatabase()
        return (try PostgresStore(location: try PostgresLocation(url: url), migrate: true), url)
    }
}

/// Opens another connection to the same store, as a second process would.
func reopenStore(_ location: String) throws -> any PromptctlStoreEngine {
    try StoreFactory.open(try StoreLocation.parse(location, root: URL(fileURLWithPath: "/"), environment: [:]))
}

func sampleResult(run: String, item: String, at: Date = Date(), output: String = "resposta") -> StoredResult {
    StoredResult(
        runID: run, itemKey: item, side: "candidate", promptID: "triagem", promptVersion: "1.2.0", language: "pt-BR",
        persona: "gestante", provider: "stub", model: "m", caseID: item, repeatIndex: 0, output: output, error: nil,
        promptTokens: 10, cachedTokens: 2, completionTokens: 5, costUSD: 0.001, latencyMs: 12.5, cacheHit: false,
        guardAction: nil, score: 0.75, passed: true, needsReview: false, detail: Data("{\"item\":\"\(item)\"}".utf8),
        createdAt: at)
}

func sampleMessage(_ key: String, at: Date, model: String = "gpt", cost: Double = 0.01, status: CallStatus = .ok)
    -> ProductionMessage
{
    ProductionMessage(
        key: key, at: at, conversationID: "c-\(key)", userID: "u1", promptID: "triagem", promptVersion: "1.2.0",
        label: "production", language: "pt-BR", persona: "gestante", userMessage: "Estou com dor de cabeça",
        response: "Procure a maternidade", provider: "openai", model: model, promptTokens: 100, cachedTokens: 10,
        completionTokens: 50, latencyMs: 200, status: status, guardAction: nil, guardCategories: [], costUSD: cost)
}

func sampleCandidate(_ key: String) -> ReviewCandidate {
    ReviewCandidate(
        sourceKey: key, at: Date(timeIntervalSince1970: 1_790_000_000), promptID: "triagem", promptVersion: "1.2.0",
        language: "pt-BR", persona: "gestante", conversationID: nil, userID: nil, userMessage: "pergunta \(key)",
        response: "resposta \(key)", guardAction: nil, guardCategories: [], scores: ["clinical_coherence": 0.8])
}

@Suite("store engines: SQLite and PostgreSQL behave the same")
struct StoreEngineTests {
    @Test(
        "runs and results: stored once, resumable by item, finished with a summary", arguments: StoreEngineKind.allCases
    )
    func runsAndResults(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        try store.createRun(
            id: "run-abc-1", suite: "triagem", suiteFile: "eval-suites/triagem.yaml", plan: Data("{}".utf8),
            gitRef: "deadbeef", candidates: [RunCandidate(candidate: "triagem@1.2.0", baseline: "triagem@1.1.0")])
        try store.insertResults((0..<50).map { sampleResult(run: "run-abc-1", item: "i\($0)") })
        // The same item twice is refused, and the refused batch leaves nothing behind.
        #expect(throws: (any Error).self) {
            try store.insertResults([
                sampleResult(run: "run-abc-1", item: "new"), sampleResult(run: "run-abc-1", item: "i3"),
            ])
        }
        #expect(try store.completedItemKeys(runID: "run-abc-1") == Set((0..<50).map { "i\($0)" }))
        let details = try store.resultDetails(runID: "run-abc-1")
        #expect(details.count == 50)
        #expect(details.first == Data("{\"item\":\"i0\"}".utf8))
        #expect(details.last == Data("{\"item\":\"i49\"}".utf8))
        #expect(try store.latestFinishedRun(candidate: "triagem@1.2.0") == nil)
        #expect(try store.run(id: "run-abc")?.status == .running)
        try store.finishRun(id: "run-abc-1", status: .finished, summary: Data("{\"passed\":true}".utf8))
        let finished = try #require(try store.latestFinishedRun(candidate: "triagem@1.2.0"))
        #expect(finished.run.id == "run-abc-1")
        #expect(finished.baseline == "triagem@1.1.0")
        #expect(finished.run.summary == Data("{\"passed\":true}".utf8))
        #expect(finished.run.gitRef == "deadbeef")
        #expect(finished.run.finishedAt != nil)
        try store.createRun(
            id: "run-abd-2", suite: "triagem", suiteFile: "x", plan: Data(), gitRef: nil, candidates: [])
        // A prefix shared by two runs names neither.
        #expect(try store.run(id: "run-ab") == nil)
        #expect(try store.recentRuns(limit: 10).map(\.id) == ["run-abd-2", "run-abc-1"])
    }

    @Test(
        "response cache and call log, with the hourly rollup leaving interrupted calls out",
        arguments: StoreEngineKind.allCases)
    func cacheAndCalls(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        let old = Date(timeIntervalSince1970: 1_790_000_000)
        try store.storeResponse(
            CachedResponse(
                key: "k1", provider: "p", model: "m", payload: Data([1, 2, 3]), costUSD: 0.5, createdAt: old))
        try store.storeResponse(
            CachedResponse(key: "k2", provider: "p", model: "m", payload: Data([9]), costUSD: 0.25, createdAt: Date()))
        #expect(try store.cachedResponse(forKey: "k1", maxAge: nil)?.payload == Data([1, 2, 3]))
        #expect(try store.cachedResponse(forKey: "k1", maxAge: 60) == nil)
        #expect(try store.cachedResponse(forKey: "nope", maxAge: nil) == nil)
        let stats = try store.cacheStatistics()
        #expect(stats.entries == 2)
        #expect(stats.bytes == 4)
        #expect(abs(stats.originalCostUSD - 0.75) < 1e-9)
        #expect(try store.clearCache(olderThan: Date(timeIntervalSince1970: 1_790_000_001)) == 1)
        #expect(try store.cacheStatistics().entries == 1)

        let at = Date(timeIntervalSince1970: 1_790_000_000)
        func call(_ status: CallStatus, cost: Double) -> CallRecord {
            CallRecord(
                at: at, source: "promptctl", runID: "r", provider: "p", model: "m", promptID: "triagem",
                promptVersion: "1.2.0", label: nil, status: status, error: status == .ok ? nil : "x",
                promptTokens: 10, cachedTokens: 0, completionTokens: 5, costUSD: cost, latencyMs: 100,
                cacheHit: false, attempts: 1)
        }
        try store.record([call(.ok, cost: 0.01), call(.error, cost: 0), call(.interrupted, cost: 0.02)])
        let records = try store.callRecords(limit: 100)
        #expect(records.map(\.status) == [.ok, .error, .interrupted])
        #expect(records[0].at == at)
        let rows = try store.costReport(
            bucket: .day, grouping: .model, from: at.addingTimeInterval(-86400), to: at.addingTimeInterval(86400))
        #expect(rows.count == 1)
        #expect(rows.first?.messages == 2)
        #expect(rows.first?.errors == 1)
        #expect(rows.first?.promptTokens == 20)
        #expect(abs((rows.first?.costUSD ?? 0) - 0.01) < 1e-9)
    }

    @Test(
        "production messages: imports are idempotent, conflicts named, cost and window aggregates agree",
        arguments: StoreEngineKind.allCases)
    func messagesAndCost(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        // A whole hour, so that three hours hold two messages each.
        let start = Date(timeIntervalSince1970: 1_789_999_200)
        var messages: [ProductionMessage] = []
        for index in 0..<100 {
            let at = start.addingTimeInterval(Double(index) * 1800)
            let model = index % 2 == 0 ? "a" : "b"
            let status: CallStatus = index % 10 == 0 ? .error : .ok
            messages.append(sampleMessage("m\(index)", at: at, model: model, cost: 0.01, status: status))
        }
        #expect(try store.importMessages(messages) == 100)
        #expect(try store.importMessages(messages) == 0)
        #expect(try store.conflictingMessageKeys(messages).isEmpty)
        var changed = messages[5]
        changed.response = "outra resposta"
        #expect(try store.conflictingMessageKeys([changed, messages[6]]) == ["m5"])
        let byModel = try store.costReport(
            bucket: .day, grouping: .model, from: .init(timeIntervalSince1970: 0), to: .distantFuture)
        #expect(byModel.reduce(0) { $0 + $1.messages } == 100)
        #expect(byModel.reduce(0) { $0 + $1.errors } == 10)
        #expect(Set(byModel.map(\.group)) == ["a", "b"])
        let hourly = try store.costReport(
            bucket: .hour, grouping: .none, from: start, to: start.addingTimeInterval(3 * 3600))
        #expect(hourly.map(\.messages) == [2, 2, 2])
        let window = try store.windowStats(from: start, to: start.addingTimeInterval(50 * 3600))
        #expect(window.messages == 100)
        #expect(window.errors == 10)
        #expect(abs(window.costUSD - 1.0) < 1e-9)
        #expect(window.p95LatencyMs == 200)
        #expect(window.byGroup["triagem@1.2.0 · a"]?.messages == 50)
    }

    @Test("review: one sample per week, latest answer wins, every change kept", arguments: StoreEngineKind.allCases)
    func reviewFeedback(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        try store.saveSample(
            week: "2026-W48", items: [(sampleCandidate("a"), "flagged"), (sampleCandidate("b"), "random")])
        try store.saveSample(week: "2026-W48", items: [(sampleCandidate("c"), "random")])
        let items = try store.reviewItems(week: "2026-W48")
        #expect(items.map(\.candidate.sourceKey) == ["a", "b"])
        #expect(items.map(\.position) == [1, 2])
        #expect(items[0].candidate == sampleCandidate("a"))
        let first = ReviewFeedback(
            itemID: items[0].id, reviewer: "ana", clinicalCoherence: 4, friendlyTone: 5, safe: true, sendAsIs: true,
            comment: nil, correctedAnswer: nil)
        var counts = try store.saveFeedback([first], source: "web")
        #expect(counts.new == 1)
        counts = try store.saveFeedback([first], source: "csv")
        #expect(counts.unchanged == 1)
        var second = first
        second.clinicalCoherence = 2
        second.comment = "faltou orientar"
        counts = try store.saveFeedback([second], source: "web")
        #expect(counts.updated == 1)
        #expect(try store.feedbackHistory(itemID: items[0].id, reviewer: "ana") == [first, second])
        #expect(try store.feedbackHistoryCount() == 2)
        let joined = try store.feedback(week: "2026-W48")
        #expect(joined.count == 1)
        #expect(joined.first?.0 == second)
        #expect(joined.first?.1.sourceKey == "a")
        #expect(try store.feedback(week: "2026-W01").isEmpty)
        #expect(try store.feedback(week: nil).count == 1)
        try store.addReviewer(name: "ana", week: "2026-W48", tokenSHA256: "h1")
        try store.addReviewer(name: "ana", week: "2026-W48", tokenSHA256: "h2")
        #expect(try store.reviewer(tokenSHA256: "h1") == nil)
        #expect(try store.reviewer(tokenSHA256: "h2")?.name == "ana")
        #expect(try store.answeredItems(reviewer: "ana") == [items[0].id])
    }

    @Test(
        "concurrent writers: result writers and 20 feedback submissions, every row stored exactly once",
        arguments: StoreEngineKind.allCases)
    func concurrentWriters(kind: StoreEngineKind) async throws {
        let (store, location) = try freshStore(kind)
        try store.createRun(id: "shared", suite: "s", suiteFile: "f", plan: Data(), gitRef: nil, candidates: [])
        try store.saveSample(week: "2026-W48", items: [(sampleCandidate("x"), "random")])
        let itemID = try #require(try store.reviewItems(week: "2026-W48").first?.id)
        let writers = 4
        let perWriter = 250
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    // Each writer has its own connection, as a CI shard's process would.
                    let own = try reopenStore(location)
                    for batch in stride(from: 0, to: perWriter, by: 25) {
                        try own.insertResults(
                            (batch..<batch + 25).map { sampleResult(run: "shared", item: "w\(writer)-\($0)") })
                    }
                }
            }
            for nurse in 0..<20 {
                group.addTask {
                    let own = try reopenStore(location)
                    let feedback = ReviewFeedback(
                        itemID: itemID, reviewer: "nurse\(nurse)", clinicalCoherence: 1 + nurse % 5, friendlyTone: 3,
                        safe: true, sendAsIs: nurse % 2 == 0, comment: "n\(nurse)", correctedAnswer: nil)
                    #expect(try own.saveFeedback([feedback], source: "web").new == 1)
                }
            }
            try await group.waitForAll()
        }
        let keys = try store.completedItemKeys(runID: "shared")
        #expect(keys.count == writers * perWriter)
        #expect(try store.resultDetails(runID: "shared").count == writers * perWriter)
        let feedback = try store.feedback(week: "2026-W48")
        #expect(feedback.count == 20)
        #expect(Set(feedback.map(\.0.reviewer)).count == 20)
        #expect(try store.feedbackHistoryCount() == 20)
    }

    @Test("a store from a newer promptctl is refused with exit 3", arguments: StoreEngineKind.allCases)
    func newerSchemaRefused(kind: StoreEngineKind) async throws {
        let (_, location) = try freshStore(kind)
        switch kind {
        case .sqlite:
            try await rawSQLite(location) { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
            }
        case .postgres:
            let database = String(location.split(separator: "/").last!.split(separator: "?").first!)
            try PostgresTestServer.shared().psql(
                database: database,
                "INSERT INTO promptctl_schema_migrations (position, identifier) VALUES (99, 'v99-from-the-future')")
        }
        do {
            _ = try reopenStore(location)
            Issue.record("a newer schema was opened")
        } catch let error as PromptctlError {
            #expect(error.exitStatus == .providerOrInfrastructure)
            #expect(error.message.contains("newer schema"))
            #expect(error.message.contains("v99-from-the-future"))
        }
    }
}

@Suite("PostgreSQL store: errors name the cause and the remedy")
struct PostgresStoreErrorTests {
    @Test("a database without the schema, wrong credentials, no server: exit 3 with a remedy")
    func connectionErrors() throws {
        let server = try PostgresTestServer.shared()
        let empty = try server.createDatabase()
        func failure(_ url: String) throws -> PromptctlError {
            do {
                _ = try PostgresStore(location: try PostgresLocation(url: url, environment: [:]))
            } catch let error as PromptctlError {
                return error
            }
            throw TestServerError("opened \(url)")
        }
        let unmigrated = try failure(empty)
        #expect(unmigrated.exitStatus == .providerOrInfrastructure)
        #expect(unmigrated.message.contains("no promptctl schema"))
        #expect(unmigrated.remedy?.contains("promptctl store migrate") == true)
        let database = String(empty.split(separator: "/").last!.split(separator: "?").first!)
        let wrongPassword = try failure(server.url(database: database, password: "wrong"))
        #expect(wrongPassword.exitStatus == .providerOrInfrastructure)
        #expect(wrongPassword.message.contains("refused the credentials"))
        #expect(!wrongPassword.description.contains("wrong"))
        let missing = try failure(server.url(database: "no_such_database"))
        #expect(missing.message.contains("does not exist"))
        let port = try freeLoopbackPort()
        let unreachable = try failure("postgresql://u:p@127.0.0.1:\(port)/x?sslmode=disable")
        #expect(unreachable.exitStatus == .providerOrInfrastructure)
        #expect(unreachable.message.contains("cannot reach the PostgreSQL server at 127.0.0.1:\(port)"))
    }

    @Test("URLs: libpq's sslmode names, passwords from the URL, password_env or PGPASSWORD, never displayed")
    func locations() throws {
        let fromURL = try PostgresLocation(url: "postgresql://ana:s%40cret@db.example:6543/promptctl?sslmode=require")
        #expect(fromURL.password == "s@cret")
        #expect(fromURL.port == 6543)
        #expect(fromURL.tlsMode == .require)
        #expect(!fromURL.displayLocation.contains("cret"))
        let fromEnvironment = try PostgresLocation(
            url: "postgres://ana@h/db", passwordEnvironment: "TEAM_DB_PASSWORD",
            environment: ["TEAM_DB_PASSWORD": "x1", "PGPASSWORD": "x2"])
        #expect(fromEnvironment.password == "x1")
        #expect(fromEnvironment.tlsMode == .prefer)
        #expect(try PostgresLocation(url: "postgres://ana@h/db", environment: ["PGPASSWORD": "x2"]).password == "x2")
        for mode in ["disable", "prefer", "require", "verify-ca", "verify-full"] {
            #expect(try PostgresLocation(url: "postgres://h/db?sslmode=\(mode)").tlsMode.rawValue == mode)
        }
        for bad in ["postgres://h/db?sslmode=allow", "postgres://h/db?sslmode=sometimes", "postgres://h/db?pool=3"] {
            do {
                _ = try PostgresLocation(url: bad)
                Issue.record("\(bad) was accepted")
            } catch let error as PromptctlError {
                #expect(error.exitStatus == .usageOrConfig)
            }
        }
        #expect(PostgresLocation.redacted("postgres://ana:hunter2@h/db") == "postgres://ana:***@h/db")
    }
}
