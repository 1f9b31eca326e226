import Foundation
import PromptctlCore
import PromptctlKit
import PromptctlStore
import PromptctlTesting
import Testing

/// Fills a store with rows in every kind of table that the named operations write.
func fillStore(_ store: any PromptctlStoreEngine, messages: Range<Int>) throws {
    let start = Date(timeIntervalSince1970: 1_789_999_200)
    try store.importMessages(
        messages.map {
            sampleMessage("m\($0)", at: start.addingTimeInterval(Double($0) * 600), cost: 0.001 * Double($0 % 7))
        })
    if messages.lowerBound == 0 {
        try store.createRun(
            id: "run-1", suite: "triagem", suiteFile: "f.yaml", plan: Data("{}".utf8), gitRef: nil,
            candidates: [RunCandidate(candidate: "triagem@1.2.0", baseline: nil)])
        try store.insertResults((0..<30).map { sampleResult(run: "run-1", item: "i\($0)", at: start) })
        try store.finishRun(id: "run-1", status: .finished, summary: Data("{\"ok\":true}".utf8))
        try store.storeResponse(
            CachedResponse(
                key: "k", provider: "p", model: "m", payload: Data([0, 1, 255]), costUSD: 0.1, createdAt: start))
        try store.saveSample(
            week: "2026-W48", items: [(sampleCandidate("a"), "flagged"), (sampleCandidate("b"), "random")])
        let items = try store.reviewItems(week: "2026-W48")
        try store.saveFeedback(
            [
                ReviewFeedback(
                    itemID: items[0].id, reviewer: "ana", clinicalCoherence: 4, friendlyTone: 5, safe: true,
                    sendAsIs: false, comment: "ok", correctedAnswer: "Procure a maternidade hoje")
            ], source: "csv")
        try store.addReviewer(name: "ana", week: "2026-W48", tokenSHA256: "h")
    }
}

@Suite("store copy: SQLite → PostgreSQL → SQLite, resumable, verified")
struct StoreCopyTests {
    @Test("every table arrives with the same counts and checksums, and a second copy writes only what is new")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let service = StoreCopyService(workspace: Workspace(project: directory.url.path, environment: [:]))
        let original = try AppDatabase(path: directory.path("original.sqlite"))
        try fillStore(original, messages: 0..<200)
        let url = try PostgresTestServer.shared().createDatabase()
        let there = try service.copy(from: directory.path("original.sqlite"), to: url, batch: 64)
        let byName = Dictionary(uniqueKeysWithValues: there.tables.map { ($0.table, $0) })
        #expect(byName["production_message"]?.rows == 200)
        #expect(byName["llm_call"]?.copied == 200)
        #expect(byName["eval_result"]?.rows == 30)
        #expect(byName["review_feedback"]?.rows == 1)
        #expect((byName["cost_hourly"]?.rows ?? 0) > 0)

        // The copy reads back through the PostgreSQL engine's own operations.
        let postgres = try reopenStore(url)
        #expect(try postgres.feedback(week: "2026-W48").map(\.0) == original.feedback(week: "2026-W48").map(\.0))
        // Every count equal; each cost equal but for the order its floats were added in (the engines sum the hours
        // of a day in whichever order their plan reads them).
        func report(_ store: any PromptctlStoreEngine) throws -> [CostRow] {
            try store.costReport(
                bucket: .day, grouping: .prompt, from: .init(timeIntervalSince1970: 0), to: .distantFuture)
        }
        let copiedReport = try report(postgres)
        let originalReport = try report(original)
        #expect(copiedReport.count == originalReport.count)
        for (copied, source) in zip(copiedReport, originalReport) {
            var withoutCost = copied
            withoutCost.costUSD = source.costUSD
            #expect(withoutCost == source)
            #expect(abs(copied.costUSD - source.costUSD) < 1e-9, "\(copied.costUSD) vs \(source.costUSD)")
        }
        // More rows in the source: a second copy writes only those (a cut-short copy resumes the same way).
        try fillStore(original, messages: 200..<250)
        let again = try service.copy(from: directory.path("original.sqlite"), to: directory.path("back.sqlite"))
        #expect(again.tables.first { $0.table == "llm_call" }?.copied == 250)
        let resumedURL = try service.copy(from: directory.path("original.sqlite"), to: url, batch: 64)
        #expect(resumedURL.tables.first { $0.table == "production_message" }?.copied == 50)
        #expect(resumedURL.tables.first { $0.table == "eval_result" }?.copied == 0)

        // New ids continue after the copied ones.
        try postgres.saveSample(week: "2026-W49", items: [(sampleCandidate("c"), "random")])
        #expect(try postgres.reviewItems(week: "2026-W49").first?.id == 3)

        // And back from PostgreSQL to a new SQLite file: every checksum matches the original's.
        let back = try service.copy(from: url, to: directory.path("back2.sqlite"))
        let originalSums = Dictionary(uniqueKeysWithValues: again.tables.map { ($0.table, $0.sha256) })
        for table in back.tables where table.table != "review_item" {
            #expect(originalSums[table.table] == table.sha256, "\(table.table)")
        }
    }

    @Test("a target with rows the source lacks is refused; the CLI copies and verifies")
    func refusalsAndCommand() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let source = try AppDatabase(path: directory.path("a.sqlite"))
        try fillStore(source, messages: 0..<20)
        let other = try AppDatabase(path: directory.path("b.sqlite"))
        try other.importMessages(
            (0..<40).map { sampleMessage("x\($0)", at: Date(timeIntervalSince1970: 1_789_999_200)) })
        let refused = try runPromptctl(["store", "copy", "--from", "a.sqlite", "--to", "b.sqlite"], in: directory.url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("not a copy"))
        let url = try PostgresTestServer.shared().createDatabase()
        let copied = try runPromptctl(
            ["store", "copy", "--from", "a.sqlite", "--to", url, "--format", "json"], in: directory.url)
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stdout.contains("\"table\" : \"llm_call\""))
        #expect(!copied.stdout.contains(try PostgresTestServer.shared().password))
    }
}
