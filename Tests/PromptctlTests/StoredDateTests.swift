import Foundation
import GRDB
import Testing

@testable import PromptctlStore

@Suite("stored dates: the text GRDB writes, formatted and read without ICU")
struct StoredDateTests {
    /// Random dates from 1900 to 2200 with sub-millisecond parts, plus the edges of days, leap days and epochs.
    static func dates(count: Int) -> [Date] {
        var generator = SystemRandomNumberGenerator()
        var dates = (0..<count).map { _ in
            Date(timeIntervalSince1970: Double.random(in: -2_208_988_800...7_258_118_400, using: &generator))
        }
        // Half a millisecond past a whole one: where rounding down, to even and half up part ways.
        dates += (0..<count / 4).map { _ in
            let second = Double(Int.random(in: -2_000_000_000...7_000_000_000, using: &generator))
            return Date(
                timeIntervalSince1970: second + Double(Int.random(in: 0..<1000, using: &generator)) / 1000 + 0.0005)
        }
        dates += [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.0005), Date(timeIntervalSince1970: 0.9999),
            Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 951_868_799.999),
            Date(timeIntervalSince1970: 4_107_542_399.9995), Date(timeIntervalSinceReferenceDate: 0), Date(),
        ]
        return dates
    }

    @Test("the text is GRDB's own for 25,000 random dates, 5,000 of them half a millisecond past a whole one")
    func sameTextAsGRDB() {
        var different: [String] = []
        for date in Self.dates(count: 20_000) {
            let grdb = String.fromDatabaseValue(date.databaseValue) ?? "?"
            let ours = StoredDate.text(of: date)
            if grdb != ours { different.append("\(date.timeIntervalSince1970): GRDB \(grdb), ours \(ours)") }
        }
        let mismatches = different.count
        #expect(mismatches == 0, "\(different.prefix(10).joined(separator: "\n"))")
    }

    @Test("reading the text gives GRDB's date, to the microsecond")
    func sameDateAsGRDB() throws {
        for date in Self.dates(count: 5_000) {
            let text = StoredDate.text(of: date)
            let grdb = try #require(Date.fromDatabaseValue(text.databaseValue))
            let ours = try #require(StoredDate.date(fromText: text))
            #expect(abs(grdb.timeIntervalSince1970 - ours.timeIntervalSince1970) < 1e-6, "\(text)")
        }
    }

    @Test(
        "other text GRDB reads is still read by GRDB; malformed text is not a date",
        arguments: [
            ("2026-12-02", true), ("2026-12-02 12:40", true), ("2026-12-02T12:40:05.123", true),
            ("not a date", false), ("", false),
        ])
    func otherForms(text: String, isDate: Bool) {
        #expect((StoredDate.fromDatabaseValue(text.databaseValue) == nil) == !isDate, "\(text)")
    }

    @Test("an evaluation run's dates go through a real SQLite file and come back as written")
    func runDatesRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let database = try AppDatabase(path: directory.path("store.sqlite"))
        let before = Date()
        try database.createRun(id: "r1", suite: "s", suiteFile: "f", plan: Data("{}".utf8), gitRef: nil, candidates: [])
        try database.finishRun(id: "r1", status: .finished, summary: nil)
        let run = try #require(try database.run(id: "r1"))
        #expect(run.startedAt.timeIntervalSince(before) > -0.001)
        #expect(run.startedAt.timeIntervalSinceNow < 1)
        #expect(try #require(run.finishedAt) >= run.startedAt)
    }
}
