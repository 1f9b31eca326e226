import Foundation
import Hummingbird
import PromptctlCore
import PromptctlKit
import PromptctlLLM
import PromptctlReview
import PromptctlStore
import PromptctlTesting
import PromptctlWeb
import Testing

/// The nurse review loop: sampling, privacy, exports, import, agreement, and the web form in headless Chromium.
@Suite("nurse review", .serialized)
struct ReviewTests {
    static let key = "0123456789abcdef0123456789abcdef"
    static let secrets = [
        "conv-secret-", "user-5511987654", "Maria", "Souza", "123.456.789-09", "98765-4321", "maria.souza@example.com",
    ]

    /// 60 production messages in 2026-W48 with personal data; every 6th one escalated.
    func messages() -> String {
        (0..<60).map { index in
            let object: [String: Any] = [
                "id": "m\(index)", "timestamp": "2026-11-2\(4 + index % 3)T1\(index % 10):00:00Z",
                "conversation_id": "conv-secret-\(index % 9)", "user_id": "user-5511987654\(index % 10)",
                "prompt_id": index % 3 == 0 ? "pregnancy-companion" : "gestante-acolhimento", "prompt_version": "1.1.0",
                "language": index % 3 == 0 ? "en" : "pt-BR", "persona": "nurse-guide",
                "user_message":
                    "Meu nome é Maria Souza, CPF 123.456.789-09, telefone (11) 98765-4321, e-mail maria.souza@example.com. Dúvida \(index)",
                "response":
                    "Olá Maria! <script>document.body.setAttribute('data-pwned','1')</script> Resposta \(index)",
                "model": "gpt-4o-mini", "tokens_in": 500, "tokens_out": 100, "latency_ms": 800,
                "guard_decision": ["action": index % 6 == 0 ? "escalate" : "allow", "categories": [String]()],
            ]
            return String(
                decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }

    func project() throws -> (TemporaryDirectory, ReviewService) {
        let directory = try copyShippedProject()
        try directory.write("messages.jsonl", messages())
        let workspace = Workspace(project: directory.url.path, environment: [Privacy.keyVariable: Self.key])
        _ = try CostService(workspace: workspace).importMessages("messages.jsonl")
        return (directory, ReviewService(workspace: workspace))
    }

    @Test("the sample is seeded, stratified, oversamples escalations, and a week is drawn once")
    func sampling() throws {
        let (first, service) = try project()
        defer { first.cleanUp() }
        let items = try service.sample(week: "2026-W48", size: 20, seed: nil)
        #expect(items.count == 20)
        #expect(Set(items.map(\.stratum)).count == 2)
        let escalated = items.filter { $0.candidate.guardAction == "escalate" }.count
        #expect(Double(escalated) / 20 > 10.0 / 60.0, "escalations are 1 in 6 of the messages")
        #expect(try service.sample(week: "2026-W48", size: 20, seed: nil).map(\.id) == items.map(\.id))
        let (second, other) = try project()
        defer { second.cleanUp() }
        #expect(
            try other.sample(week: "2026-W48", size: 20, seed: nil).map(\.candidate.sourceKey)
                == items.map(\.candidate.sourceKey))
        // What was drawn is never a candidate again.
        let (start, end) = try ISOWeek("2026-W48").interval
        let remaining = try service.database().reviewCandidateKeys(from: start, to: end).map(\.sourceKey)
        #expect(remaining.count == 40)
        #expect(Set(remaining).isDisjoint(with: items.map(\.candidate.sourceKey)))
    }

    @Test(
        "exports hold no raw identifier; CSV is UTF-8 with BOM and ';'; the HTML escapes model output",
        arguments: [PromptctlCore.OutputFormat.csv, .html, .jsonl])
    func exports(format: PromptctlCore.OutputFormat) throws {
        let (directory, service) = try project()
        defer { directory.cleanUp() }
        _ = try service.sample(week: "2026-W48", size: 20, seed: nil)
        let text = try service.export(week: "2026-W48", format: format)
        for secret in Self.secrets { #expect(!text.contains(secret), "\(format) leaks \(secret)") }
        #expect(
            text.contains("[cpf]") && text.contains("[telefone]") && text.contains("[email]") && text.contains("[nome]")
        )
        switch format {
        case .csv:
            #expect(text.hasPrefix("\u{FEFF}item_id;week;"))
            #expect(text.contains("\r\n"))
        case .html:
            #expect(!text.contains("<script>"))
            #expect(text.contains("&lt;script&gt;"))
            #expect(text.contains("page-break-after:always"))
        default:
            #expect(text.split(separator: "\n").count == 20)
        }
    }

    @Test("exports refuse to run without a pseudonym key")
    func keyRequired() throws {
        let (directory, _) = try project()
        defer { directory.cleanUp() }
        let keyless = ReviewService(workspace: Workspace(project: directory.url.path, environment: [:]))
        _ = try keyless.sample(week: "2026-W48", size: 5, seed: nil)
        #expect(throws: PromptctlError.self) { _ = try keyless.export(week: "2026-W48", format: .csv) }
    }

    @Test("import: one invalid row and nothing is written, with its row number; valid files import once")
    func importing() throws {
        let (directory, service) = try project()
        defer { directory.cleanUp() }
        let items = try service.sample(week: "2026-W48", size: 5, seed: nil)
        let csv = try service.export(week: "2026-W48", format: .csv)
        var rows = CSV.parse(csv, separator: ";")
        let header = rows[0]
        for index in 1..<rows.count {
            rows[index][header.firstIndex(of: "reviewer")!] = "Enf. Ana"
            rows[index][header.firstIndex(of: "clinical_coherence_1_5")!] = "4"
            rows[index][header.firstIndex(of: "friendly_tone_1_5")!] = index == 3 ? "7" : "5"
            rows[index][header.firstIndex(of: "safe_yes_no")!] = "sim"
            rows[index][header.firstIndex(of: "send_as_is_yes_no")!] = "não"
            rows[index][header.firstIndex(of: "comment")!] = "Linha um;\nlinha \"dois\""
        }
        func write(_ rows: [[String]]) throws {
            try directory.write(
                "filled.csv",
                "\u{FEFF}"
                    + rows.map { $0.map { CSV.field($0, separator: ";") }.joined(separator: ";") }.joined(
                        separator: "\r\n"))
        }
        try write(rows)
        do {
            _ = try service.importFeedback("filled.csv")
            Issue.record("a file with an invalid row must be refused")
        } catch let error as PromptctlError {
            #expect(error.description.contains("filled.csv:4:1: error: friendly_tone must be 1 to 5, got '7'"))
        }
        #expect(try service.database().feedback(week: nil).isEmpty)
        rows[3][header.firstIndex(of: "friendly_tone_1_5")!] = "2"
        try write(rows)
        let first = try service.importFeedback("filled.csv")
        #expect(first.rows == 5 && first.saved.new == 5)
        let again = try service.importFeedback("filled.csv")
        #expect(again.rows == 5 && again.saved.new == 0 && again.saved.updated == 0 && again.saved.unchanged == 5)
        let stored = try service.database().feedback(week: "2026-W48")
        #expect(stored.count == 5)
        #expect(stored.first?.0.comment == "Linha um;\nlinha \"dois\"")
        #expect(Set(stored.map(\.0.itemID)) == Set(items.map(\.id)))
    }

    @Test("agreement: Spearman's rho and quadratic-weighted kappa, and a rubric that disagrees is flagged")
    func agreement() {
        #expect(AgreementAnalysis.bin(0.0) == 1 && AgreementAnalysis.bin(0.59) == 3 && AgreementAnalysis.bin(1.0) == 5)
        #expect(abs((AgreementAnalysis.spearman([1, 2, 3, 4, 5], [0.1, 0.3, 0.5, 0.7, 0.9]) ?? 0) - 1) < 1e-9)
        #expect(abs((AgreementAnalysis.spearman([1, 2, 3, 4, 5], [0.9, 0.7, 0.5, 0.3, 0.1]) ?? 0) + 1) < 1e-9)
        #expect(AgreementAnalysis.weightedKappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) == 1)
        // A textbook value: 1 - Σw·o / Σw·e with quadratic weights.
        let kappa = AgreementAnalysis.weightedKappa([1, 2, 3, 4, 5, 5], [1, 2, 3, 4, 4, 5]) ?? 0
        #expect(kappa > 0.9 && kappa < 1)
        func row(_ nurse: Int, _ rubric: Double) -> (ReviewFeedback, ReviewCandidate) {
            (
                ReviewFeedback(
                    itemID: 1, reviewer: "a", clinicalCoherence: nurse, friendlyTone: nurse, safe: true, sendAsIs: true,
                    comment: nil, correctedAnswer: nil),
                ReviewCandidate(
                    sourceKey: "x", at: Date(), promptID: "p", promptVersion: "1", language: "pt-BR", persona: "n",
                    conversationID: nil, userID: nil, userMessage: "", response: "", guardAction: nil,
                    guardCategories: [],
                    scores: ["clinical-coherence": rubric, "friendly-tone": 1.0 - rubric])
            )
        }
        let rows = (0..<12).map { row($0 % 5 + 1, Double($0 % 5) / 5 + 0.1) }
        let results = AgreementAnalysis.analyze(rows)
        let clinical = results.first { $0.rubric == "clinical-coherence" }!
        let tone = results.first { $0.rubric == "friendly-tone" }!
        #expect(clinical.pairs == 12 && !clinical.disagrees && (clinical.weightedKappa ?? 0) > 0.99)
        #expect(tone.disagrees)
    }

    /// Starts the review form on a free port.
    func serve(_ service: ReviewService) async throws -> (url: String, task: Task<Void, any Error>) {
        let router = ReviewApplication.buildRouter(
            database: try service.database(), privacy: Privacy(key: Self.key), secret: Array(repeating: 7, count: 32))
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        let task = Task { try await app.run() }
        var port = 0
        for await bound in stream {
            port = bound
            break
        }
        return ("http://127.0.0.1:\(port)", task)
    }

    @Test("the web form: no token, no access; CSRF is required; a submit stores the row; no raw identifier on the page")
    func webForm() async throws {
        let (directory, service) = try project()
        defer { directory.cleanUp() }
        let items = try service.sample(week: "2026-W48", size: 4, seed: nil)
        let token = try service.invite(reviewer: "Enf. Ana", week: "2026-W48")
        try await withReviewForm(service, pseudonymKey: Self.key) { http in
            #expect(
                try await http.send("GET", "/r/" + String(repeating: "0", count: 48)).status == 403)
            #expect(try await http.send("GET", "/").status == 404)
            let page = try await http.send("GET", "/r/" + token)
            #expect(page.status == 200)
            #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            for secret in Self.secrets { #expect(!page.text.contains(secret), "the page leaks \(secret)") }
            #expect(page.text.contains("0 de 4 respondidos"))
            let form = "clinical_coherence=4&friendly_tone=5&safe=sim&send_as_is=n%C3%A3o&comment=ok"
            let forged = try await http.send("POST", "/r/\(token)/items/\(items[0].id)", form: form + "&csrf=forged")
            #expect(forged.status == 403)
            let csrf = try #require(
                page.text.range(of: #"name="csrf" value=""#).map { page.text[$0.upperBound...].prefix(64) })
            let accepted = try await http.send("POST", "/r/\(token)/items/\(items[0].id)", form: form + "&csrf=\(csrf)")
            #expect(accepted.status == 303)
            let stored = try service.database().feedback(week: "2026-W48")
            #expect(stored.count == 1)
            #expect(
                stored.first?.0.reviewer == "Enf. Ana" && stored.first?.0.friendlyTone == 5
                    && stored.first?.0.sendAsIs == false)
            let metrics = try await http.send("GET", "/metrics")
            #expect(metrics.text.contains("promptctl_requests_total"))
        }
    }

    func browser(_ url: String, _ script: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", repositoryRoot.appendingPathComponent("Tests/PromptctlTests/Fixtures/browser.py").path, url,
            script,
        ]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "browser.py failed: \(diagnostics.suffix(2000))")
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @Test("in headless Chromium: a script inside a response never runs, and a nurse fills and submits the form")
    func chromium() async throws {
        let (directory, service) = try project()
        defer { directory.cleanUp() }
        let items = try service.sample(week: "2026-W48", size: 3, seed: nil)
        let token = try service.invite(reviewer: "Enf. Bia", week: "2026-W48")
        let (url, task) = try await serve(service)
        defer { task.cancel() }
        let opened = try browser("\(url)/r/\(token)", "document.querySelectorAll('article').length")
        #expect(opened["result"] as? Int == 3)
        #expect(opened["pwned"] is NSNull)
        #expect(opened["title"] as? String == "Revisão das respostas")
        #expect((opened["html"] as? String)?.contains("&lt;script&gt;document.body.setAttribute") == true)

        let fill = """
            (() => { const form = document.querySelector('#item-\(items[1].id) form');
              form.clinical_coherence.value = '3'; form.friendly_tone.value = '2'; form.safe.value = 'sim';
              form.send_as_is.value = 'não'; form.comment.value = 'Faltou acolher'; form.corrected_answer.value = 'Entendo você.';
              form.submit(); return 'submitted'; })()
            """
        let submitted = try browser("\(url)/r/\(token)", fill)
        #expect((submitted["html"] as? String)?.contains("1 de 3 respondidos") == true)
        let stored = try #require(try service.database().feedback(week: "2026-W48").first?.0)
        #expect(stored.itemID == items[1].id)
        #expect(stored.reviewer == "Enf. Bia")
        #expect(stored.clinicalCoherence == 3 && stored.friendlyTone == 2 && stored.safe && !stored.sendAsIs)
        #expect(stored.correctedAnswer == "Entendo você.")
    }

    @Test("evaluation answers can be reviewed, and nurse agreement feeds the regenerated evaluation report")
    func agreementInReports() async throws {
        let server = try await LoopbackLLMServer.start(answer: goodAnswer)
        defer { Task { await server.stop() } }
        let directory = try stubProject(server: server)
        defer { directory.cleanUp() }
        let workspace = Workspace(project: directory.url.path, environment: [Privacy.keyVariable: Self.key])
        var options = EvalOptions()
        options.suites = ["maternal-health"]
        options.providers = ["stub"]
        let run = try #require(try await EvalService(workspace: workspace).run(options).first)
        let review = ReviewService(workspace: workspace)
        let week = ISOWeek(containing: Date()).description
        let items = try review.sample(week: week, size: 12, seed: nil)
        #expect(items.count == 12)
        #expect(items.allSatisfy { $0.candidate.sourceKey.hasPrefix("eval:") && !$0.candidate.scores.isEmpty })
        let feedback = items.map {
            ReviewFeedback(
                itemID: $0.id, reviewer: "Enf. Ana",
                clinicalCoherence: AgreementAnalysis.bin($0.candidate.scores["clinical-coherence"] ?? 0),
                friendlyTone: 3, safe: true, sendAsIs: true, comment: nil, correctedAnswer: nil)
        }
        #expect(try review.database().saveFeedback(feedback, source: "test").new == 12)
        let files = try ReportService(workspace: workspace).regenerate(runID: run.report.runID, directory: nil)
        let jsonPath = try #require(files.first { $0.hasSuffix(".json") })
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonPath))) as? [String: Any])
        let agreement = try #require(json["nurseAgreement"] as? [[String: Any]])
        let clinical = try #require(agreement.first { $0["rubric"] as? String == "clinical-coherence" })
        #expect(clinical["pairs"] as? Int == 12)
        let html = try String(contentsOfFile: try #require(files.first { $0.hasSuffix(".html") }), encoding: .utf8)
        #expect(html.contains("Nurse agreement with the rubrics"))
    }
}
