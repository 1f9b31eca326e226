import Foundation
import PromptctlCore
import PromptctlKit
import PromptctlRendering
import Testing

/// The prompt repository: loading, diagnostics with positions, lint, rendering, releases and labels.
@Suite("prompt repository")
struct PromptRepositoryTests {
    @Test("CSV: BOM, quoted fields with separators, doubled quotes and line breaks, CRLF, either separator")
    func csvParsing() {
        let text =
            "\u{FEFF}id;user_message;notes\r\nc1;\"Olá; tudo bem?\";\"disse \"\"oi\"\"\"\r\nc2;\"duas\nlinhas\";ç\n"
        #expect(
            CSV.parse(text) == [
                ["id", "user_message", "notes"], ["c1", "Olá; tudo bem?", "disse \"oi\""], ["c2", "duas\nlinhas", "ç"],
            ])
        #expect(CSV.parse("a,b\n1,\"x,y\"") == [["a", "b"], ["1", "x,y"]])
        #expect(CSV.parse("a;b\n1;2", separator: ",") == [["a;b"], ["1;2"]])
        #expect(CSV.parse("") == [])
    }

    let minimalPrompt = """
        id: demo
        version: "1.0.0"
        language: pt-BR
        persona: nurse-guide
        model:
          model: gpt-4o-mini
          temperature: 0.2
        variables:
          - name: user_message
            type: string
            required: true
            example: Olá
        messages:
          - role: system
            template: |
              Você é uma enfermeira.
              {{> safety-footer}}
          - role: user
            template: "{{user_message}}"
        """

    func project(prompt: String? = nil, extra: [String: String] = [:]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write(
            "promptctl.yaml",
            """
            name: test
            languages: [pt-BR, en, es]
            personas:
              nurse-guide: warm
            labels: [staging, production]
            """)
        try directory.write("prompts/demo/1.0.0.yaml", prompt ?? minimalPrompt)
        try directory.write("prompts/partials/safety-footer.pt-BR.mustache", "Ligue 192 em caso de urgência.\n")
        for (path, text) in extra { try directory.write(path, text) }
        return directory
    }

    func lint(_ directory: TemporaryDirectory) throws -> [Diagnostic] {
        try PromptService(workspace: Workspace(project: directory.url.path, environment: [:])).lint()
    }

    @Test("the project's files are listed by a walk: nested, sorted, hidden skipped, links to files followed")
    func directoryWalk() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try directory.write("prompts/b/two.yaml", "x")
        try directory.write("prompts/a.yaml", "x")
        try directory.write("prompts/.hidden/three.yaml", "x")
        try directory.write("prompts/.swp", "x")
        try directory.write("elsewhere/linked.yaml", "x")
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("prompts/link.yaml"), withDestinationPath: directory.path("elsewhere/linked.yaml"))
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("prompts/loop"), withDestinationPath: directory.path("prompts"))
        let root = directory.url.appendingPathComponent("prompts")
        let files = try DirectoryWalk.regularFiles(under: root).map { String($0.dropFirst(root.path.count + 1)) }
        #expect(files == ["a.yaml", "b/two.yaml", "link.yaml"])
        let all = try DirectoryWalk.regularFiles(under: root, skipHidden: false).map {
            String($0.dropFirst(root.path.count + 1))
        }
        #expect(all == [".hidden/three.yaml", ".swp", "a.yaml", "b/two.yaml", "link.yaml"])
        // No folder: no files. A file where a folder should be: an error, not an empty project.
        #expect(try DirectoryWalk.regularFiles(under: directory.url.appendingPathComponent("none")).isEmpty)
        #expect(throws: PromptctlError.self) {
            try DirectoryWalk.regularFiles(under: root.appendingPathComponent("a.yaml"))
        }
    }

    @Test("the shipped prompts lint clean and render with their examples")
    func shippedPrompts() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let findings = try lint(directory)
        #expect(findings.filter { $0.severity == .error }.isEmpty, "\(findings)")
        let project = try ProjectLoader.load(root: directory.url)
        #expect(project.prompts.count >= 8)
        #expect(Set(project.prompts.map(\.language)) == ["pt-BR", "en", "es"])
        #expect(Set(project.prompts.map(\.persona)).isSuperset(of: ["nurse-guide", "educator"]))
        #expect(project.versions(of: "gestante-acolhimento").count >= 2)
        for prompt in project.prompts {
            let messages = try PromptRenderer(project: project).render(prompt, values: prompt.exampleValues)
            #expect(!messages.isEmpty)
            #expect(!messages.contains { $0.content.contains("{{") }, "\(prompt.key) left a tag unrendered")
        }
    }

    @Test(
        "malformed YAML and schema errors name file:line:column and a fix",
        arguments: [
            ("  temperature: 0.2", "  temperature 0.2\n    x: [", "could not find expected ':'"),
            ("  temperature: 0.2", "  temprature: 0.2", "did you mean 'temperature'"),
            ("version: \"1.0.0\"", "version: \"1.0\"", "not a semantic version"),
            ("  temperature: 0.2", "  temperature: warm", "'temperature' must be a number"),
            ("persona: nurse-guide", "persona: pirate", "persona 'pirate' is unknown"),
            ("language: pt-BR", "language: klingon-x", "not a BCP 47"),
            ("    type: string", "    type: str", "variable type 'str' is unknown"),
        ])
    func malformed(original: String, replacement: String, expected: String) throws {
        let broken = minimalPrompt.replacingOccurrences(of: original, with: replacement)
        #expect(broken != minimalPrompt, "the replacement must change the file")
        let directory = try project(prompt: broken)
        defer { directory.cleanUp() }
        let errors = try lint(directory).filter { $0.severity == .error }
        let match = try #require(errors.first { $0.description.contains(expected) }, "\(errors)")
        let location = try #require(match.location)
        #expect(location.file == "prompts/demo/1.0.0.yaml")
        #expect(location.line > 1 || expected.contains("persona") || expected.contains("BCP"))
        #expect(match.description.hasPrefix("prompts/demo/1.0.0.yaml:\(location.line):\(location.column): error: "))
    }

    @Test("an undeclared variable, an unused required one and a missing partial are lint errors")
    func templateChecks() throws {
        let broken =
            minimalPrompt
            .replacingOccurrences(of: "{{user_message}}", with: "{{user_mesage}}")
            .replacingOccurrences(of: "{{> safety-footer}}", with: "{{> rodape-inexistente}}")
        let directory = try project(prompt: broken)
        defer { directory.cleanUp() }
        let messages = try lint(directory).filter { $0.severity == .error }.map(\.description)
        #expect(messages.contains { $0.contains("partial 'rodape-inexistente' does not exist") })
        let fixedPartial = try project(
            prompt: minimalPrompt.replacingOccurrences(of: "{{user_message}}", with: "{{user_mesage}}"))
        defer { fixedPartial.cleanUp() }
        let second = try lint(fixedPartial).filter { $0.severity == .error }.map(\.description)
        #expect(second.contains { $0.contains("uses 'user_mesage', which is not declared") })
        #expect(second.contains { $0.contains("required variable 'user_message' is never used") })
    }

    @Test("two files with the same id and version are an error")
    func duplicates() throws {
        let directory = try project(extra: ["prompts/demo/copy.yaml": minimalPrompt])
        defer { directory.cleanUp() }
        #expect(try lint(directory).contains { $0.message.contains("declared twice") })
    }

    @Test("a released version that changes without a new number fails lint; a partial change counts too")
    func releasedVersionsNeverChange() throws {
        let directory = try project()
        defer { directory.cleanUp() }
        let service = PromptService(workspace: Workspace(project: directory.url.path, environment: ["USER": "ana"]))
        _ = try service.release("demo@1.0.0")
        #expect(try lint(directory).filter { $0.severity == .error }.isEmpty)
        let lock = try directory.read("prompts/prompts.lock")
        #expect(lock.contains("demo@1.0.0"))

        // Comments and formatting are not content.
        try directory.write("prompts/demo/1.0.0.yaml", "# a comment\n" + minimalPrompt)
        #expect(try lint(directory).filter { $0.severity == .error }.isEmpty)

        try directory.write("prompts/demo/1.0.0.yaml", minimalPrompt.replacingOccurrences(of: "0.2", with: "0.3"))
        let changed = try lint(directory).filter { $0.severity == .error }
        #expect(changed.contains { $0.message.contains("released version demo@1.0.0 changed") })
        #expect(changed.first?.hint?.contains("1.0.1") == true)

        try directory.write("prompts/demo/1.0.0.yaml", minimalPrompt)
        try directory.write("prompts/partials/safety-footer.pt-BR.mustache", "Outro texto.\n")
        #expect(try lint(directory).contains { $0.message.contains("changed since its release") })
    }

    @Test("rendering: text mode (no HTML escaping), partials by language, whitespace kept, strict variables")
    func rendering() throws {
        let directory = try project()
        defer { directory.cleanUp() }
        let project = try ProjectLoader.load(root: directory.url)
        let prompt = try project.resolve(PromptReference(id: "demo"))
        let messages = try PromptRenderer(project: project).render(
            prompt, values: ["user_message": "Dor <forte> & \"febre\""])
        #expect(messages[1].content == "Dor <forte> & \"febre\"")
        #expect(messages[0].content == "Você é uma enfermeira.\nLigue 192 em caso de urgência.\n")
        #expect(throws: PromptctlError.self) { _ = try PromptRenderer(project: project).render(prompt, values: [:]) }
        do {
            _ = try PromptRenderer(project: project).render(prompt, values: ["user_message": "x", "extra": "y"])
            Issue.record("an undeclared value must be refused")
        } catch let error as PromptctlError {
            #expect(error.exitStatus == .usageOrConfig)
            #expect(error.description.contains("declares no variable 'extra'"))
        }
    }

    @Test("a template syntax error points inside the file")
    func templateSyntax() throws {
        let broken = minimalPrompt.replacingOccurrences(of: "Você é uma enfermeira.", with: "Você {{#secao}} sem fim.")
        let directory = try project(prompt: broken)
        defer { directory.cleanUp() }
        let error = try #require(try lint(directory).first { $0.message.contains("template syntax error") })
        #expect(error.location?.file == "prompts/demo/1.0.0.yaml")
        // The template's text spans lines 16-18 of the file; the parser reports the unclosed section at its end.
        #expect((16...18).contains(error.location?.line ?? 0))
    }

    @Test("labels move with history; production goes only through promote; history survives a reload")
    func labels() throws {
        let directory = try project()
        defer { directory.cleanUp() }
        try directory.write("prompts/demo/1.1.0.yaml", minimalPrompt.replacingOccurrences(of: "1.0.0", with: "1.1.0"))
        let workspace = Workspace(project: directory.url.path, environment: ["PROMPTCTL_USER": "carla"])
        let service = PromptService(workspace: workspace)
        #expect(throws: PromptctlError.self) { _ = try service.moveLabel("demo@1.0.0", to: "staging", reason: "x") }
        _ = try service.release("demo@1.0.0")
        _ = try service.release("demo@1.1.0")
        _ = try service.moveLabel("demo@1.0.0", to: "staging", reason: "first")
        let move = try service.moveLabel("demo@1.1.0", to: "staging", reason: "second")
        #expect(move.from == "1.0.0" && move.to == "1.1.0" && move.by == "carla")
        #expect(throws: PromptctlError.self) { _ = try service.moveLabel("demo@1.1.0", to: "production", reason: "x") }
        let history = try service.history("demo", label: nil, format: .json)
        #expect(history.contains("\"reason\" : \"first\"") && history.contains("\"reason\" : \"second\""))
        let project = try ProjectLoader.load(root: directory.url)
        #expect(try project.resolve(PromptReference(parsing: "demo@staging")).version.description == "1.1.0")
        // Deleting a move breaks the chain, and lint says so.
        let yaml = try directory.read("prompts/labels.yaml")
        let firstMoveEnd = yaml.range(of: "- prompt:", options: .backwards)!.lowerBound
        let firstMoveStart = yaml.range(of: "- prompt:")!.lowerBound
        try directory.write("prompts/labels.yaml", String(yaml[..<firstMoveStart]) + String(yaml[firstMoveEnd...]))
        #expect(try lint(directory).contains { $0.message.contains("starts from 1.0.0 but the label was at nothing") })
    }

    @Test("the diff of two versions shows settings and template changes")
    func diff() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let diff = try PromptService(workspace: Workspace(project: directory.url.path, environment: [:]))
            .diff("gestante-acolhimento@1.0.0", "gestante-acolhimento@1.1.0")
        #expect(diff.contains("-  max_tokens: 350"))
        #expect(diff.contains("+  max_tokens: 400"))
        #expect(diff.contains("+{{#user_name}}"))
    }
}

@Suite("line diff")
struct LineDiffTests {
    @Test func unifiedHunks() {
        let diff = LineDiff.unified(old: "a\nb\nc", new: "a\nB\nc", oldName: "old", newName: "new")
        #expect(diff == "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")
        #expect(LineDiff.unified(old: "same", new: "same", oldName: "a", newName: "b").isEmpty)
    }
}
