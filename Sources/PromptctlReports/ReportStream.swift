import Foundation
import PromptctlCore
import PromptctlEval
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a run's reports while its results arrive, keeping none of them: each result is appended to
/// `results.jsonl` and to its version's JUnit part, added to the summary's running totals, and kept only if it is
/// among the `worstLimit` worst candidate answers the HTML report shows. `finish` writes the four reports.
///
/// Memory depends on the versions, criteria and `worstLimit`, not on the number of results.
public final class ReportStream: Sendable {
    /// How many candidate answers the HTML report shows at most.
    public static let worstLimit = 200

    /// The folder the reports go to.
    public let directory: URL
    let plan: EvalPlan
    private let state: Mutex<State>

    struct Part {
        var descriptor: Int32
        var buffer: [UInt8] = []
        var tests = 0
        var failures = 0
        var errors = 0
        var seconds = 0.0
    }

    struct State {
        var results: Part
        var junit: [String: Part] = [:]
        var totals = SummaryAccumulator()
        var worst: [EvalItemResult] = []
        var closed = false
    }

    /// Creates the folder and starts `results.jsonl` afresh.
    public init(directory: URL, plan: EvalPlan) throws {
        self.directory = directory
        self.plan = plan
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let results = try Self.open(directory.appendingPathComponent(JSONReport.resultsFile))
        var junit: [String: Part] = [:]
        for (index, version) in plan.versions.enumerated() {
            let key = Self.versionKey(version.promptKey, version.side)
            junit[key] = Part(descriptor: try Self.open(directory.appendingPathComponent(".junit-\(index).part")))
        }
        state = Mutex(State(results: Part(descriptor: results), junit: junit))
    }

    deinit {
        state.withLock { state in
            guard !state.closed else { return }
            close(state.results.descriptor)
            for part in state.junit.values { close(part.descriptor) }
        }
    }

    static func versionKey(_ promptKey: String, _ side: EvalSide) -> String { "\(side.rawValue)|\(promptKey)" }

    static func open(_ url: URL) throws -> Int32 {
        let descriptor = Glibc.open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PromptctlError(
                .infrastructure, "cannot write \(url.path) (errno \(errno))", remedy: "check the folder is writable")
        }
        return descriptor
    }

    static func write(_ part: inout Part, _ bytes: some Sequence<UInt8>, force: Bool = false) throws {
        part.buffer.append(contentsOf: bytes)
        guard force || part.buffer.count >= 1 << 16 else { return }
        try part.buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(part.descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else {
                    throw PromptctlError(
                        .infrastructure, "cannot write a report (errno \(errno))", remedy: "check the disk has room")
                }
                offset += written
            }
        }
        part.buffer.removeAll(keepingCapacity: true)
    }

    /// Adds one result; `encoded` is its JSON as the store keeps it (one line of `results.jsonl`).
    public func add(_ result: EvalItemResult, encoded: Data) throws {
        let testcase = JUnitReport.testcase(result, suite: plan.suite)
        try state.withLock { state in
            state.totals.add(result)
            try Self.write(&state.results, encoded)
            try Self.write(&state.results, [0x0A])
            let key = Self.versionKey(result.item.promptKey, result.item.side)
            if var part = state.junit[key] {
                part.tests += 1
                if result.error != nil {
                    part.errors += 1
                } else if !result.passed {
                    part.failures += 1
                }
                part.seconds += result.latencyMs / 1000
                try Self.write(&part, testcase.utf8)
                try Self.write(&part, [0x0A])
                state.junit[key] = part
            }
            guard result.item.side == .candidate else { return }
            // Keep the worst `worstLimit`, worst first: a binary search for the place, then drop the last.
            if state.worst.count == Self.worstLimit, let last = state.worst.last,
                !ReportData.worseThan(result, last)
            {
                return
            }
            var low = 0
            var high = state.worst.count
            while low < high {
                let middle = (low + high) / 2
                if ReportData.worseThan(state.worst[middle], result) { low = middle + 1 } else { high = middle }
            }
            state.worst.insert(result, at: low)
            if state.worst.count > Self.worstLimit { state.worst.removeLast() }
        }
    }

    /// The running totals of the summary.
    public var totals: SummaryAccumulator { state.withLock { $0.totals } }

    /// The worst candidate answers kept, worst first.
    public var worstResults: [EvalItemResult] { state.withLock { $0.worst } }

    /// How many results were added.
    public var resultCount: Int { state.withLock { $0.totals.resultCount } }

    /// Writes `report.html`, `report.md`, `report.json` and `report.xml` (JUnit) beside `results.jsonl`; returns
    /// their paths, the complete results last.
    public func finish(_ data: ReportData) throws -> [String] {
        let parts: [(String, Part)] = try state.withLock { state in
            try Self.write(&state.results, [], force: true)
            close(state.results.descriptor)
            var parts: [(String, Part)] = []
            for (key, var part) in state.junit {
                try Self.write(&part, [], force: true)
                close(part.descriptor)
                parts.append((key, part))
            }
            state.closed = true
            return parts
        }
        let files = ["html", "md", "json", "xml"].map { directory.appendingPathComponent("report.\($0)") }
        try ReportFiles.replace(files[0], with: Data(try HTMLReport().render(data).utf8))
        try ReportFiles.replace(files[1], with: Data(try MarkdownReport().render(data).utf8))
        try ReportFiles.replace(files[2], with: Data(try JSONReport().render(data).utf8))
        try writeJUnit(parts: parts, to: files[3], data: data)
        return files.map(\.path) + [directory.appendingPathComponent(JSONReport.resultsFile).path]
    }

    /// Joins the versions' parts under their totals, streaming each part's bytes from its file.
    func writeJUnit(parts: [(String, Part)], to url: URL, data: ReportData) throws {
        let byKey = Dictionary(parts, uniquingKeysWith: { first, _ in first })
        let failures = parts.reduce(0) { $0 + $1.1.failures }
        let errors = parts.reduce(0) { $0 + $1.1.errors }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".report.xml.tmp")
        var out = Part(descriptor: try Self.open(temporary))
        defer { close(out.descriptor) }
        try Self.write(
            &out,
            JUnitReport.header(
                suite: plan.suite, tests: data.summary.totalItems, failures: failures,
                errors: errors + data.summary.missingItems
            ).utf8)
        for (index, version) in plan.versions.enumerated() {
            let key = Self.versionKey(version.promptKey, version.side)
            let part = byKey[key] ?? Part(descriptor: -1)
            try Self.write(
                &out,
                JUnitReport.suiteOpening(
                    name: "\(plan.suite).\(version.promptKey).\(version.side.rawValue)", tests: version.items,
                    failures: part.failures, errors: part.errors, seconds: part.seconds
                ).utf8)
            let partURL = directory.appendingPathComponent(".junit-\(index).part")
            if let handle = FileHandle(forReadingAtPath: partURL.path) {
                defer { try? handle.close() }
                while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
                    try Self.write(&out, chunk)
                }
            }
            try? FileManager.default.removeItem(at: partURL)
            try Self.write(&out, "  </testsuite>\n".utf8)
        }
        try Self.write(&out, "</testsuites>\n".utf8, force: true)
        guard rename(temporary.path, url.path) == 0 else {
            throw PromptctlError(.infrastructure, "cannot move the JUnit report into place at \(url.path)")
        }
    }
}

/// Report files written whole under a temporary name and renamed over the old one.
enum ReportFiles {
    /// A reader sees the old report or the new one, never half of one; no fsync: a report is rebuilt from the store.
    static func replace(_ url: URL, with data: Data) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        var part = ReportStream.Part(descriptor: try ReportStream.open(temporary))
        defer { close(part.descriptor) }
        try ReportStream.write(&part, data, force: true)
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw PromptctlError(
                .infrastructure, "cannot move the report into place at \(url.path) (errno \(code))",
                remedy: "check the folder is writable")
        }
    }
}
