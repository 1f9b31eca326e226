import Foundation

/// A case file a suite names, read lazily (one record at a time) when the suite is evaluated.
public struct CaseFileReference: Sendable, Hashable, Codable {
    /// The file on disk.
    public var path: String
    /// The path as the suite wrote it, for diagnostics.
    public var displayPath: String
    /// Where the suite names it.
    public var location: SourceLocation

    /// Creates a reference.
    public init(path: String, displayPath: String, location: SourceLocation) {
        self.path = path
        self.displayPath = displayPath
        self.location = location
    }
}

/// Reads a file as records without holding it whole: lines, or CSV records whose quoted fields may span lines.
final class RecordReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private let csvQuotes: Bool
    /// The line the next record starts on (1-based).
    private(set) var nextLine = 1

    init(path: String, csvQuotes: Bool) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PromptctlError(.config, "cannot read the case file \(path)", remedy: "check that it exists")
        }
        self.handle = handle
        self.csvQuotes = csvQuotes
    }

    deinit { try? handle.close() }

    /// The next record's bytes (without its line end) and the line it starts on; nil at the end of the file.
    func next() throws -> (bytes: ArraySlice<UInt8>, line: Int)? {
        var quoted = false
        var scan = position
        let startLine = nextLine
        var lines = 0
        while true {
            while scan < buffer.count {
                let byte = buffer[scan]
                if csvQuotes && byte == 0x22 {
                    quoted.toggle()
                } else if byte == 0x0A {
                    lines += 1
                    if !quoted {
                        var end = scan
                        if end > position && buffer[end - 1] == 0x0D { end -= 1 }
                        let record = buffer[position..<end]
                        position = scan + 1
                        nextLine = startLine + lines
                        return (record, startLine)
                    }
                }
                scan += 1
            }
            if finished {
                guard position < buffer.count else { return nil }
                let record = buffer[position..<buffer.count]
                position = buffer.count
                nextLine = startLine + lines + 1
                return (record, startLine)
            }
            // Keep the unread tail, then read the next chunk after it.
            if position > 0 {
                buffer.removeSubrange(0..<position)
                scan -= position
                position = 0
            }
            let chunk = try handle.read(upToCount: 1 << 16) ?? Data()
            if chunk.isEmpty { finished = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}

/// Streams the cases of one CSV or JSONL file; malformed rows become diagnostics and are skipped.
public final class CaseFileStream {
    private let reader: RecordReader
    private let reference: CaseFileReference
    private let isCSV: Bool
    private var header: [String]?
    private var idColumn = 0
    private var separator: Character = ","
    private let diagnostics: DiagnosticCollector

    /// Opens the file; an unknown extension or a missing file is a configuration error.
    public init(_ reference: CaseFileReference, diagnostics: DiagnosticCollector) throws {
        let ext = URL(fileURLWithPath: reference.path).pathExtension.lowercased()
        guard ext == "csv" || ext == "jsonl" else {
            throw PromptctlError(
                .config, "case files must be .csv or .jsonl, not \(reference.displayPath)",
                diagnostics: [.error("unsupported case file", at: reference.location)])
        }
        guard FileManager.default.fileExists(atPath: reference.path) else {
            throw PromptctlError(
                .config, "case file \(reference.displayPath) does not exist",
                diagnostics: [.error("case file \(reference.displayPath) does not exist", at: reference.location)])
        }
        self.reference = reference
        self.isCSV = ext == "csv"
        self.diagnostics = diagnostics
        self.reader = try RecordReader(path: reference.path, csvQuotes: isCSV)
    }

    /// The next case, or nil at the end of the file.
    public func next() throws -> EvalCase? {
        while let (bytes, line) = try reader.next() {
            let location = SourceLocation(file: reference.displayPath, line: line, column: 1)
            var text = String(decoding: bytes, as: UTF8.self)
            if line == 1, text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            if isCSV {
                if header == nil {
                    let semicolons = text.filter { $0 == ";" }.count
                    separator = semicolons > text.filter { $0 == "," }.count ? ";" : ","
                    let fields = CSV.parse(text + "\n", separator: separator).first ?? []
                    header = fields
                    guard let column = fields.firstIndex(of: "id") else {
                        diagnostics.error(
                            "the CSV has no 'id' column", at: location,
                            hint: "add an id column with a unique id per case")
                        return nil
                    }
                    idColumn = column
                    continue
                }
                if text.isEmpty { continue }
                if let evalCase = CaseFileLoader.csvCase(
                    CSV.parse(text + "\n", separator: separator).first ?? [], header: header!, idColumn: idColumn,
                    location: location, diagnostics: diagnostics)
                {
                    return evalCase
                }
            } else {
                if text.allSatisfy(\.isWhitespace) { continue }
                if let evalCase = CaseFileLoader.jsonlCase(text, location: location, diagnostics: diagnostics) {
                    return evalCase
                }
            }
        }
        return nil
    }
}

/// Every case of a suite in order: the inline ones, then each case file streamed.
public final class CaseCursor {
    private var inline: IndexingIterator<[EvalCase]>
    private var files: IndexingIterator<[CaseFileReference]>
    private var current: CaseFileStream?
    /// Problems in case files met so far.
    public let diagnostics: DiagnosticCollector

    /// Starts at the first case of the suite.
    public init(_ suite: SuiteSpec, diagnostics: DiagnosticCollector = DiagnosticCollector()) {
        inline = suite.cases.makeIterator()
        files = suite.caseFiles.makeIterator()
        self.diagnostics = diagnostics
    }

    /// The next case, or nil after the last.
    public func next() throws -> EvalCase? {
        if let evalCase = inline.next() { return evalCase }
        while true {
            if let current, let evalCase = try current.next() { return evalCase }
            guard let reference = files.next() else { return nil }
            current = try CaseFileStream(reference, diagnostics: diagnostics)
        }
    }
}

/// A stable 64-bit hash of text (FNV-1a over UTF-8): the same on every machine and in every run, unlike `Hasher`.
public enum StableHash {
    /// The hash of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// Reads a JSON Lines file one line at a time (a shard bundle's `results.jsonl`), never whole.
public final class JSONLinesReader {
    private let reader: RecordReader

    /// Opens the file.
    public init(path: String) throws { reader = try RecordReader(path: path, csvQuotes: false) }

    /// The next non-empty line and its number; nil at the end.
    public func next() throws -> (line: Data, number: Int)? {
        while let (bytes, number) = try reader.next() {
            if bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) { return (Data(bytes), number) }
        }
        return nil
    }
}
