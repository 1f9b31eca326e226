import Foundation
import PromptctlCore
import PromptctlKit
import PromptctlPostgres
import PromptctlStore
import PromptctlTesting
import Testing

/// A result of case `caseID` on one side, passed or not, with the columns the review and the metrics read (and a
/// detail, which the store keeps for the reports but never reads).
func caseResult(
    run: String, side: EvalSide, version: String, caseID: String, repeatIndex: Int, passed: Bool, at: Date = Date(),
    findings: [[String: String]] = []
) -> StoredResult {
    let detail: [String: Any] = [
        "item": [
            "key": "\(side.rawValue)|\(caseID)|\(repeatIndex)", "promptID": "triagem", "promptVersion": version,
            "language": "pt-BR", "persona": "gestante",
        ],
        "userMessage": "pergunta \(caseID)", "output": "resposta \(caseID)",
        "rubrics": [["rubric": "clinical-coherence", "score": passed ? 0.9 : 0.2]],
        "guardDecision": ["action": findings.isEmpty ? "allow" : "escalate", "findings": findings],
    ]
    return StoredResult(
        runID: run, itemKey: "\(side.rawValue)|\(caseID)|\(repeatIndex)", side: side.rawValue, promptID: "triagem",
        promptVersion: version, language: "pt-BR", persona: "gestante", provider: "stub", model: "m", caseID: caseID,
        repeatIndex: repeatIndex, output: "resposta \(caseID)", error: nil, promptTokens: 10, cachedTokens: 0,
        completionTokens: 5, costUSD: 0.001, latencyMs: 50, cacheHit: false,
        guardAction: findings.isEmpty ? "allow" : "escalate", score: passed ? 0.9 : 0.2, passed: passed,
        needsReview: false, detail: try! JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]),
        createdAt: at, userMessage: "pergunta \(caseID)",
        guardCategories: Array(Set(findings.compactMap { $0["category"] })).sorted(),
        rubricScores: ["clinical-coherence": passed ? 0.9 : 0.2],
        guardFindings: findings.map { StoredGuardFinding(category: $0["category"] ?? "", action: $0["action"] ?? "") })
}

/// The operations `eval`, `report`, `review`, `serve` and `metrics` use beyond the first protocols, on both engines
/// with the same assertions. Serialized: each test blocks a thread of the cooperative pool while it talks to the
/// store, and the pool has two on CI, which the in-process servers of other tests need.
@Suite(
    "store engines: eval streams, sampling, Notion pages, gateway and metrics behave the same", .serialized)
struct StoreEngineOperationsTests {
    @Test(
        "eval streams: per-case tallies, regressions, results in order a page at a time, shard imports, deletion",
        arguments: StoreEngineKind.allCases)
    func evalStreams(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        try store.createRun(id: "r1", suite: "s", suiteFile: "f", plan: Data(), gitRef: nil, candidates: [])
        // Six cases, two repeats: the baseline passes every one; the candidate fails Z-1 and a-2 once, and b-3
        // always. Case ids mix case so that the order is by code point ("Z" < "a").
        let cases = ["a-1", "a-2", "b-3", "Z-1", "c-4", "d-5"]
        var results: [StoredResult] = []
        for caseID in cases {
            for repeatIndex in 0..<2 {
                results.append(
                    caseResult(
                        run: "r1", side: .baseline, version: "1.0.0", caseID: caseID, repeatIndex: repeatIndex,
                        passed: true))
                let fails = caseID == "b-3" || (repeatIndex == 1 && (caseID == "Z-1" || caseID == "a-2"))
                results.append(
                    caseResult(
                        run: "r1", side: .candidate, version: "1.1.0", caseID: caseID, repeatIndex: repeatIndex,
                        passed: !fails))
            }
        }
        try store.insertResults(results)
        let tallies = try store.caseTallies(runID: "r1", listed: 2)
        #expect(tallies.map(\.side) == [.baseline, .candidate])
        #expect(tallies.map(\.cases) == [6, 6])
        #expect(tallies.map(\.casesAllPassed) == [6, 3])
        #expect(tallies[1].failingCases == ["Z-1", "a-2"])
        #expect(tallies[0].failingCases.isEmpty)
        let regressions = try store.caseRegressions(
            runID: "r1", candidate: StoredVersionKey(side: .candidate, promptID: "triagem", promptVersion: "1.1.0"),
            baseline: StoredVersionKey(side: .baseline, promptID: "triagem", promptVersion: "1.0.0"), listed: 10)
        #expect(regressions.count == 3)
        #expect(regressions.caseIDs == ["Z-1", "a-2", "b-3"])

        // More results than one page of the PostgreSQL reader, handed over in insertion order.
        try store.createRun(id: "big", suite: "s", suiteFile: "f", plan: Data(), gitRef: nil, candidates: [])
        let many = (0..<1_203).map { sampleResult(run: "big", item: "i\($0)") }
        for start in stride(from: 0, to: many.count, by: 400) {
            try store.insertResults(Array(many[start..<min(start + 400, many.count)]))
        }
        var seen: [Data] = []
        try store.forEachResultDetail(runID: "big") { seen.append($0) }
        #expect(seen == many.map(\.detail))
        #expect(try store.resultCount(runID: "big") == 1_203)
        let some = try store.resultDetails(runID: "big", itemKeys: ["i7", "i1200", "nope"])
        #expect(some == ["i7": many[7].detail, "i1200": many[1_200].detail])
        #expect(try store.resultDetails(runID: "big", itemKeys: []).isEmpty)

        // A shard bundle given twice: a usage error, and the refused batch leaves nothing behind.
        try store.createRun(id: "merged", suite: "s", suiteFile: "f", plan: Data(), gitRef: nil, candidates: [])
        try store.importResults([sampleResult(run: "merged", item: "x1"), sampleResult(run: "merged", item: "x2")])
        do {
            try store.importResults([sampleResult(run: "merged", item: "x3"), sampleResult(run: "merged", item: "x1")])
            Issue.record("a doubled shard result was accepted")
        } catch let error as PromptctlError {
            #expect(error.exitStatus == .usageOrConfig)
            #expect(error.message.contains("two shard bundles"))
        }
        #expect(try store.completedItemKeys(runID: "merged") == ["x1", "x2"])
        try store.deleteRun(id: "merged")
        #expect(try store.run(id: "merged") == nil)
        #expect(try store.resultCount(runID: "merged") == 0)
        #expect(try store.resultCount(runID: "big") == 1_203)
    }

    @Test(
        "review sampling: unsampled candidates of a week, full candidates in key order, weeks and sources",
        arguments: StoreEngineKind.allCases)
    func reviewSampling(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        let monday = week48Monday
        var messages = (0..<6).map { sampleMessage("m\($0)", at: monday.addingTimeInterval(Double($0) * 3600)) }
        messages[1].guardAction = "escalate"
        messages[1].guardCategories = ["bleeding", "pain"]
        messages[2].status = .error
        messages.append(sampleMessage("late", at: monday.addingTimeInterval(8 * 86400)))
        try store.importMessages(messages)
        try store.createRun(id: "r", suite: "s", suiteFile: "f", plan: Data(), gitRef: nil, candidates: [])
        try store.insertResults([
            caseResult(
                run: "r", side: .candidate, version: "1.1.0", caseID: "c1", repeatIndex: 0, passed: true,
                at: monday.addingTimeInterval(100), findings: [["category": "bleeding", "action": "escalate"]]),
            caseResult(
                run: "r", side: .baseline, version: "1.0.0", caseID: "c1", repeatIndex: 0, passed: true,
                at: monday.addingTimeInterval(100)),
        ])
        let keys = try store.reviewCandidateKeys(from: monday, to: monday.addingTimeInterval(7 * 86400))
        // Five answered messages of the week and the candidate-side answer; not the error, the baseline, or next week.
        #expect(keys.count == 6)
        #expect(keys.filter { $0.sourceKey.hasPrefix("message:") }.count == 5)
        let evalKey = try #require(keys.first { $0.sourceKey.hasPrefix("eval:") })
        #expect(evalKey.stratum == "triagem · pt-BR · gestante")
        // The answer's guard escalated, like message m1's.
        #expect(evalKey.flagged)
        #expect(keys.filter(\.flagged).count == 2)
        let flaggedMessage = try #require(keys.first { $0.flagged && $0.sourceKey.hasPrefix("message:") })
        let wanted = [evalKey.sourceKey, flaggedMessage.sourceKey, "message:999999"]
        let candidates = try store.reviewCandidates(keys: wanted)
        #expect(candidates.map(\.sourceKey) == Array(wanted.prefix(2)))
        #expect(candidates[0].userMessage == "pergunta c1")
        #expect(candidates[0].scores == ["clinical-coherence": 0.9])
        #expect(candidates[0].guardAction == "escalate")
        #expect(candidates[0].guardCategories == ["bleeding"])
        #expect(candidates[1].guardCategories == ["bleeding", "pain"])
        #expect(candidates[1].conversationID == "c-m1")
        #expect(candidates[1].at == monday.addingTimeInterval(3600))
        try store.saveSample(week: "2026-W48", items: candidates.map { ($0, "s") })
        let after = try store.reviewCandidateKeys(from: monday, to: monday.addingTimeInterval(7 * 86400))
        #expect(after.count == 4)
        #expect(Set(after.map(\.sourceKey)).isDisjoint(with: wanted))
        let items = try store.reviewItems(week: "2026-W48")
        #expect(try store.reviewItemWeeks() == Dictionary(uniqueKeysWithValues: items.map { ($0.id, "2026-W48") }))
        #expect(try store.reviewItemSources().map(\.sourceKey) == Array(wanted.prefix(2)))
    }

    @Test(
        "Notion pages: pushed pages remembered, pulled answers stored unless a newer CSV answer exists",
        arguments: StoreEngineKind.allCases)
    func notionPages(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        try store.saveSample(
            week: "2026-W48", items: [(sampleCandidate("a"), "s"), (sampleCandidate("b"), "s")])
        let items = try store.reviewItems(week: "2026-W48")
        try store.saveNotionPage(dataSourceID: "ds", itemID: items[0].id, pageID: "p-a")
        try store.saveNotionPage(dataSourceID: "ds", itemID: items[1].id, pageID: "p-b")
        try store.saveNotionPage(dataSourceID: "other", itemID: items[1].id, pageID: "p-x")
        #expect(
            try store.notionPages(dataSourceID: "ds").mapValues(\.pageID) == [items[0].id: "p-a", items[1].id: "p-b"])
        func answer(_ item: ReviewItem, coherence: Int, editedAt: Date, page: String) -> PulledAnswer {
            PulledAnswer(
                feedback: ReviewFeedback(
                    itemID: item.id, reviewer: "ana", clinicalCoherence: coherence, friendlyTone: 4, safe: true,
                    sendAsIs: false, comment: nil, correctedAnswer: nil),
                pageID: page, version: "v\(coherence)", editedAt: editedAt)
        }
        // Ana answered item b by CSV just now; her Notion edit of an hour ago must not replace it.
        try store.saveFeedback(
            [
                ReviewFeedback(
                    itemID: items[1].id, reviewer: "ana", clinicalCoherence: 5, friendlyTone: 5, safe: true,
                    sendAsIs: true, comment: nil, correctedAnswer: nil)
            ], source: "csv")
        let counts = try store.savePulledFeedback(
            [
                answer(items[0], coherence: 3, editedAt: Date(), page: "p-a"),
                answer(items[1], coherence: 1, editedAt: Date().addingTimeInterval(-3600), page: "p-b"),
            ], dataSourceID: "ds")
        #expect(counts.saved.new == 1)
        #expect(counts.superseded == 1)
        let stored = Dictionary(uniqueKeysWithValues: try store.feedback(week: nil).map { ($0.0.itemID, $0.0) })
        #expect(stored[items[0].id]?.clinicalCoherence == 3)
        #expect(stored[items[1].id]?.clinicalCoherence == 5)
        let pages = try store.notionPages(dataSourceID: "ds")
        #expect(pages[items[0].id]?.pulledVersion == "v3")
        // A push to the same page keeps what the pull saw; a push to a new page forgets it.
        try store.saveNotionPage(dataSourceID: "ds", itemID: items[0].id, pageID: "p-a")
        #expect(try store.notionPages(dataSourceID: "ds")[items[0].id]?.pulledVersion == "v3")
        try store.saveNotionPage(dataSourceID: "ds", itemID: items[0].id, pageID: "p-a2")
        #expect(try store.notionPages(dataSourceID: "ds")[items[0].id]?.pulledVersion == nil)

        // A page first pulled without a name, then with one: one answer in force, both in the history; Ana's CSV
        // answer on item b is not a Notion answer and stays.
        var unnamed = answer(items[0], coherence: 2, editedAt: Date(), page: "p-a2")
        unnamed.feedback.reviewer = "Notion"
        try store.savePulledFeedback([unnamed], dataSourceID: "ds")
        #expect(try store.feedback(week: nil).filter { $0.0.itemID == items[0].id }.map(\.0.reviewer) == ["Notion"])
        var named = answer(items[1], coherence: 4, editedAt: Date(), page: "p-b")
        named.feedback.reviewer = "bia"
        try store.savePulledFeedback(
            [answer(items[0], coherence: 4, editedAt: Date(), page: "p-a2"), named], dataSourceID: "ds")
        let inForce = try store.feedback(week: nil).map { "\($0.0.itemID == items[0].id ? "a" : "b"):\($0.0.reviewer)" }
        #expect(Set(inForce) == ["a:ana", "b:ana", "b:bia"])
        #expect(try store.feedbackHistory(itemID: items[0].id, reviewer: "Notion").map(\.clinicalCoherence) == [2])
    }

    @Test(
        "gateway: 300 concurrent writers are each stored once, and a duplicate key fails only its own writer",
        arguments: StoreEngineKind.allCases)
    func concurrentExchangeWrites(kind: StoreEngineKind) async throws {
        let (store, _) = try freshStore(kind)
        let since = Date(timeIntervalSince1970: 1_790_000_000)
        func exchange(_ key: String, _ index: Int) -> GatewayExchange {
            GatewayExchange(
                message: sampleMessage(key, at: since.addingTimeInterval(Double(index))), arm: nil,
                needsReview: false, attempts: 1, error: nil)
        }
        try await store.recordExchanges([exchange("taken", 0)])
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 1...300 {
                group.addTask {
                    // Every 50th writer repeats a stored key: its transaction must fail, and only its own.
                    let key = index % 50 == 0 ? "taken" : "w\(index)"
                    do {
                        try await store.recordExchanges([exchange(key, index)])
                        return (index, true)
                    } catch {
                        return (index, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for await (index, stored) in group { outcomes[index] = stored }
            return outcomes
        }
        #expect(outcomes.filter { !$0.value }.keys.sorted() == [50, 100, 150, 200, 250, 300])
        let keys = try store.gatewayExchanges(limit: 1_000).map(\.message.key)
        #expect(keys.count == 1 + 294)
        #expect(Set(keys).count == keys.count)
        #expect(Set(keys) == Set(["taken"] + (1...300).filter { $0 % 50 != 0 }.map { "w\($0)" }))
    }

    @Test(
        "gateway: exchanges stored with their call, canary arm statistics, client keys",
        arguments: StoreEngineKind.allCases)
    func gatewayExchanges(kind: StoreEngineKind) async throws {
        let (store, _) = try freshStore(kind)
        let since = Date(timeIntervalSince1970: 1_790_000_000)
        var exchanges: [GatewayExchange] = []
        for index in 0..<30 {
            var message = sampleMessage("g\(index)", at: since.addingTimeInterval(Double(index)))
            message.latencyMs = Double(index * 10)
            message.status = index % 10 == 9 ? .error : .ok
            message.guardAction = index == 4 ? "block" : "allow"
            let arm: CanaryArm? = index < 20 ? (index % 2 == 0 ? .production : .canary) : nil
            exchanges.append(
                GatewayExchange(
                    message: message, arm: arm, needsReview: index == 4, attempts: index % 3,
                    error: message.status == .error ? "503" : nil))
        }
        try await store.recordExchanges(Array(exchanges.prefix(10)))
        try await store.recordExchanges(Array(exchanges.dropFirst(10)))
        let stored = try store.gatewayExchanges()
        #expect(stored == exchanges)
        #expect(try store.gatewayExchanges(limit: 3) == Array(exchanges.prefix(3)))
        let stats = try store.canaryArmStats(promptID: "triagem", since: since)
        #expect(Set(stats.keys) == Set([CanaryArm.production, .canary]))
        let production = try #require(stats[.production])
        #expect(production.messages == 10)
        #expect(production.blocked == 1)
        #expect(production.errors == 0)
        #expect(abs(production.costUSD - 0.1) < 1e-9)
        // Production arm latencies 0, 20, …, 180: the nearest-rank p95 of ten is the tenth.
        #expect(production.p95LatencyMs == 180)
        let canary = try #require(stats[.canary])
        #expect(canary.errors == 2)
        #expect(canary.p95LatencyMs == 170)
        #expect(try store.canaryArmStats(promptID: "triagem", since: since.addingTimeInterval(3600)).isEmpty)
        // The exchanges count as production calls for the cost report too.
        let rows = try store.costReport(bucket: .day, grouping: .none, from: since, to: since.addingTimeInterval(86400))
        #expect(rows.first?.messages == 30)

        try store.addClientKey(name: "zeta", sha256: "h-z")
        try store.addClientKey(name: "Alfa", sha256: "h-a")
        try store.addClientKey(name: "beta", sha256: "h-b")
        do {
            try store.addClientKey(name: "beta", sha256: "h-other")
            Issue.record("a second key named beta was accepted")
        } catch let error as PromptctlError {
            #expect(error.exitStatus == .usageOrConfig)
            #expect(error.message.contains("already exists"))
        }
        #expect(try store.clientKeys().map(\.name) == ["Alfa", "beta", "zeta"])
        #expect(try store.clientKeyName(sha256: "h-b") == "beta")
        #expect(try store.clientKeyName(sha256: "h-other") == nil)
        #expect(try store.removeClientKey(name: "beta"))
        #expect(try !store.removeClientKey(name: "beta"))
        #expect(try store.clientKeys().map(\.sha256) == ["h-a", "h-z"])
    }

    @Test("metrics: call groups with latency buckets, guard decisions by category", arguments: StoreEngineKind.allCases)
    func metrics(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        func call(_ model: String, _ status: CallStatus, latency: Double, prompt: String?) -> CallRecord {
            CallRecord(
                at: at, source: "promptctl", runID: nil, provider: "p", model: model, promptID: prompt,
                promptVersion: prompt == nil ? nil : "1.0.0", label: nil, status: status, error: nil, promptTokens: 10,
                cachedTokens: 1, completionTokens: 5, costUSD: 0.5, latencyMs: latency, cacheHit: false, attempts: 1)
        }
        try store.record([
            call("b", .ok, latency: 90, prompt: "triagem"), call("b", .ok, latency: 600, prompt: "triagem"),
            call("B", .ok, latency: 40_000, prompt: "triagem"), call("b", .error, latency: 100, prompt: "triagem"),
            call("a", .ok, latency: 1, prompt: nil),
        ])
        let groups = try store.callMetricGroups()
        #expect(
            groups.map { "\($0.prompt)|\($0.model)|\($0.status.rawValue)" } == [
                "|a|ok", "triagem|B|ok", "triagem|b|error", "triagem|b|ok",
            ])
        let okB = groups[3]
        #expect(okB.calls == 2)
        #expect(okB.promptTokens == 20 && okB.cachedTokens == 2 && okB.completionTokens == 10)
        #expect(abs(okB.costUSD - 1.0) < 1e-9)
        #expect(okB.latencyMsSum == 690)
        #expect(okB.latencyBucketCounts == [1, 1, 1, 2, 2, 2, 2, 2])
        #expect(groups[1].latencyBucketCounts == [0, 0, 0, 0, 0, 0, 0, 0])

        try store.createRun(id: "r", suite: "s", suiteFile: "f", plan: Data(), gitRef: nil, candidates: [])
        try store.insertResults([
            caseResult(
                run: "r", side: .candidate, version: "1", caseID: "c1", repeatIndex: 0, passed: true,
                findings: [
                    ["category": "bleeding", "action": "escalate"], ["category": "medication", "action": "block"],
                ]),
            caseResult(
                run: "r", side: .candidate, version: "1", caseID: "c2", repeatIndex: 0, passed: true,
                findings: [["category": "bleeding", "action": "escalate"]]),
            caseResult(run: "r", side: .candidate, version: "1", caseID: "c3", repeatIndex: 0, passed: true),
        ])
        var messages = (0..<3).map { sampleMessage("m\($0)", at: at) }
        messages[0].guardAction = "escalate"
        messages[0].guardCategories = ["bleeding"]
        messages[1].guardAction = "allow"
        try store.importMessages(messages)
        let decisions = try store.guardDecisionCounts().map { "\($0.category)|\($0.action)|\($0.count)" }
        #expect(decisions == ["bleeding|escalate|3", "medication|block|1", "none|allow|1"])
    }

    @Test(
        "store copy reads pages by key: every row once, in code point order, composite keys included",
        arguments: StoreEngineKind.allCases)
    func pagesByKey(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        let keys = ["b", "B", "a", "A_", "á", "a%", "Z"]
        for key in keys {
            try store.storeResponse(
                CachedResponse(
                    key: key, provider: "p", model: "m", payload: Data(key.utf8), costUSD: 0, createdAt: Date()))
        }
        let candidates = [("r2", "x"), ("r1", "y"), ("r1", "X"), ("R", "z"), ("r2", "a")]
        for run in ["r2", "r1", "R"] {
            try store.createRun(
                id: run, suite: "s", suiteFile: "f", plan: Data(), gitRef: nil,
                candidates: candidates.filter { $0.0 == run }.map { RunCandidate(candidate: $0.1, baseline: nil) })
        }
        func pages(_ table: StoreTable, limit: Int) throws -> [[StoreValue]] {
            var all: [[StoreValue]] = []
            var after: [StoreValue]?
            while true {
                let page = try store.rows(table, after: after, limit: limit)
                all += page
                guard page.count == limit, let last = page.last else { return all }
                after = table.key(of: last)
            }
        }
        let cache = try #require(StoreTable.all.first { $0.name == "llm_cache" })
        let paged = try pages(cache, limit: 2)
        #expect(paged == (try store.rows(cache, after: nil, limit: 100)))
        // Code point order, as SQLite's binary collation sorts: "A_" < "B" < "Z" < "a" < "a%" < "b" < "á".
        #expect(
            paged.map { $0[0] }
                == keys.sorted {
                    Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes(
                        Array($1.unicodeScalars.map(\.value)))
                }.map(StoreValue.text))
        let pairs = try #require(StoreTable.all.first { $0.name == "eval_run_candidate" })
        let pagedPairs = try pages(pairs, limit: 2).map { "\($0[0])|\($0[1])" }
        #expect(pagedPairs.count == candidates.count)
        #expect(pagedPairs.first == "\(StoreValue.text("R"))|\(StoreValue.text("z"))")
        #expect(pagedPairs == (try store.rows(pairs, after: nil, limit: 100)).map { "\($0[0])|\($0[1])" })
        #expect(try pages(pairs, limit: 1).count == candidates.count)
    }

    @Test("SQLite: several opens of a new store file at once all migrate it (CI shards starting together)")
    func concurrentFirstOpen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.path("fresh.sqlite")
        let newest = try AppDatabase(path: directory.path("reference.sqlite")).appliedMigrations().last
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<6 {
                group.addTask { try await offThePool { try AppDatabase(path: path).appliedMigrations().last } }
            }
            for try await last in group { #expect(last == newest) }
        }
    }

    @Test(
        "PostgreSQL: a session ended by the server is waited out; a server error is a promptctl error naming it (exit 3)"
    )
    func describedServerErrors() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.createDatabase()
        let store = try PostgresStore(location: try PostgresLocation(url: url), migrate: true)
        let database = String(url.split(separator: "/").last!.split(separator: "?").first!)
        // A session the server ends in the middle of a statement (as a restart or an administrator does) fails that
        // statement with an error a writer waits out; the next statement gets a new connection. The statement is
        // held on a lock so that it is surely running when its session is ended; the lock is held until this test
        // ends its holder (a fixed sleep let a slow, loaded machine's statement through once the sleep was over).
        #expect(try store.resultCount(runID: "r") == 0)
        let holder = Thread {
            _ = try? server.psql(
                database: database,
                "BEGIN; LOCK TABLE eval_result IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT")
        }
        holder.start()
        let locked = "SELECT count(*) FROM pg_locks WHERE relation = 'eval_result'::regclass AND granted"
        for _ in 0..<100
        where try server.psql(database: database, locked).trimmingCharacters(in: .whitespacesAndNewlines) == "0" {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let terminator = Thread {
            for _ in 0..<200 {
                let ended = try? server.psql(
                    database: database,
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND wait_event_type = 'Lock'")
                if let ended, ended.trimmingCharacters(in: .whitespacesAndNewlines) != "0" { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        terminator.start()
        do {
            _ = try store.resultCount(runID: "r")
            Issue.record("the statement whose session was ended succeeded")
        } catch {
            let described = error as? PromptctlError
            #expect(described?.exitStatus == .providerOrInfrastructure, "\(error)")
            #expect(store.isTransient(error), "\(error)")
        }
        try server.psql(
            database: database,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()")
        #expect(try store.resultCount(runID: "r") == 0)
        try server.psql(database: database, "DROP TABLE eval_result, llm_call CASCADE")
        for read in [
            { _ = try store.caseTallies(runID: "r", listed: 3) },
            { _ = try store.canaryArmStats(promptID: "p", since: Date()) },
        ] as [() throws -> Void] {
            do {
                try read()
                Issue.record("a read of a dropped table succeeded")
            } catch let error as PromptctlError {
                #expect(error.exitStatus == .providerOrInfrastructure)
                #expect(error.message.contains("PostgreSQL at"), "\(error)")
            }
        }
    }

    @Test("write health: which failures a writer waits out, on each engine", arguments: StoreEngineKind.allCases)
    func writeHealth(kind: StoreEngineKind) throws {
        let (store, _) = try freshStore(kind)
        try store.checkpoint()
        let usage = store.isTransient(PromptctlError(.usage, "bad input"))
        #expect(!usage)
        let port = try freeLoopbackPort()
        do {
            _ = try reopenStore("postgresql://u:p@127.0.0.1:\(port)/x?sslmode=disable")
            Issue.record("an unreachable server was opened")
        } catch {
            // A server that cannot be reached is waited for by the PostgreSQL engine (it may be restarting); it is
            // nothing the SQLite engine's lock waits would cure.
            let transient = store.isTransient(error)
            #expect(transient == (kind == .postgres))
        }
    }
}

/// Monday 2026-11-23 00:00 UTC, the start of 2026-W48.
let week48Monday = Date(timeIntervalSince1970: 1_795_392_000)

@Suite("SQLite store beside a server")
struct ServingUpkeepTests {
    /// The size of the database file itself, which grows only when the log is copied into it.
    func mainFileSize(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    /// A fresh SQLite store and its path.
    func freshSQLiteStore() throws -> (store: AppDatabase, path: String, directory: TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let path = directory.path("store.sqlite")
        return (try AppDatabase(path: path), path, directory)
    }

    /// Writes exchanges numbered `range`, one transaction each.
    func record(_ range: Range<Int>, into store: AppDatabase) async throws {
        let since = Date(timeIntervalSince1970: 1_790_000_000)
        for index in range {
            try await store.recordExchanges([
                GatewayExchange(
                    message: sampleMessage("k\(index)", at: since.addingTimeInterval(Double(index))), arm: nil,
                    needsReview: false, attempts: 1, error: nil)
            ])
        }
    }

    @Test("while a server runs, commits never checkpoint; the upkeep's own connection copies the log instead")
    func checkpointsMoveOffTheCommits() async throws {
        let (store, path, directory) = try freshSQLiteStore()
        defer { directory.cleanUp() }
        func record(_ range: Range<Int>) async throws { try await self.record(range, into: store) }
        // Upkeep that never gets its turn: 300 commits (well past the 1,000 pages at which SQLite checkpoints by
        // itself) leave the database file as it was, so no commit copied the log.
        let idle = try store.startServingUpkeep(interval: 3_600)
        let before = try mainFileSize(path)
        try await record(0..<300)
        #expect(try mainFileSize(path) == before)
        idle.stop()
        // Upkeep that runs: the log reaches the database file without another commit.
        let running = try store.startServingUpkeep(
            interval: 0.02, resetFrames: 8_000, minimumWrites: 100, maximumDelay: 3_600)
        var after = try mainFileSize(path)
        let deadline = Date().addingTimeInterval(10)
        while after == before, Date() < deadline {
            try await Task.sleep(nanoseconds: 20_000_000)
            after = try mainFileSize(path)
        }
        #expect(after > before)
        try await record(300..<310)
        running.stop()
        // Stopped, the writer checkpoints by itself again; every exchange is there.
        try await record(310..<600)
        #expect(try store.gatewayExchanges(limit: 1_000).count == 600)
        #expect(try mainFileSize(path) > after)
    }

    @Test("at low traffic the upkeep waits for enough writes, so an idle log is not started again at every commit")
    func fewWritesWaitForTheirCheckpoint() async throws {
        let (store, path, directory) = try freshSQLiteStore()
        defer { directory.cleanUp() }
        let upkeep = try store.startServingUpkeep(
            interval: 0.01, resetFrames: 8_000, minimumWrites: 50, maximumDelay: 3_600)
        defer { upkeep.stop() }
        let before = try mainFileSize(path)
        // Fewer writes than the minimum: twenty turns of the loop leave the log where it is.
        try await record(0..<20, into: store)
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(try mainFileSize(path) == before)
        // The minimum reached: the next turn copies the log.
        try await record(20..<60, into: store)
        var after = try mainFileSize(path)
        let deadline = Date().addingTimeInterval(10)
        while after == before, Date() < deadline {
            try await Task.sleep(nanoseconds: 10_000_000)
            after = try mainFileSize(path)
        }
        #expect(after > before)
        #expect(try store.gatewayExchanges(limit: 1_000).count == 60)
    }

    @Test("under steady writes the upkeep empties the log once it is long, instead of letting it grow")
    func longLogIsEmptied() async throws {
        let (store, path, directory) = try freshSQLiteStore()
        defer { directory.cleanUp() }
        // Every turn finds more than one page in the log, so every turn empties it.
        let upkeep = try store.startServingUpkeep(interval: 0.01, resetFrames: 1, minimumWrites: 1, maximumDelay: 0)
        defer { upkeep.stop() }
        try await record(0..<200, into: store)
        var logSize = try mainFileSize(path + "-wal")
        let deadline = Date().addingTimeInterval(10)
        while logSize > 0, Date() < deadline {
            try await Task.sleep(nanoseconds: 10_000_000)
            logSize = try mainFileSize(path + "-wal")
        }
        #expect(logSize == 0)
        #expect(try store.gatewayExchanges(limit: 1_000).count == 200)
    }
}
