import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlKit
import PromptctlStore
import PromptctlTesting
import Testing

/// Even-numbered questions get a good answer; the staging candidate answers odd ones badly (the baseline never).
@Sendable func halfRegressed(system: String, user: String) -> String {
    user.contains("(par)") ? goodAnswer(system: system, user: user) : regressedCandidate(system: system, user: user)
}

/// A project with a `big` suite whose cases come from a CSV file, streamed.
func shardedProject(server: LoopbackLLMServer, cases: Int, concurrency: Int = 16) throws -> TemporaryDirectory {
    let directory = try stubProject(server: server, concurrency: concurrency)
    var csv = "id,language,user_message\n"
    for index in 0..<cases {
        let parity = index % 2 == 0 ? "par" : "ímpar"
        csv += "q-\(index),pt-BR,\"Pergunta \(index) (\(parity)): estou com azia na gravidez, o que faço?\"\n"
    }
    try directory.write("eval-suites/big.csv", csv)
    try directory.write(
        "eval-suites/big.yaml",
        """
        name: big
        prompts: [gestante-acolhimento@staging]
        baseline: production
        providers: [stub]
        rubrics: [clinical-coherence, friendly-tone]
        thresholds: {pass_rate: 0.8, tolerance: 0.05}
        cases:
          - file: big.csv

        """)
    return directory
}

/// Runs the built executable on a thread of its own and awaits it: waiting on a thread of Swift's cooperative pool
/// would starve the loopback servers of this process, which the child process is talking to.
func runPromptctlDetached(_ arguments: [String], in directory: URL) async throws -> PromptctlRun {
    let (process, out, err) = try launchPromptctl(arguments, in: directory)
    return await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: finishPromptctl(process, out, err)) }.start()
    }
}

/// The summary without what depends on timing (mean latency).
func timeless(_ summary: EvalSummary) -> EvalSummary {
    var copy = summary
    copy.versions = copy.versions.map {
        var version = $0
        version.meanLatencyMs = 0
        return version
    }
    return copy
}

/// What a result says, by item key, without timing.
func verdicts(_ results: [EvalItemResult]) -> [String: String] {
    Dictionary(
        uniqueKeysWithValues: results.map {
            (
                $0.item.key,
                "\($0.passed)|\($0.score ?? -1)|\($0.failures)|\($0.output ?? "")|\($0.guardDecision?.action.rawValue ?? "")"
            )
        })
}

@Suite("shards and streaming evaluation", .serialized)
struct ShardTests {
    func options(_ configure: (inout EvalOptions) -> Void = { _ in }) -> EvalOptions {
        var options = EvalOptions()
        options.suites = ["big"]
        options.noCache = true  // cached answers cost nothing: every run must pay the same to compare costs
        configure(&options)
        return options
    }

    func workspace(_ directory: TemporaryDirectory) -> Workspace {
        Workspace(project: directory.url.path, environment: ["PROMPTCTL_USER": "revisora"])
    }

    @Test(
        "4 shards merged give the same summary, per-case results and verdict as one run; a missing or doubled shard is exit 2"
    )
    func shardsMatchOneRun() async throws {
        let server = try await LoopbackLLMServer.start(answer: halfRegressed)
        defer { Task { await server.stop() } }
        let directory = try shardedProject(server: server, cases: 40)
        defer { directory.cleanUp() }
        let service = EvalService(workspace: workspace(directory))
        let whole = try #require(try await service.run(options { $0.runID = "whole" }).first)
        #expect(whole.report.summary.totalItems == 80)
        #expect(whole.report.summary.exitStatus == .gateFailed)
        #expect(whole.report.summary.regressions.contains { $0.metric.hasPrefix("case q-") })
        var bundles: [String] = []
        var shardItems = 0
        for index in 1...4 {
            let outcome = try #require(
                try await service.run(
                    options {
                        $0.runID = "split"
                        $0.shard = try? EvalShard(index: index, count: 4)
                    }
                ).first)
            shardItems += outcome.report.plan.itemCount
            bundles.append(directory.path("reports/split/shard-\(index)-of-4"))
            #expect(
                FileManager.default.fileExists(atPath: directory.path("reports/split/shard-\(index)-of-4/bundle.json")))
        }
        #expect(shardItems == 80)
        let reports = ReportService(workspace: workspace(directory))
        let merged = try reports.merge(bundles.reversed(), reportsDirectory: nil)
        #expect(timeless(merged.report.summary) == timeless(whole.report.summary))
        #expect(merged.report.summary.exitStatus == whole.report.summary.exitStatus)
        let mergedResults = try allResults(merged)
        #expect(mergedResults.count == 80)
        #expect(verdicts(mergedResults) == verdicts(try allResults(whole)))
        let database = try AppDatabase(path: directory.path(".promptctl/promptctl.sqlite"))
        #expect(try database.completedItemKeys(runID: "split").count == 80)

        // Merging again gives the same run (idempotent); a missing or doubled shard has no verdict.
        let again = try reports.merge(bundles, reportsDirectory: nil)
        #expect(timeless(again.report.summary) == timeless(whole.report.summary))
        for wrong in [Array(bundles.prefix(3)), bundles + [bundles[1]]] {
            do {
                _ = try reports.merge(wrong, reportsDirectory: nil)
                Issue.record("merging \(wrong.count) bundles should fail")
            } catch let error as PromptctlError {
                #expect(error.exitStatus == .usageOrConfig, "\(error)")
            }
        }
        // The CLI says the same with its exit codes.
        let cli = try await runPromptctlDetached(["report", "merge"] + bundles, in: directory.url)
        #expect(cli.status == 1, "\(cli.stderr)")
        let missing = try await runPromptctlDetached(["report", "merge"] + bundles.dropLast(), in: directory.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing: 4/4"), "\(missing.stderr)")
        // Every result streams from the store, one JSON object per line.
        let printed = try await runPromptctlDetached(["report", "split", "--print", "results"], in: directory.url)
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.split(separator: "\n").count == 80)
    }

    @Test(
        "kill -9 of one shard, then --resume of that shard, still merges into a complete run: no case lost or doubled")
    func killedShardResumes() async throws {
        let server = try await LoopbackLLMServer.start(latency: 0.2, answer: halfRegressed)
        defer { Task { await server.stop() } }
        let directory = try shardedProject(server: server, cases: 40, concurrency: 2)
        defer { directory.cleanUp() }
        let common = ["eval", "big", "--no-cache", "--run-id", "crash"]
        let (process, out, err) = try launchPromptctl(common + ["--shard", "2/4"], in: directory.url)
        let storePath = directory.path(".promptctl/promptctl.sqlite")
        var stored = 0
        for _ in 0..<300 {
            try await Task.sleep(nanoseconds: 50_000_000)
            if FileManager.default.fileExists(atPath: storePath),
                let count = try? AppDatabase(path: storePath).completedItemKeys(runID: "crash-shard-2-of-4").count,
                count >= 3
            {
                stored = count
                break
            }
        }
        kill(process.processIdentifier, SIGKILL)
        _ = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: finishPromptctl(process, out, err)) }.start()
        }
        #expect(stored >= 3)
        let database = try AppDatabase(path: storePath)
        let shardPlan = try #require(try database.run(id: "crash-shard-2-of-4"))
        #expect(shardPlan.status == .running)  // killed: nobody marked it
        #expect(!FileManager.default.fileExists(atPath: directory.path("reports/crash/shard-2-of-4/bundle.json")))
        // An unfinished shard cannot be merged.
        for index in [1, 3, 4] {
            let run = try await runPromptctlDetached(common + ["--shard", "\(index)/4"], in: directory.url)
            #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        }
        let bundles = (1...4).map { directory.path("reports/crash/shard-\($0)-of-4") }
        let early = try await runPromptctlDetached(["report", "merge"] + bundles, in: directory.url)
        #expect(early.status == 2, "\(early.stderr)")
        let resumed = try await runPromptctlDetached(
            ["eval", "--resume", "crash-shard-2-of-4", "--no-cache"], in: directory.url)
        #expect(resumed.status == 0 || resumed.status == 1, "\(resumed.stderr)")
        let merged = try await runPromptctlDetached(["report", "merge"] + bundles, in: directory.url)
        #expect(merged.status == 1, "\(merged.stderr)")
        let keys = try database.completedItemKeys(runID: "crash")
        #expect(keys.count == 80)
        let lines = try String(contentsOfFile: directory.path("reports/crash/results.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 80)
        let decoded = try lines.map { try JSONDecoder().decode(EvalItemResult.self, from: Data($0.utf8)) }
        #expect(Set(decoded.map(\.item.key)).count == 80)
        #expect(Set(decoded.map(\.item.caseID)).count == 40)
    }

    @Test(
        "a CSV case file is read lazily: quoted fields across lines, a bad row names file:line, duplicates are refused")
    func streamedCases() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try directory.write(
            "cases.csv", "id,language,user_message\na,pt-BR,\"linha um\nlinha dois, com vírgula\"\nb,pt-BR,simples\n")
        let diagnostics = DiagnosticCollector()
        let stream = try CaseFileStream(
            CaseFileReference(
                path: directory.path("cases.csv"), displayPath: "cases.csv",
                location: SourceLocation(file: "s.yaml", line: 1, column: 1)), diagnostics: diagnostics)
        let first = try #require(try stream.next())
        #expect(first.vars["user_message"] == "linha um\nlinha dois, com vírgula")
        let second = try #require(try stream.next())
        #expect(second.id == "b" && second.location.line == 4)
        #expect(try stream.next() == nil)
        try directory.write("bad.jsonl", "{\"id\": \"x\", \"vars\": {\"user_message\": \"oi\"}}\nnot json\n")
        let bad = try CaseFileStream(
            CaseFileReference(
                path: directory.path("bad.jsonl"), displayPath: "bad.jsonl",
                location: SourceLocation(file: "s.yaml", line: 1, column: 1)), diagnostics: diagnostics)
        #expect(try bad.next()?.id == "x")
        #expect(try bad.next() == nil)
        #expect(diagnostics.diagnostics.contains { $0.location?.description == "bad.jsonl:2:1" })
    }
}

/// Opens a page in headless Chromium, evaluates `script`, and returns what `browser.py` reports.
func openInChromium(_ url: String, script: String) async throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "python3", repositoryRoot.appendingPathComponent("Tests/PromptctlTests/Fixtures/browser.py").path, url, script,
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    let data = await withCheckedContinuation { continuation in
        Thread {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: data)
        }.start()
    }
    return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
}

// In the nurse review's serialized suite: two headless Chromiums at once on a loaded two-core machine time out.
extension ReviewTests {
    @Test("in headless Chromium: model output never runs, and the worst answers filter by language and prompt")
    func filtersInChromium() async throws {
        let server = try await LoopbackLLMServer.start { system, user in
            "<script>document.body.setAttribute('data-pwned','yes')</script><img src=x onerror=\"document.body.setAttribute('data-pwned','img')\"> "
                + goodAnswer(system: system, user: user)
        }
        defer { Task { await server.stop() } }
        let directory = try stubProject(server: server)
        defer { directory.cleanUp() }
        var options = EvalOptions()
        options.suites = ["maternal-health"]
        options.providers = ["stub"]
        let outcome = try #require(
            try await EvalService(
                workspace: Workspace(project: directory.url.path, environment: ["PROMPTCTL_USER": "revisora"])
            ).run(options).first)
        let html = try #require(outcome.reportFiles.first { $0.hasSuffix(".html") })
        let script = """
            (function(){var all=document.querySelectorAll('details.item').length;
            var lang=document.querySelector('select[name=lang]');lang.value='en';lang.dispatchEvent(new Event('change'));
            var en=document.querySelectorAll('details.item:not([hidden])').length;
            var enAttr=document.querySelectorAll('details.item[data-lang="en"]').length;
            lang.value='';lang.dispatchEvent(new Event('change'));
            var prompt=document.querySelector('select[name=prompt]');prompt.value=prompt.options[1].value;
            prompt.dispatchEvent(new Event('change'));
            var byPrompt=document.querySelectorAll('details.item:not([hidden])').length;
            return JSON.stringify({all:all,en:en,enAttr:enAttr,byPrompt:byPrompt,shown:document.getElementById('shown').textContent,
            filters:document.body.getAttribute('data-filters')});})()
            """
        let page = try await openInChromium("file://" + html, script: script)
        #expect(page["pwned"] is NSNull || page["pwned"] == nil, "\(page["pwned"] ?? "")")
        let result = try #require((page["result"] as? String).flatMap { $0.data(using: .utf8) })
        let counts = try #require(try JSONSerialization.jsonObject(with: result) as? [String: Any])
        #expect(counts["filters"] as? String == "on")  // the inline filter script ran under the page's policy
        let all = try #require(counts["all"] as? Int)
        let english = try #require(counts["en"] as? Int)
        #expect(all > english && english > 0)
        #expect(english == counts["enAttr"] as? Int)
        let byPrompt = try #require(counts["byPrompt"] as? Int)
        #expect(byPrompt > 0 && byPrompt < all)
        #expect(counts["shown"] as? String == String(byPrompt))
    }
}

@Test("a plan stored before streaming (with its items listed) still decodes: versions, providers, repeats and count")
func oldPlanDecodes() throws {
    func item(_ side: String, _ version: String, _ caseID: String, _ repeatIndex: Int) -> String {
        """
        {"key": "\(side)|p@\(version)|stub|\(caseID)|\(repeatIndex)", "side": "\(side)", "promptID": "p",
         "promptVersion": "\(version)", "language": "pt-BR", "persona": "nurse", "provider": "stub",
         "caseID": "\(caseID)", "repeatIndex": \(repeatIndex)}
        """
    }
    let items = ["a", "b", "c"].flatMap { caseID in
        [0, 1].flatMap { [item("baseline", "1.0.0", caseID, $0), item("candidate", "1.1.0", caseID, $0)] }
    }
    let json = """
        {"suite": "s", "suiteFile": "eval-suites/s.yaml", "items": [\(items.joined(separator: ","))],
         "pairings": [{"candidate": "p@1.1.0", "baseline": "p@1.0.0"}], "rubrics": [],
         "thresholds": {"passRate": 0.8, "maxErrorRatio": 0.1, "tolerance": 0.05}, "rubricThresholds": {}}
        """
    let plan = try JSONDecoder().decode(EvalPlan.self, from: Data(json.utf8))
    #expect(plan.itemCount == 12)
    #expect(plan.repeats == 2)
    #expect(plan.providers == ["stub"])
    #expect(plan.versions.map(\.promptKey) == ["p@1.0.0", "p@1.1.0"])
    #expect(plan.versions.map(\.items) == [6, 6])
    let again = try JSONDecoder().decode(EvalPlan.self, from: JSONEncoder().encode(plan))
    #expect(again == plan)
}
