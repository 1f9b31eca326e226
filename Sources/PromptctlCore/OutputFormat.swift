import Foundation

/// Output formats for commands that print data; each command accepts the subset it can print.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    case table, json, jsonl, markdown, csv, html
}
