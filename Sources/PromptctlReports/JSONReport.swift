import Foundation

/// The whole run as JSON: plan, summary and every result.
public struct JSONReport: ReportFormatter {
    /// Creates the formatter.
    public init() {}
    public var fileExtension: String { "json" }

    public func render(_ data: ReportData) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(data), as: UTF8.self) + "\n"
    }
}
