import Foundation
import PromptctlCore
import PromptctlKit
import PromptctlLLM
import PromptctlNotion
import PromptctlReview
import PromptctlStore
import PromptctlTesting
import Testing

/// The pseudonym key and the Notion token of these tests.
private let notionPseudonymKey = "0123456789abcdef0123456789abcdef"
private let notionToken = "ntn_test_7f3a9c2e5b1d4f6a8c0e2b4d6f8a"
private let sharedPage = "11111111-2222-3333-4444-555555555555"

/// Personal data and raw identifiers that must never reach Notion.
private let notionSecrets = [
    "conv-secret-", "user-5511987654", "Maria", "Souza", "Joana", "123.456.789-09", "98765-4321",
    "maria.souza@example.com", "message:", notionToken,
]

/// 40 production messages of 2026-W48 full of personal data; every answer is longer than one Notion text object.
private func notionMessages() -> String {
    (0..<40).map { index in
        let long = String(repeating: "Procure a maternidade se o sangramento continuar, Joana. 👶 ", count: 45)
        let object: [String: Any] = [
            "id": "m\(index)", "timestamp": "2026-11-2\(4 + index % 3)T1\(index % 10):00:00Z",
            "conversation_id": "conv-secret-\(index % 9)", "user_id": "user-5511987654\(index % 10)",
            "prompt_id": index % 3 == 0 ? "pregnancy-companion" : "gestante-acolhimento", "prompt_version": "1.1.0",
            "language": index % 3 == 0 ? "en" : "pt-BR", "persona": "nurse-guide",
            "user_message":
                "Meu nome é Maria Souza, CPF 123.456.789-09, telefone (11) 98765-4321, e-mail maria.souza@example.com. "
                + "Aqui é a Joana. Dúvida \(index)",
            "response": "Olá Maria! \(long) Resposta \(index)",
            "model": "gpt-4o-mini", "tokens_in": 500, "tokens_out": 100, "latency_ms": 800,
            "guard_decision": ["action": index % 6 == 0 ? "escalate" : "allow", "categories": [String]()],
        ]
        return String(
            decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }.joined(separator: "\n") + "\n"
}

/// A project with 40 messages, a drawn sample of 20 and a Notion stand-in; `configure` adds lines to review.notion.
private struct NotionFixture {
    let directory: TemporaryDirectory
    let server: LoopbackNotionServer
    let time = VirtualTime()

    static func start(pageSize: Int = 100) async throws -> NotionFixture {
        let directory = try copyShippedProject()
        try directory.write("messages.jsonl", notionMessages())
        let server = try await LoopbackNotionServer.start(
            token: notionToken, sharedPages: [sharedPage], pageSize: pageSize)
        let fixture = NotionFixture(directory: directory, server: server)
        try fixture.configure([])
        _ = try CostService(workspace: fixture.workspace).importMessages("messages.jsonl")
        _ = try ReviewService(workspace: fixture.workspace).sample(week: "2026-W48", size: 20, seed: nil)
        return fixture
    }

    var environment: [String: String] { [Privacy.keyVariable: notionPseudonymKey, "NOTION_TOKEN": notionToken] }
    var workspace: Workspace { Workspace(project: directory.url.path, environment: environment) }
    var clock: NotionClock { NotionClock(now: time.now, sleep: time.sleep) }
    var service: NotionReviewService {
        NotionReviewService(workspace: workspace, transport: CurlTransport(), clock: clock)
    }
    var database: any PromptctlStoreEngine { get throws { try ReviewService(workspace: workspace).database() } }

    /// Rewrites promptctl.yaml's review.notion block.
    func configure(_ lines: [String]) throws {
        let shipped = try String(contentsOf: repositoryRoot.appendingPathComponent("promptctl.yaml"), encoding: .utf8)
        let block = (["review:", "  notion:", "    api_url: \(server.baseURL)"] + lines.map { "    " + $0 })
            .joined(separator: "\n")
        try directory.write("promptctl.yaml", shipped + "\n" + block + "\n")
    }

    /// Runs setup and writes the ids into promptctl.yaml.
    func setUp() async throws -> NotionSetupResult {
        let result = try await service.setup(parentPageID: sharedPage)
        try configure(["database_id: \(result.databaseID)", "data_source_id: \(result.dataSourceID)"])
        return result
    }

    func stop() async {
        await server.stop()
        directory.cleanUp()
    }
}

/// What a nurse answers on the item at `index`: every rating, both yes/no values and long comments appear.
private func nurseAnswer(_ index: Int) -> (texts: [String: String], selects: [String: String?]) {
    let comment = index == 4 ? String(repeating: "Comentário longo. ", count: 150) + "Fim." : "Item \(index): ok 👍"
    return (
        [
            // Item 7's nurse leaves Revisora empty, as the issue's list of properties never asks her for it.
            "Revisora": index == 7 ? "" : index % 2 == 0 ? "Enf. Ana" : "Enf. Bia", "Comentário": comment,
            "Resposta corrigida": index % 3 == 0 ? "Procure a maternidade agora." : "",
        ],
        [
            "Coerência clínica": String(index % 5 + 1), "Tom acolhedor": String((index * 3) % 5 + 1),
            "Segura?": index % 2 == 0 ? "sim" : "não", "Enviaria como está?": index % 4 == 0 ? "sim" : "não",
        ]
    )
}

@Suite("nurse review in Notion", .serialized)
struct NotionReviewTests {
    @Test("setup creates the data source; push masks and splits; a second push updates; pull round-trips 20 answers")
    func roundTrip() async throws {
        let fixture = try await NotionFixture.start(pageSize: 7)
        defer { Task { await fixture.stop() } }
        let setup = try await fixture.setUp()
        let schema = try #require(await fixture.server.schemas()[setup.dataSourceID])
        #expect(Set(schema.keys) == Set(ReviewProperty.allCases.map(\.rawValue)))
        #expect(
            schema["Item"] == "title" && schema["Coerência clínica"] == "select" && schema["Resposta"] == "rich_text")

        let first = try await fixture.service.push(week: "2026-W48", to: .notion)
        #expect(first.created == 20 && first.updated == 0)
        let (before, sentBefore) = (fixture.time.now(), await fixture.server.requests().count)
        let second = try await fixture.service.push(week: "2026-W48", to: .notion)
        #expect(second.created == 0 && second.updated == 20)
        // No more than about 3 requests a second, after a burst of 3 (on the virtual clock: no real wait).
        let sent = await fixture.server.requests().count - sentBefore
        #expect(fixture.time.now() - before >= Double(sent - 3) / 3 - 0.01, "\(sent) requests")
        let pages = await fixture.server.pages()
        #expect(pages.count == 20)

        // Every text is the CSV export's text, whole, in pieces Notion accepts.
        let items = try fixture.database.reviewItems(week: "2026-W48")
        let privacy = Privacy(key: notionPseudonymKey)
        let byKey = Dictionary(uniqueKeysWithValues: pages.map { ($0.texts["Chave"] ?? "", $0) })
        for item in items {
            let exported = ExportedItem(item, privacy: privacy)
            let page = try #require(byKey[NotionReview.key(sourceKey: item.candidate.sourceKey, privacy: privacy)])
            #expect(page.texts["Resposta"] == exported.response)
            #expect(page.texts["Mensagem da usuária"] == exported.userMessage)
            #expect(page.texts["Semana"] == "2026-W48")
            #expect((page.pieces["Resposta"] ?? 0) >= 2, "a response of \(exported.response.utf16.count) is split")
        }

        // Nurses answer in Notion; the pull reads three result pages (7 per page) and stores the 20 answers.
        var expected: Set<ReviewFeedback> = []
        let itemByKey = Dictionary(
            uniqueKeysWithValues: items.map {
                (NotionReview.key(sourceKey: $0.candidate.sourceKey, privacy: privacy), $0)
            })
        for (index, page) in pages.enumerated() {
            let answer = nurseAnswer(index)
            await fixture.server.edit(page: page.id, texts: answer.texts, selects: answer.selects)
            let item = try #require(itemByKey[page.texts["Chave"] ?? ""])
            let corrected = answer.texts["Resposta corrigida"] ?? ""
            expected.insert(
                ReviewFeedback(
                    itemID: item.id,
                    reviewer: answer.texts["Revisora"]!.isEmpty
                        ? NotionReview.unnamedReviewer : answer.texts["Revisora"]!,
                    clinicalCoherence: Int(answer.selects["Coerência clínica"]!!)!,
                    friendlyTone: Int(answer.selects["Tom acolhedor"]!!)!, safe: answer.selects["Segura?"]!! == "sim",
                    sendAsIs: answer.selects["Enviaria como está?"]!! == "sim", comment: answer.texts["Comentário"],
                    correctedAnswer: corrected.isEmpty ? nil : corrected))
        }
        let pulled = try await fixture.service.pull(week: "2026-W48", from: .notion)
        #expect(pulled.pages == 20 && pulled.new == 20 && pulled.pending == 0)
        let stored = try fixture.database.feedback(week: "2026-W48").map(\.0)
        #expect(Set(stored) == expected)
        let queries = await fixture.server.requests().filter { $0.uri.hasSuffix("/query") }
        #expect(queries.count == 1 + 3 + 3, "the pushes and the pull follow next_cursor over pages of 7")

        // Idempotent; then a page edited since the last pull wins and the older answer stays in the history.
        let again = try await fixture.service.pull(week: "2026-W48", from: .notion)
        #expect(again.new == 0 && again.updated == 0 && again.unchanged == 20)
        await fixture.server.edit(page: pages[0].id, selects: ["Coerência clínica": "2"])
        let changed = try await fixture.service.pull(week: "2026-W48", from: .notion)
        #expect(changed.updated == 1 && changed.unchanged == 19)
        let item = try #require(itemByKey[pages[0].texts["Chave"] ?? ""])
        let history = try fixture.database.feedbackHistory(itemID: item.id, reviewer: "Enf. Ana")
        #expect(history.map(\.clinicalCoherence) == [1, 2])

        // Every call carried the API version and the token.
        let requests = await fixture.server.requests()
        #expect(requests.allSatisfy { $0.headers["notion-version"] == "2025-09-03" })
        #expect(requests.allSatisfy { $0.headers["authorization"] == "Bearer \(notionToken)" })
    }

    @Test("no CPF, phone, e-mail, name, raw identifier or token ever reaches the Notion server")
    func privacy() async throws {
        let fixture = try await NotionFixture.start()
        defer { Task { await fixture.stop() } }
        _ = try await fixture.setUp()
        _ = try await fixture.service.push(week: "2026-W48", to: .notion)
        let requests = await fixture.server.requests()
        #expect(requests.count >= 21)
        for request in requests {
            let decoded = request.body.removingPercentEncoding ?? request.body
            // JSON may escape non-ASCII; compare on the parsed text too.
            let text = (try? JSONValue.decode(Data(request.body.utf8))).map { "\($0)" } ?? ""
            for secret in notionSecrets {
                #expect(!decoded.contains(secret) && !text.contains(secret), "\(request.uri) sent \(secret)")
            }
        }
        let pages = await fixture.server.pages()
        #expect(pages.allSatisfy { ($0.texts["Mensagem da usuária"] ?? "").contains("[cpf]") })
        #expect(pages.allSatisfy { ($0.texts["Chave"] ?? "").hasPrefix("i-") })
    }

    enum BadPage: String, CaseIterable, Sendable {
        case ratingOutOfRange, unknownItem, otherWeek, notYesNo, ratingMissing
    }

    @Test("pull: a page with an invalid answer is named and nothing is stored (exit 2)", arguments: BadPage.allCases)
    func invalidPull(_ bad: BadPage) async throws {
        let fixture = try await NotionFixture.start()
        defer { Task { await fixture.stop() } }
        _ = try await fixture.setUp()
        _ = try await fixture.service.push(week: "2026-W48", to: .notion)
        let pages = await fixture.server.pages()
        for (index, page) in pages.enumerated() {
            let answer = nurseAnswer(index)
            await fixture.server.edit(page: page.id, texts: answer.texts, selects: answer.selects)
        }
        let target = pages[5].id
        var week = "2026-W48"
        switch bad {
        case .ratingOutOfRange: await fixture.server.edit(page: target, selects: ["Tom acolhedor": "7"])
        case .unknownItem: await fixture.server.edit(page: target, texts: ["Chave": "i-000000000000"])
        case .otherWeek:
            await fixture.server.edit(page: target, texts: ["Semana": "2026-W49"])
            week = "2026-W49"
        case .notYesNo: await fixture.server.edit(page: target, selects: ["Segura?": "talvez"])
        case .ratingMissing: await fixture.server.edit(page: target, selects: ["Tom acolhedor": nil])
        }
        let error = await #expect(throws: PromptctlError.self) {
            _ = try await fixture.service.pull(week: week, from: .notion)
        }
        #expect(error?.exitStatus == .usageOrConfig)
        #expect(error?.description.contains(target) == true, "\(error?.description ?? "")")
        #expect(try fixture.database.feedback(week: nil).isEmpty)
        #expect(try fixture.database.feedbackHistoryCount() == 0)
    }

    enum Failure: String, CaseIterable, Sendable {
        case unauthorized, notShared, validation, rateLimited, serverDown, unreachable
    }

    @Test(
        "transport: 401, 403/404 and 400 explained; 429 waits Retry-After; 5xx retried, then exit 3",
        arguments: Failure.allCases)
    func failures(_ failure: Failure) async throws {
        let fixture = try await NotionFixture.start()
        defer { Task { await fixture.stop() } }
        let time = VirtualTime()
        func client(token: String = notionToken, url: String? = nil) -> NotionClient {
            NotionClient(
                baseURL: url ?? fixture.server.baseURL, token: token, transport: CurlTransport(),
                clock: NotionClock(now: time.now, sleep: time.sleep))
        }
        let review = NotionReview(client: client())
        switch failure {
        case .unauthorized:
            let error = await #expect(throws: PromptctlError.self) {
                _ = try await NotionReview(client: client(token: "ntn_wrong_token_123")).setup(parentPageID: sharedPage)
            }
            #expect(error?.exitStatus == .providerOrInfrastructure)
            #expect(
                error?.message.contains("NOTION_TOKEN") == true && error?.description.contains("ntn_wrong") == false)
        case .notShared:
            let error = await #expect(throws: PromptctlError.self) {
                _ = try await review.setup(parentPageID: "99999999-0000-0000-0000-000000000000")
            }
            #expect(error?.exitStatus == .providerOrInfrastructure)
            #expect(error?.remedy?.contains("Connections") == true)
        case .validation:
            let error = await #expect(throws: PromptctlError.self) {
                _ = try await client().send(
                    .post, "/v1/pages", body: ["parent": ["type": "page_id", "page_id": "x"]], subject: "a page")
            }
            #expect(error?.exitStatus == .providerOrInfrastructure)
            #expect(error?.message.contains("validation_error: body.parent.data_source_id should be defined") == true)
        case .rateLimited:
            await fixture.server.enqueueFailures([(429, "rate_limited", ["Retry-After": "7"])])
            let setup = try await review.setup(parentPageID: sharedPage)
            #expect(!setup.dataSourceID.isEmpty)
            #expect(time.sleeps.contains { $0 >= 7 }, "waited \(time.sleeps)")
        case .serverDown:
            await fixture.server.enqueueFailures(Array(repeating: (503, "service_unavailable", [:]), count: 5))
            let error = await #expect(throws: PromptctlError.self) {
                _ = try await review.setup(parentPageID: sharedPage)
            }
            #expect(error?.exitStatus == .providerOrInfrastructure)
            #expect(error?.message.contains("after 5 attempts") == true)
            #expect(await fixture.server.requests().count == 5)
        case .unreachable:
            let error = await #expect(throws: PromptctlError.self) {
                _ = try await NotionReview(client: client(url: "http://127.0.0.1:9")).setup(parentPageID: sharedPage)
            }
            #expect(error?.exitStatus == .providerOrInfrastructure)
            #expect(error?.message.contains("unreachable") == true)
        }
    }

    @Test(
        "text longer than 2,000 characters is split, never cut or broken inside a character",
        arguments: [0, 1, 1999, 2000, 2001, 4500])
    func splitting(_ length: Int) {
        let alphabet: [Character] = ["a", "é", "👶🏽", " ", "ã"]
        let text = String((0..<length).map { alphabet[($0 * 7) % alphabet.count] })
        let pieces = NotionText.chunks(text)
        #expect(pieces.joined() == text)
        #expect(pieces.allSatisfy { $0.utf16.count <= 2_000 && !$0.isEmpty })
        // Full pieces: only a character that would not fit (at most 4 UTF-16 units here) ends one early.
        #expect(pieces.dropLast().allSatisfy { $0.utf16.count > 2_000 - 4 })
    }

    @Test("review.notion is read as strictly as the rest of promptctl.yaml: an unknown key is exit 2 at file:line:col")
    func strictConfig() async throws {
        let fixture = try await NotionFixture.start()
        defer { Task { await fixture.stop() } }
        try fixture.configure(["data_source_idd: 123"])
        let error = #expect(throws: PromptctlError.self) { _ = try fixture.workspace.loadProject() }
        #expect(error?.exitStatus == .usageOrConfig)
        let diagnostic = try #require(error?.diagnostics.first { $0.message.contains("data_source_idd") })
        #expect(diagnostic.location?.line ?? 0 > 1 && diagnostic.hint?.contains("data_source_id") == true)
    }

    @Test("the command line: setup prints the ids, push and pull exit 0; no token is exit 2; Notion down is exit 3")
    func commandLine() async throws {
        let fixture = try await NotionFixture.start()
        defer { Task { await fixture.stop() } }
        let root = fixture.directory.url
        let setup = try runPromptctl(
            ["review", "notion", "setup", "--parent", sharedPage], in: root, environment: fixture.environment)
        #expect(setup.status == 0, "\(setup.stderr)")
        let id = try #require(setup.stdout.split(separator: "\n").first { $0.contains("data_source_id:") })
        try fixture.configure([
            "requests_per_second: 50", "max_attempts: 2", String(id).trimmingCharacters(in: .whitespaces),
        ])
        let push = try runPromptctl(
            ["review", "push", "--week", "2026-W48", "--to", "notion"], in: root, environment: fixture.environment)
        #expect(push.status == 0 && push.stdout.contains("20 page(s) created"), "\(push.stderr)")
        let pull = try runPromptctl(
            ["review", "pull", "--week", "2026-W48", "--from", "notion", "--format", "json"], in: root,
            environment: fixture.environment)
        #expect(pull.status == 0 && pull.stdout.contains("\"pending\" : 20"), "\(pull.stdout) \(pull.stderr)")
        var keyless = fixture.environment
        keyless["NOTION_TOKEN"] = ""
        let noToken = try runPromptctl(
            ["review", "push", "--week", "2026-W48", "--to", "notion"], in: root, environment: keyless)
        #expect(noToken.status == 2 && noToken.stderr.contains("NOTION_TOKEN"))
        let badPlace = try runPromptctl(
            ["review", "push", "--week", "2026-W48", "--to", "excel"], in: root, environment: fixture.environment)
        #expect(badPlace.status == 2)
        await fixture.server.stop()
        let down = try runPromptctl(
            ["review", "pull", "--week", "2026-W48", "--from", "notion"], in: root, environment: fixture.environment)
        #expect(down.status == 3 && down.stderr.contains("unreachable"), "\(down.stderr)")
        #expect(!(setup.stderr + push.stderr + pull.stderr + down.stderr).contains(notionToken))
    }
}
