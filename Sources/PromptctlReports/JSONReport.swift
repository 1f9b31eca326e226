import Foundation

/// The whole run as JSON: plan, summary and every result.
///
/// The document is pretty-printed with sorted keys; each result is one line of compact JSON with sorted keys,
/// so that a report of thousands of results stays quick to write and easy to grep or diff line by line.
public struct JSONReport: ReportFormatter {
    /// Creates the formatter.
    public init() {}
    public var fileExtension: String { "json" }

    /// The encoder for one result: the store keeps results encoded with exactly these settings.
    public static func resultEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public func render(_ data: ReportData) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let encodedResults: [Data]
        if let given = data.encodedResults, given.count == data.results.count {
            encodedResults = given
        } else {
            let resultEncoder = Self.resultEncoder()
            encodedResults = try data.results.map { try resultEncoder.encode($0) }
        }
        var shell = data
        shell.results = []
        shell.encodedResults = nil
        let document = String(decoding: try encoder.encode(shell), as: UTF8.self)
        // The shell has `"results" : []` (or `[\n\n  ]`); the results go between its brackets.
        guard let key = document.range(of: "\"results\" : ["),
            let close = document[key.upperBound...].firstIndex(of: "]")
        else {
            return document + "\n"
        }
        var text = String(document[..<key.upperBound])
        text.reserveCapacity(document.utf8.count + encodedResults.reduce(0) { $0 + $1.count + 6 })
        for (index, result) in encodedResults.enumerated() {
            text += index == 0 ? "\n    " : ",\n    "
            text += String(decoding: result, as: UTF8.self)
        }
        text += encodedResults.isEmpty ? "" : "\n  "
        text += document[close...]
        return text + "\n"
    }
}
