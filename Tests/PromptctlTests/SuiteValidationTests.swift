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
