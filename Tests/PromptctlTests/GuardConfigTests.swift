import Foundation
import PromptctlCore
import PromptctlGuards
import Testing

/// Guards that a careless edit turned off, and texts too long to check (issue 17, items 2 and 3).
extension CLITests {
    /// A copy of the shipped project with one guard file edited.
    func projectWithGuards(editing file: String, _ edit: (String) -> String) throws -> TemporaryDirectory {
        let directory = try copyShippedProject()
        try directory.write(file, edit(try directory.read(file)))
        return directory
    }

    @Test(
        "a policy or term list that turns guards off by accident is a config error with file:line:col, in check and lint",
        arguments: [
            ("guards/policy.yaml", "terms: guards/terms.yaml", "", "guards/policy.yaml:5:1", "no 'terms:'"),
            (
                "guards/terms.yaml", "categories:\n  - name: contraindicated-drug",
                "categories: []\nunused:\n  - name: contraindicated-drug", "guards/terms.yaml:7:1",
                "'categories' is empty"
            ),
            (
                "guards/policy.yaml", "{Hate: 2,", "{Hat: 2,", "guards/policy.yaml:",
                "unknown azure moderation category 'Hat'"
            ),
        ])
    func guardsOffByAccident(file: String, old: String, new: String, location: String, message: String) throws {
        let directory = try projectWithGuards(editing: file) { $0.replacingOccurrences(of: old, with: new) }
        defer { directory.cleanUp() }
        let check = try run(["guard", "check", "Pode usar Cytotec"], in: directory.url)
        #expect(check.status == 2, "\(check.stdout)\(check.stderr)")
        #expect(check.stderr.contains(location), "\(check.stderr)")
        #expect(check.stderr.contains(message), "\(check.stderr)")
        let lint = try run(["prompts", "lint"], in: directory.url)
        #expect(lint.status == 2, "\(lint.stdout)\(lint.stderr)")
        #expect((lint.stdout + lint.stderr).contains(message))
    }

    @Test("a policy under which nothing checks her message is refused unless it says 'terms: none'")
    func stageWithoutGuards() throws {
        let directory = try projectWithGuards(editing: "guards/policy.yaml") {
            $0.replacingOccurrences(of: "provider: builtin", with: "provider: none")
        }
        defer { directory.cleanUp() }
        let terms = try directory.read("guards/terms.yaml")
        try directory.write(
            "guards/terms.yaml",
            terms.replacingOccurrences(of: "    input: escalate\n", with: "    input: ignore\n")
                .replacingOccurrences(of: "    input: block\n", with: "    input: ignore\n"))
        let refused = try run(["guard", "check", "--stage", "input", "quero me matar"], in: directory.url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("guards/policy.yaml:2:1: error: the guard policy checks nothing on input"))
        #expect(!refused.stderr.contains("nothing on output"))
        // Said on purpose, it is allowed.
        let policy = try directory.read("guards/policy.yaml")
        try directory.write(
            "guards/policy.yaml", policy.replacingOccurrences(of: "terms: guards/terms.yaml", with: "terms: none"))
        let explicit = try run(["guard", "check", "Pode usar Cytotec"], in: directory.url)
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(explicit.stdout.contains("allow"))
    }

    @Test("a text over max_text_bytes is refused with the limit and how to raise it; raised, a 1 MB line is checked")
    func textSizeLimit() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let line = String(repeating: "Pode usar Cytotec? ", count: 1_000_000 / 19)
        let json = try JSONSerialization.data(withJSONObject: ["id": "long", "text": line])
        try directory.write("long.jsonl", String(decoding: json, as: UTF8.self) + "\n")
        let refused = try run(["guard", "check", "--input", "long.jsonl"], in: directory.url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("text 'long' is 999989 bytes, over the guards' limit of 65536 bytes"))
        #expect(refused.stderr.contains("max_text_bytes"))
        #expect(refused.stdout.isEmpty)

        let policy = try directory.read("guards/policy.yaml")
        try directory.write(
            "guards/policy.yaml",
            policy.replacingOccurrences(of: "max_text_bytes: 65536", with: "max_text_bytes: 2000000"))
        let start = DispatchTime.now().uptimeNanoseconds
        let checked = try run(
            ["guard", "check", "--input", "long.jsonl", "--moderation", "none", "--format", "jsonl"], in: directory.url)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        #expect(checked.status == 1, "\(checked.stderr)")
        #expect(checked.stdout.contains("\"decision\":\"block\""))
        // Quadratic offsets took over 120 s here; linear work takes a few seconds in a debug build.
        #expect(seconds < 60, "took \(seconds) s")

        try directory.write(
            "guards/policy.yaml", policy.replacingOccurrences(of: "max_text_bytes: 65536", with: "max_text_bytes: -1"))
        let invalid = try run(["guard", "check", "oi"], in: directory.url)
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("guards/policy.yaml:5:1"), "\(invalid.stderr)")
    }
}

@Suite("guard text-size limit")
struct GuardSizeLimitTests {
    @Test("in the release pipeline a response over the limit is blocked unchecked with the reason recorded")
    func pipelineBlocksLongText() async throws {
        let filter = TermFilter(categories: [
            TermCategory(
                name: "drug", severity: 1, inputAction: .escalate, outputAction: .block, messages: [:],
                terms: ["cytotec"])
        ])
        let pipeline = ReleasePipeline(inputGuards: [filter], outputGuards: [filter], maxTextBytes: 100)
        let long = String(repeating: "Tudo bem. ", count: 11)
        let decision = await pipeline.release(response: long, input: .allow(""), language: "pt-BR")
        #expect(decision.action == .block)
        #expect(decision.needsReview)
        #expect(decision.releasedText == ReleasePipeline.safeMessage(language: "pt-BR"))
        #expect(decision.findings.map(\.category) == ["text-too-long"])
        #expect(decision.findings.first?.reason.contains("110 bytes, over the guards' limit of 100 bytes") == true)
        let input = await pipeline.checkInput(long, language: "pt-BR")
        #expect(input.action == .block)
        // At the limit the text is checked as usual.
        let short = await pipeline.release(
            response: String(repeating: "a", count: 100), input: .allow(""), language: "pt-BR")
        #expect(short.action == .allow)
        #expect(ReleasePipeline.defaultMaxTextBytes == 65_536)
    }
}
