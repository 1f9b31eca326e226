import Foundation
import PromptctlCore
import PromptctlStore

/// An ISO 8601 week such as 2026-W48, in UTC.
public struct ISOWeek: Sendable, Hashable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    /// Parses `2026-W48`.
    public init(_ text: String) throws {
        let parts = text.uppercased().split(separator: "-W")
        guard parts.count == 2, let year = Int(parts[0]), let week = Int(parts[1]), (1...53).contains(week) else {
            throw PromptctlError(.usage, "'\(text)' is not an ISO week", remedy: "write it as 2026-W48")
        }
        self.year = year
        self.week = week
    }

    /// The week containing a date.
    public init(containing date: Date) {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        year = calendar.component(.yearForWeekOfYear, from: date)
        week = calendar.component(.weekOfYear, from: date)
    }

    /// Monday 00:00 UTC to the next Monday.
    public var interval: (start: Date, end: Date) {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year))!
        return (start, start.addingTimeInterval(7 * 24 * 3600))
    }

    public var description: String { String(format: "%04d-W%02d", year, week) }
}

/// Draws a week's sample: stratified by prompt, language and persona, escalated and blocked items weighted up,
/// seeded so that the same week and the same data always give the same sample.
public enum WeeklySampler {
    /// How much more likely an escalated or blocked item is to be drawn.
    public static let flaggedWeight = 4.0

    /// The sample of full candidates, with each item's stratum.
    public static func draw(_ candidates: [ReviewCandidate], size: Int, seed: String) -> [(ReviewCandidate, String)] {
        let keys = candidates.map {
            SampleKey(
                sourceKey: $0.sourceKey, stratum: "\($0.promptID) · \($0.language) · \($0.persona)",
                flagged: $0.guardAction == "escalate" || $0.guardAction == "block")
        }
        let byKey = Dictionary(candidates.map { ($0.sourceKey, $0) }, uniquingKeysWith: { first, _ in first })
        return draw(keys, size: size, seed: seed).compactMap { key in byKey[key.sourceKey].map { ($0, key.stratum) } }
    }

    /// A 64-bit hash of text (FNV-1a, then a SplitMix64 finaliser): fast, stable across runs and machines.
    static func hash(_ text: String) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        value ^= value >> 30
        value = value &* 0xbf58_476d_1ce4_e5b9
        value ^= value >> 27
        value = value &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }

    /// The sample, as keys.
    public static func draw(_ candidates: [SampleKey], size: Int, seed: String) -> [SampleKey] {
        guard size > 0, !candidates.isEmpty else { return [] }
        let strata = Dictionary(grouping: candidates) { $0.stratum }
        let names = strata.keys.sorted()
        // Proportional allocation with largest remainders, at least one per stratum while the size allows.
        var allocation: [String: Int] = [:]
        let total = Double(candidates.count)
        var remainders: [(String, Double)] = []
        for name in names {
            let exact = Double(size) * Double(strata[name]!.count) / total
            allocation[name] = min(strata[name]!.count, Int(exact))
            remainders.append((name, exact - Double(Int(exact))))
        }
        for name in names where allocation[name] == 0 && allocation.values.reduce(0, +) < size {
            allocation[name] = 1
        }
        for (name, _) in remainders.sorted(by: { ($0.1, $1.0) > ($1.1, $0.0) }) {
            guard allocation.values.reduce(0, +) < size else { break }
            if allocation[name]! < strata[name]!.count { allocation[name]! += 1 }
        }
        while allocation.values.reduce(0, +) < min(size, candidates.count) {
            guard let name = names.first(where: { allocation[$0]! < strata[$0]!.count }) else { break }
            allocation[name]! += 1
        }
        var sample: [SampleKey] = []
        for name in names {
            // Weighted sampling without replacement (Efraimidis–Spirakis): key = u^(1/w), largest keys win;
            // u comes from a hash of the seed and the item, so the draw is reproducible.
            let wanted = allocation[name]!
            var best: [(Double, SampleKey)] = []
            for candidate in strata[name]! {
                let u = max(1e-12, Double(hash("\(seed)|\(candidate.sourceKey)") >> 11) / Double(1 << 53))
                let score = pow(u, 1 / (candidate.flagged ? flaggedWeight : 1))
                if best.count < wanted {
                    best.append((score, candidate))
                    best.sort { $0.0 > $1.0 }
                } else if let last = best.last, score > last.0 {
                    best[best.count - 1] = (score, candidate)
                    best.sort { $0.0 > $1.0 }
                }
            }
            sample += best.map(\.1)
        }
        return sample
    }
}
