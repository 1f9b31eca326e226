import Foundation

/// ISO 8601 timestamps in UTC, the form every file and report uses.
public enum Timestamp {
    /// Now.
    public static func now() -> String { string(Date()) }

    /// The hourly cost rollup's key, "YYYY-MM-DD HH" in UTC, the same on every store engine; rounded up to the next
    /// hour for an exclusive end that is not whole.
    public static func hourKey(_ date: Date, roundUp: Bool) -> String {
        if date == .distantFuture { return "9999" }
        if date.timeIntervalSince1970 <= 0 { return "0000" }
        var seconds = date.timeIntervalSince1970
        if roundUp { seconds = (seconds / 3600).rounded(.up) * 3600 }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

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
