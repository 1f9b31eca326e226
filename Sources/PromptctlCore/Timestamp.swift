import Foundation

/// ISO 8601 timestamps in UTC, the form every file and report uses.
public enum Timestamp {
    /// Now.
    public static func now() -> String { string(Date()) }

    /// A date as `2026-11-25T17:00:00Z`.
    public static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Parses `2026-11-25T17:00:00Z`, `2026-11-25T17:00:00.123Z` or `2026-11-25`.
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }
}
