import Foundation
import PromptctlCore
import PromptctlStore
import PromptctlTesting
import Testing

// Issue 17, items 10–12, 15 and 16, through the built executable: exit codes and what the refusals say.

private typealias Finished = PromptctlRun

/// Starts the executable; the caller may signal it before `finish`.
private func launch(_ arguments: [String], in directory: URL) throws -> (Process, Pipe, Pipe) {
    try launchPromptctl(arguments, in: directory)
}

private func finish(_ process: Process, _ out: Pipe, _ err: Pipe) -> Finished { finishPromptctl(process, out, err) }

private func promptctl(_ arguments: [String], in directory: URL) throws -> Finished {
    let (process, out, err) = try launch(arguments, in: directory)
    return finish(process, out, err)
}

@Suite("command line hardening", .serialized)
struct CLIHardeningTests {
    @Test("a partial that includes itself, or two that include each other, is exit 2 naming the chain of files")
    func partialCycles() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let footer = "prompts/partials/safety-footer.pt-BR.mustache"
        let original = try directory.read(footer)
        try directory.write(footer, original + "{{> safety-footer}}\n")
        for arguments in [
            ["prompts", "render", "gestante-acolhimento", "--var", "user_message=oi"], ["prompts", "lint"],
        ] {
            let run = try promptctl(arguments, in: directory.url)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("\(footer) → \(footer)"), "\(run.stderr)")
        }
        try directory.write(footer, original + "{{> other-footer}}\n")
        try directory.write("prompts/partials/other-footer.pt-BR.mustache", "Veja também: {{> safety-footer}}\n")
        let run = try promptctl(["eval", "maternal-health"], in: directory.url)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(
            run.stderr.contains("\(footer) → prompts/partials/other-footer.pt-BR.mustache → \(footer)"), "\(run.stderr)"
        )
    }

    @Test("an alias bomb in a suite case's vars is refused at once with exit 2")
    func aliasBombInSuite() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        try directory.write(
            "eval-suites/bomb.yaml",
            """
            name: bomb
            prompts: [gestante-acolhimento]
            cases:
              - id: b
                vars:
                  user_message: oi

            """ + aliasBomb(width: 9, depth: 7, indent: "      "))
        let started = DispatchTime.now().uptimeNanoseconds
        let run = try promptctl(["eval", "bomb"], in: directory.url)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("eval-suites/bomb.yaml") && run.stderr.contains("alias"), "\(run.stderr)")
        #expect(secondsSince(started) < 10)
    }

    @Test(
        "an empty optional variable closes its section; given, it opens it; lint warns on a default that always opens")
    func emptyIsFalsey() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let without = try promptctl(
            ["prompts", "render", "gestante-acolhimento@1.1.0", "--var", "user_message=Estou com azia"],
            in: directory.url)
        #expect(without.status == 0, "\(without.stderr)")
        #expect(!without.stdout.contains("O nome dela é"), "\(without.stdout)")
        let empty = try promptctl(
            ["prompts", "render", "gestante-acolhimento@1.1.0", "--var", "user_message=Oi", "--var", "user_name="],
            in: directory.url)
        #expect(!empty.stdout.contains("O nome dela é"), "\(empty.stdout)")
        let named = try promptctl(
            ["prompts", "render", "gestante-acolhimento@1.1.0", "--var", "user_message=Oi", "--var", "user_name=Ana"],
            in: directory.url)
        #expect(named.stdout.contains("O nome dela é Ana; use o nome uma vez."), "\(named.stdout)")
        let file = "prompts/gestante-acolhimento/1.1.0.yaml"
        let text = try directory.read(file)
        #expect(text.contains("default: \"\""))
        try directory.write(file, text.replacingOccurrences(of: "default: \"\"", with: "default: \"querida\""))
        let lint = try promptctl(["prompts", "lint"], in: directory.url)
        #expect(lint.stderr.contains("{{#user_name}} always opens"), "\(lint.stderr)")
    }

    @Test("an undeclared variable is exit 2 in render and eval, not an empty hole in the prompt")
    func undeclaredVariable() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let file = "prompts/gestante-acolhimento/1.1.0.yaml"
        let text = try directory.read(file)
        try directory.write(
            file, text.replacingOccurrences(of: "{{user_message}}", with: "{{user_message}} {{nome_bebe}}"))
        // 1.1.0 is released: lint refuses the changed file, but render is what an author runs first.
        let render = try promptctl(
            ["prompts", "render", "gestante-acolhimento@1.1.0", "--var", "user_message=oi"], in: directory.url)
        #expect(render.status == 2, "\(render.stderr)")
        #expect(render.stderr.contains("'nome_bebe', which is not declared"), "\(render.stderr)")
        let eval = try promptctl(["eval", "maternal-health"], in: directory.url)
        #expect(eval.status == 2, "\(eval.stderr)")
        #expect(eval.stderr.contains("nome_bebe"), "\(eval.stderr)")
    }

    @Test("a template syntax error does not show the internal text-mode pragma")
    func templateErrorWithoutPragma() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        try directory.write("prompts/partials/safety-footer.pt-BR.mustache", "{{#aberta}} sem fim\n")
        let run = try promptctl(
            ["prompts", "render", "gestante-acolhimento", "--var", "user_message=oi"], in: directory.url)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("template syntax error"), "\(run.stderr)")
        #expect(!run.stderr.contains("CONTENT_TYPE"), "\(run.stderr)")
    }

    @Test(
        "thresholds and limits out of range are configuration errors naming file:line:col",
        arguments: [
            ("eval-suites/maternal-health.yaml", "pass_rate: 0.8", "pass_rate: 7", "'pass_rate' must be from 0 to 1"),
            ("promptctl.yaml", "timeout_seconds: 120", "timeout_seconds: -1", "'timeout_seconds' must be from 0.1"),
        ])
    func outOfRange(file: String, original: String, replacement: String, message: String) throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let text = try directory.read(file)
        #expect(text.contains(original))
        try directory.write(file, text.replacingOccurrences(of: original, with: replacement))
        let run = try promptctl(["eval", "maternal-health"], in: directory.url)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stderr.contains("\(file):"), "\(run.stderr)")
    }

    @Test("invalid UTF-8 or a binary YAML file names the file and the byte offset")
    func invalidUTF8() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        var bytes = Data("name: maternal-health\ndescription: caf".utf8)
        bytes.append(contentsOf: [0xC3, 0x28])  // a lead byte without its continuation
        try bytes.write(to: directory.url.appendingPathComponent("eval-suites/broken.yaml"))
        let run = try promptctl(["eval", "broken"], in: directory.url)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("eval-suites/broken.yaml") && run.stderr.contains("byte offset \(bytes.count - 2)"))
        try Data([0x6E, 0x61, 0x00, 0x01]).write(to: directory.url.appendingPathComponent("eval-suites/broken.yaml"))
        let binary = try promptctl(["eval", "broken"], in: directory.url)
        #expect(binary.status == 2 && binary.stderr.contains("NUL byte at byte offset 2"), "\(binary.stderr)")
    }

    @Test(
        "SIGTERM or SIGINT during an eval: exit 3, run interrupted, resume command printed, no call counted as an error",
        arguments: [SIGTERM, SIGINT])
    func interrupted(signalNumber: Int32) async throws {
        let server = try await LoopbackLLMServer.start(latency: 1.5, answer: goodAnswer)
        defer { Task { await server.stop() } }
        let directory = try stubProject(server: server, concurrency: 4)
        defer { directory.cleanUp() }
        let (process, out, err) = try launch(["eval", "maternal-health", "--provider", "stub"], in: directory.url)
        var waited = 0
        while await server.requests().isEmpty && waited < 100 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        try await Task.sleep(for: .milliseconds(300))
        kill(process.processIdentifier, signalNumber)
        let run = finish(process, out, err)
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("interrupted"), "\(run.stderr)")
        let database = try AppDatabase(path: directory.path(".promptctl/promptctl.sqlite"))
        let stored = try #require(try database.recentRuns().first)
        #expect(stored.status == .interrupted)
        #expect(run.stderr.contains("promptctl eval --resume \(stored.id)"), "\(run.stderr)")
        let calls = try database.callRecords()
        #expect(!calls.isEmpty)
        #expect(calls.allSatisfy { $0.status != .error }, "\(calls.map(\.status))")
        #expect(try database.windowStats(from: .distantPast, to: .distantFuture).errors == 0)
    }
}
