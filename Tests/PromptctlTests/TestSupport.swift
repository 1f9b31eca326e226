import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PromptctlClinical
import PromptctlCore
import PromptctlKit
import PromptctlLLM
import PromptctlReview
import PromptctlWeb
import Synchronization

/// A fresh temporary folder, removed by the caller with `cleanUp`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("promptctl-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    func write(_ relative: String, _ text: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }

    /// Removes the folder when the test process exits: for a store handed to the caller, whose tests outlive the
    /// function that made it.
    func removeAtExit() {
        let first = foldersToRemoveAtExit.withLock { folders in
            folders.append(url)
            return folders.count == 1
        }
        if first {
            atexit {
                for folder in foldersToRemoveAtExit.withLock({ $0 }) { try? FileManager.default.removeItem(at: folder) }
            }
        }
    }
}

/// Folders `TemporaryDirectory.removeAtExit()` removes when the test process exits.
let foldersToRemoveAtExit = Mutex<[URL]>([])

/// The repository root (where Package.swift is), found from this file's path.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}()

/// Copies the shipped project (promptctl.yaml, prompts, eval-suites, rubrics, prices) into a temporary folder.
func copyShippedProject() throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    for item in ["promptctl.yaml", "prices.yaml", "prompts", "eval-suites", "rubrics", "guards"] {
        let source = repositoryRoot.appendingPathComponent(item)
        if FileManager.default.fileExists(atPath: source.path) {
            try FileManager.default.copyItem(at: source, to: directory.url.appendingPathComponent(item))
        }
    }
    return directory
}

/// Seconds since an uptime instant.
func secondsSince(_ start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The clinical-signs engine from the repository's `guards/clinical-signs.yaml`, loaded once for every test.
let testSigns: ClinicalSignsEngine = {
    do {
        return try ClinicalSignsEngine.forProject(root: repositoryRoot)
    } catch {
        fatalError("guards/clinical-signs.yaml does not load: \(error)")
    }
}()

/// What a run of the built executable printed, and how it ended.
struct PromptctlRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Starts the built executable in a folder (without the caller's PROMPTCTL_DB); the caller may signal it before
/// `finishPromptctl`. Free functions: a suite must not instantiate another suite.
func launchPromptctl(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> (
    Process, Pipe, Pipe
) {
    let process = Process()
    process.executableURL = CLITests.binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var merged = ProcessInfo.processInfo.environment
    merged.removeValue(forKey: "PROMPTCTL_DB")
    merged.merge(environment) { $1 }
    process.environment = merged
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    return (process, out, err)
}

/// Reads what a launched executable printed and waits for it to end.
func finishPromptctl(_ process: Process, _ out: Pipe, _ err: Pipe) -> PromptctlRun {
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return PromptctlRun(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

/// Runs the built executable to its end.
func runPromptctl(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws
    -> PromptctlRun
{
    let (process, out, err) = try launchPromptctl(arguments, in: directory, environment: environment)
    return finishPromptctl(process, out, err)
}

/// Runs raw SQL on a store file through a second connection, as another process would: the tests use it to
/// inject faults (a trigger that refuses rows) and to tamper with stored values; the store itself has no raw access.
func rawSQLite(_ path: String, _ body: @escaping @Sendable (Database) throws -> Void) async throws {
    let queue = try DatabaseQueue(path: path)
    try await queue.write { db in try body(db) }
    try queue.close()
}

/// The review form driven in process through HummingbirdTesting's router client: no socket, no port.
struct ReviewFormClient: Sendable {
    let client: any TestClientProtocol

    /// Sends one request; `form` is an urlencoded body.
    func send(_ method: String, _ path: String, form: String? = nil) async throws -> PromptctlLLM.HTTPResponse {
        var headers = HTTPFields()
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.executeRequest(
            uri: path, method: HTTPTypes.HTTPRequest.Method(method)!, headers: headers,
            body: form.map { ByteBuffer(string: $0) })
        var fields: [String: String] = [:]
        for field in response.headers { fields[field.name.canonicalName] = field.value }
        return PromptctlLLM.HTTPResponse(
            status: response.status.code, headers: fields, body: Data(buffer: response.body))
    }
}

/// Runs `body` against the review form of `service`'s store, in process.
func withReviewForm(
    _ service: ReviewService, pseudonymKey: String, _ body: @Sendable (ReviewFormClient) async throws -> Void
) async throws {
    let router = ReviewApplication.buildRouter(
        database: try service.database(), privacy: Privacy(key: pseudonymKey), secret: Array(repeating: 7, count: 32))
    try await Application(router: router).test(.router) { client in try await body(ReviewFormClient(client: client)) }
}
