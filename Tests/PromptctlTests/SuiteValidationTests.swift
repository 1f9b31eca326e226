import Foundation
import Testing

/// A misspelt assertion used to be dropped without a word, so it could never fail: a false green.
@Suite("suite assertions are checked before anything runs")
struct SuiteValidationTests {
    @Test("a misspelt assertion type is exit 2 with file:line:col and a suggestion, in eval and in lint")
    func misspeltAssertionType() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let path = "eval-suites/maternal-health.yaml"
        let original = try directory.read(path)
        #expect(original.contains("    type: length\n"))
        try directory.write(path, original.replacingOccurrences(of: "    type: length\n", with: "    type: lenght\n"))
        for arguments in [["eval", "maternal-health"], ["prompts", "lint"]] {
            let run = try runPromptctl(arguments, in: directory.url)
            #expect(run.status == 2, "\(arguments): \(run.stdout) \(run.stderr)")
            #expect(run.stderr.contains("eval-suites/maternal-health.yaml:"), "\(run.stderr)")
            #expect(run.stderr.contains("unknown criterion type 'lenght'"), "\(run.stderr)")
            #expect(run.stderr.contains("did you mean 'length'?"), "\(run.stderr)")
        }
    }

    @Test("an unknown parameter of a case assertion is exit 2 too")
    func unknownParameter() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let path = "eval-suites/maternal-health.yaml"
        let original = try directory.read(path)
        #expect(original.contains("        pattern: '"))
        try directory.write(path, original.replacingOccurrences(of: "        pattern: '", with: "        patern: '"))
        let run = try runPromptctl(["eval", "maternal-health"], in: directory.url)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("patern"), "\(run.stderr)")
    }
}

/// `eval --ci` must not read a failing git as "nothing changed".
@Suite("changed prompts from git")
struct ChangedPromptsTests {
    @Test("a corrupt git index is exit 2 with git's message, never 'nothing changed'")
    func failingGit() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments =
                ["git", "-C", directory.url.path, "-c", "user.email=t@t", "-c", "user.name=t"] + arguments
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "git \(arguments)")
        }
        try git("init", "-q")
        try git("add", "-A")
        try git("commit", "-q", "-m", "start")
        // rev-parse still answers; diff cannot read the index.
        try Data("not an index".utf8).write(to: directory.url.appendingPathComponent(".git/index"))
        let run = try runPromptctl(["eval", "maternal-health", "--ci", "--base", "HEAD"], in: directory.url)
        #expect(run.status == 2, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains("git diff"), "\(run.stderr)")
        #expect(!run.stdout.contains("nothing to evaluate") && !run.stderr.contains("nothing to evaluate"))
    }
}
