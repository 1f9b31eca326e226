import Foundation
import PromptctlCore

/// One recorded exchange, a line of a recordings file (JSONL, committed with the project).
public struct Recording: Sendable, Hashable, Codable {
    /// `ChatRequest.fingerprint`.
    public var key: String
    /// The request as sent.
    public var request: ChatRequest
    /// The answer as received.
    public var response: ChatResponse
    /// Which provider made it.
    public var recordedFrom: String
    /// When.
    public var recordedAt: String
}

/// Answers from a recordings file: deterministic, offline, no key.
public struct ReplayProvider: ChatProvider {
    /// The configured name.
    public let name: String
    let recordings: [String: Recording]

    /// Loads recordings; a missing or malformed file is a clear configuration error.
    public init(name: String, file: URL, displayPath: String) throws {
        self.name = name
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PromptctlError(
                .config, "recordings file \(displayPath) does not exist",
                remedy: "record one with 'promptctl eval SUITE --provider LIVE --record \(displayPath)'")
        }
        var recordings: [String: Recording] = [:]
        let decoder = JSONDecoder()
        for (index, line) in TextLines.lines(data).enumerated() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            do {
                let recording = try decoder.decode(Recording.self, from: Data(line.utf8))
                recordings[recording.key] = recording
            } catch {
                throw PromptctlError(
                    .config, "\(displayPath):\(index + 1):1: error: not a recording line",
                    remedy: "each line must be a JSON object written by --record", cause: error)
            }
        }
        self.recordings = recordings
    }

    /// Creates a provider from recordings in memory.
    public init(name: String, recordings: [Recording]) {
        self.name = name
        self.recordings = Dictionary(recordings.map { ($0.key, $0) }, uniquingKeysWith: { $1 })
    }

    /// How many exchanges it can answer.
    public var count: Int { recordings.count }

    /// Answers from the recording of this exact request.
    public func send(_ request: ChatRequest) async throws -> ChatResponse {
        guard let recording = recordings[request.fingerprint] else {
            throw ProviderError(
                .noRecording,
                "no recording for this request (model \(request.model), repeat \(request.repeatIndex)); re-record with a live provider and --record"
            )
        }
        return recording.response
    }
}

/// Wraps a provider and appends each successful exchange to a recordings file.
public final class RecordingProvider: ChatProvider, @unchecked Sendable {
    /// The wrapped provider's name.
    public var name: String { inner.name }
    let inner: any ChatProvider
    let file: URL
    private let lock = NSLock()

    /// Creates a recorder writing to `file` (appending).
    public init(wrapping inner: any ChatProvider, file: URL) {
        self.inner = inner
        self.file = file
    }

    /// Sends through the wrapped provider and records the answer.
    public func send(_ request: ChatRequest) async throws -> ChatResponse {
        let response = try await inner.send(request)
        let recording = Recording(
            key: request.fingerprint, request: request, response: response, recordedFrom: inner.name,
            recordedAt: ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(recording)
        line.append(0x0A)
        try lock.withLock { try append(line) }
        return response
    }

    private func append(_ line: Data) throws {
        if !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: file.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }
}
