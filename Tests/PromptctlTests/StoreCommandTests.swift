import Foundation
import PromptctlCore
import PromptctlStore
import PromptctlTesting
import Testing

/// 48 production messages of one day, one an hour, as `messages import` reads them.
func hourlyMessagesJSONL() throws -> String {
    var lines: [String] = []
    for index in 0..<48 {
        let object: [String: Any] = [
            "id": "msg-\(index)",
            "timestamp": Timestamp.string(Date(timeIntervalSince1970: 1_789_999_200 + Double(index) * 1800)),
            "prompt_id": "gestante-acolhimento", "prompt_version": "1.0.0", "label": "production",
            "user_message": "Oi", "response": "Olá!", "model": "gpt-4o-mini", "tokens_in": 800, "tokens_cached": 0,
            "tokens_out": 200, "latency_ms": 900, "status": "ok",
        ]
        lines.append(
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite("promptctl store and --db on both engines (the real binary)")
struct StoreCommandTests {
    @Test(
        "store migrate, messages import and cost report through --db, the same figures on both engines",
        arguments: StoreEngineKind.allCases)
    func migrateImportReport(kind: StoreEngineKind) throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        try directory.write("messages.jsonl", try hourlyMessagesJSONL())
        let location =
            kind == .sqlite ? directory.path("team.sqlite") : try PostgresTestServer.shared().createDatabase()
        if kind == .postgres {
            // Before `store migrate`, a PostgreSQL database is refused with the remedy.
            let refused = try runPromptctl(["cost", "report", "--db", location], in: directory.url)
            #expect(refused.status == 3)
            #expect(refused.stderr.contains("promptctl store migrate"))
        }
        let migrated = try runPromptctl(["store", "migrate", "--db", location, "--format", "json"], in: directory.url)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains("v10-release-gateway"))
        #expect(!migrated.stdout.contains(try PostgresTestServer.shared().password))
        let imported = try runPromptctl(
            ["messages", "import", "messages.jsonl"], in: directory.url, environment: ["PROMPTCTL_DB": location])
        #expect(imported.status == 0, "\(imported.stderr)")
        let again = try runPromptctl(["messages", "import", "messages.jsonl", "--db", location], in: directory.url)
        #expect(again.status == 0)
        let report = try runPromptctl(
            ["cost", "report", "--db", location, "--by", "day", "--format", "json"], in: directory.url)
        #expect(report.status == 0, "\(report.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rows.compactMap { $0["messages"] as? Int }.reduce(0, +) == 48)
        let status = try runPromptctl(["store", "status", "--db", location], in: directory.url)
        #expect(status.status == 0)
        // The newest migration this build knows, read off a fresh SQLite store rather than written here.
        let newest = try #require(try AppDatabase(path: directory.path("fresh.sqlite")).appliedMigrations().last)
        #expect(status.stdout.contains("latest \(newest)"), "\(status.stdout)")
    }

    @Test("an unreachable server is exit 3 naming host and port; an unsupported sslmode is exit 2")
    func badLocations() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let port = try freeLoopbackPort()
        let unreachable = try runPromptctl(
            ["cost", "report", "--db", "postgresql://ana:secret@127.0.0.1:\(port)/team?sslmode=disable"],
            in: directory.url)
        #expect(unreachable.status == 3)
        #expect(unreachable.stderr.contains("cannot reach the PostgreSQL server at 127.0.0.1:\(port)"))
        #expect(!unreachable.stderr.contains("secret"))
        let allow = try runPromptctl(["store", "status", "--db", "postgres://h/db?sslmode=allow"], in: directory.url)
        #expect(allow.status == 2)
        #expect(allow.stderr.contains("sslmode=allow"))
        // Every command opens the same store: metrics, once SQLite-only, names the unreachable server too.
        let metrics = try runPromptctl(
            ["metrics", "--db", "postgresql://ana@127.0.0.1:\(port)/team"], in: directory.url)
        #expect(metrics.status == 3)
        #expect(metrics.stderr.contains("cannot reach the PostgreSQL server at 127.0.0.1:\(port)"))
    }
}
