import Foundation
import GRDB
import PromptctlCore
import PromptctlEval
import PromptctlKit
import PromptctlStore
import PromptctlTesting
import Testing

/// A target of Package.swift: its name, its source folder and the modules it may import.
struct DeclaredTarget {
    var name: String
    var path: String
    var dependencies: Set<String>
}

/// Reads the targets of Package.swift (names, paths, dependencies; products by their module name).
func declaredTargets() throws -> [DeclaredTarget] {
    let manifest = try String(contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
    // Product names whose module has another name.
    let productModules = ["GRDB.swift": "GRDB"]
    var targets: [DeclaredTarget] = []
    let blocks = manifest.components(separatedBy: "\n        .")
    for block in blocks {
        guard let kind = ["target(", "executableTarget(", "testTarget("].first(where: { block.hasPrefix($0) }),
            let name = block.firstMatch(of: /name: "([^"]+)"/)?.1
        else { continue }
        var dependencies: Set<String> = []
        if let start = block.range(of: "dependencies: [") {
            var depth = 1
            var index = start.upperBound
            while index < block.endIndex, depth > 0 {
                if block[index] == "[" { depth += 1 }
                if block[index] == "]" { depth -= 1 }
                index = block.index(after: index)
            }
            let list = block[start.upperBound..<index]
            for product in list.matches(of: /\.product\(name: "([^"]+)"/) {
                dependencies.insert(productModules[String(product.1)] ?? String(product.1))
            }
            let withoutProducts = list.replacing(/\.product\([^)]*\)/, with: "")
            for plain in withoutProducts.matches(of: /"([^"]+)"/) { dependencies.insert(String(plain.1)) }
        }
        let folder = kind == "testTarget(" ? "Tests" : "Sources"
        let path = block.firstMatch(of: /path: "([^"]+)"/).map { String($0.1) } ?? "\(folder)/\(name)"
        targets.append(DeclaredTarget(name: String(name), path: path, dependencies: dependencies))
    }
    return targets
}

/// Every `import X` of the Swift files under a folder, with the file that has it.
func imports(under folder: String) throws -> [(file: String, module: String)] {
    let root = repositoryRoot.appendingPathComponent(folder)
    guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
    var found: [(String, String)] = []
    for case let url as URL in files where url.pathExtension == "swift" {
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let match = trimmed.firstMatch(of: /^(?:@\w+\s+)?import\s+(?:struct\s+|enum\s+|class\s+)?(\w+)/)
            else { continue }
            found.append((url.lastPathComponent, String(match.1)))
        }
    }
    return found
}

@Suite("layers and recorded verdicts")
struct LayeringTests {
    /// Modules of the platform that any target may import.
    static let platform: Set<String> = [
        "Foundation", "FoundationXML", "FoundationNetworking", "Dispatch", "Glibc", "Darwin", "Musl", "Testing",
        "RegexBuilder", "Synchronization",
    ]

    @Test("every import is a declared dependency of its target (no module reaches around its wall)")
    func importsAreDeclared() throws {
        let targets = try declaredTargets()
        #expect(targets.count >= 15, "Package.swift was not read: \(targets.map(\.name))")
        var undeclared: [String] = []
        // The library and executable targets (the test target may reach any module of the package it tests).
        for target in targets where !target.path.hasPrefix("Tests") {
            for (file, module) in try imports(under: target.path)
            where !Self.platform.contains(module) && !target.dependencies.contains(module) && module != target.name {
                undeclared.append("\(target.path)/\(file) imports \(module), not a dependency of \(target.name)")
            }
        }
        #expect(undeclared.isEmpty, "\(undeclared.joined(separator: "\n"))")
    }

    @Test("the executable imports ArgumentParser, Foundation and PromptctlKit only; only the store imports GRDB")
    func sealedLayers() throws {
        let executable = Set(try imports(under: "Sources/promptctl").map(\.module))
        #expect(executable == ["ArgumentParser", "Foundation", "PromptctlKit"], "\(executable)")
        let targets = try declaredTargets()
        for target in targets where target.path.hasPrefix("Sources") && target.name != "PromptctlStore" {
            #expect(!target.dependencies.contains("GRDB"), "\(target.name) depends on GRDB")
            #expect(try imports(under: target.path).allSatisfy { $0.module != "GRDB" }, "\(target.name) imports GRDB")
        }
    }

    @Test("every command of the executable names itself (a derived name costs conformance scans at every start)")
    func commandsNameThemselves() throws {
        let root = repositoryRoot.appendingPathComponent("Sources/promptctl")
        let files = try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)
        var configurations = 0
        var unnamed: [String] = []
        for url in files where url.pathExtension == "swift" {
            let source = try String(contentsOf: url, encoding: .utf8)
            for match in source.matches(of: /CommandConfiguration\(\s*(\w+):/) {
                configurations += 1
                if match.1 != "commandName" {
                    unnamed.append("\(url.lastPathComponent): CommandConfiguration(\(match.1): …")
                }
            }
        }
        #expect(configurations >= 50, "the commands were not found under \(root.path)")
        #expect(unnamed.isEmpty, "\(unnamed.joined(separator: "\n"))")
    }

    @Test("no Kit service calls another service: what two share lives below them (GuardSetup, SuiteLoader, RunRecords)")
    func servicesDoNotCallSideways() throws {
        let folder = repositoryRoot.appendingPathComponent("Sources/PromptctlKit")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        let services = Set(files.filter { $0.hasSuffix("Service.swift") }.map { String($0.dropLast(6)) })
        #expect(services.count >= 10, "\(services)")
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            // A file may extend or use its own service (ShardService.swift extends ReportService, its command's).
            let own = Set(text.matches(of: /extension (\w+Service)\b/).map { String($0.1) })
                .union([String(file.dropLast(6))])
            for service in services.subtracting(own) {
                let uses = text.matches(of: try Regex("\\b\(service)(\\(|\\.)")).count
                #expect(uses == 0, "\(file) calls \(service) \(uses) times")
            }
        }
    }

    @Test("a gate failure concerns its own prompt version only, or every prompt when it is run-wide")
    func failureConcerns() {
        let own = GateFailure.passRate(prompt: "gestante@1.1", measured: 0.5, threshold: 0.8, errors: 0)
        let other = GateFailure.rubricMean(prompt: "gestante@1.10", rubric: "tone", measured: 0.5, threshold: 0.7)
        let runWide = GateFailure.missingResults(missing: 3, planned: 10)
        // A message-prefix test took "gestante@1.10: ..." for a failure of gestante@1.1.
        #expect(own.concerns("gestante@1.1") && !other.concerns("gestante@1.1"))
        #expect(runWide.concerns("gestante@1.1") && runWide.concerns("anything@2.0.0"))
        #expect(
            GateFailure.providerErrors(errors: 5, items: 10, measured: 0.5, allowed: 0.1).exitStatus
                == .providerOrInfrastructure)
        #expect(other.message == "gestante@1.10: tone mean 0.50 < 0.7")
    }

    @Test("promote reads the verdict recorded with the run, not a recomputation from its results")
    func promoteReadsRecordedVerdict() async throws {
        let server = try await LoopbackLLMServer.start(answer: goodAnswer)
        defer { Task { await server.stop() } }
        let directory = try stubProject(server: server)
        defer { directory.cleanUp() }
        let workspace = Workspace(project: directory.url.path, environment: ["PROMPTCTL_USER": "revisora"])
        var options = EvalOptions()
        options.suites = ["maternal-health"]
        options.providers = ["stub"]
        let outcome = try #require(try await EvalService(workspace: workspace).run(options).first)
        #expect(outcome.report.summary.passed)
        // The stored verdict says the candidate missed a rubric threshold; its results (which a recomputation
        // would read) all still pass, and no sentence mentions it.
        let runID = outcome.report.runID
        try await rawSQLite(directory.path(".promptctl/promptctl.sqlite")) { db in
            let stored = try #require(
                try Data.fetchOne(db, sql: "SELECT summary FROM eval_run WHERE id = ?", arguments: [runID]))
            var summary = try #require(try JSONSerialization.jsonObject(with: stored) as? [String: Any])
            summary["gateFailures"] = [
                [
                    "rubricMean": [
                        "prompt": "gestante-acolhimento@1.1.0", "rubric": "friendly-tone", "measured": 0.41,
                        "threshold": 0.7,
                    ]
                ]
            ]
            try db.execute(
                sql: "UPDATE eval_run SET summary = ? WHERE id = ?",
                arguments: [try JSONSerialization.data(withJSONObject: summary), runID])
        }
        do {
            _ = try PromoteService(workspace: workspace).promote(
                "gestante-acolhimento@1.1.0", to: "production", approver: nil, note: nil, breakGlass: nil)
            Issue.record("promote must refuse a run whose recorded verdict failed")
        } catch let error as PromptctlError {
            #expect(error.exitStatus == .gateFailed)
            #expect(error.description.contains("friendly-tone mean 0.41 < 0.7"), "\(error.description)")
        }
        // A verdict this version cannot read is no evidence of a pass either.
        try await rawSQLite(directory.path(".promptctl/promptctl.sqlite")) { db in
            try db.execute(sql: "UPDATE eval_run SET summary = x'7b7d' WHERE id = ?", arguments: [runID])
        }
        #expect(throws: PromptctlError.self) {
            try PromoteService(workspace: workspace).promote(
                "gestante-acolhimento@1.1.0", to: "production", approver: nil, note: nil, breakGlass: nil)
        }
    }

    @Test("guard check reads --input and --file from a pipe (process substitution) and from - (standard input)")
    func pipesAndStandardInput() throws {
        let directory = try copyShippedProject()
        defer { directory.cleanUp() }
        let binary = CLITests.binary.path
        let script = """
            set -e
            '\(binary)' guard check --format jsonl --input <(printf '%s\\n' '{"id": "a", "text": "Pode usar Cytotec"}' '{"id": "b", "text": "Beba água."}') > piped.jsonl || true
            printf '%s\\n' '{"id": "c", "text": "Beba água."}' | '\(binary)' guard check --format jsonl --input - > stdin.jsonl
            printf 'Pode usar Cytotec' | '\(binary)' guard check --format jsonl --file - > file.jsonl || true
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory.url
        let err = Pipe()
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(!stderr.contains("cannot read"), "\(stderr)")
        let piped = try directory.read("piped.jsonl").split(separator: "\n")
        #expect(piped.count == 2 && piped[0].contains("\"block\"") && piped[1].contains("\"allow\""), "\(piped)")
        #expect(try directory.read("stdin.jsonl").contains("\"id\":\"c\""))
        #expect(try directory.read("file.jsonl").contains("\"block\""))
    }
}
