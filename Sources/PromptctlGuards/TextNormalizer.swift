import Foundation

/// Folds UTF-8 text, byte by byte, into the form terms are matched in: lower case, no accents, leetspeak read as
/// letters, repeated letters squeezed, and every run of non-alphanumerics one space; letters spaced one by one
/// ("c i t o t e c") are joined. One table lookup per ASCII byte keeps it fast on large inputs.
public struct TextNormalizer: Sendable {
    /// A normalized text and, for each of its bytes, the offset of the original byte it came from.
    public struct Output {
        /// Normalized bytes, with one space before and after so that word boundaries are plain spaces.
        public var bytes: [UInt8]
        /// Original byte offset of each normalized byte.
        public var origins: [Int32]
    }

    static let space: UInt8 = 0x20

    /// ASCII byte → folded byte; 0 means separator.
    static let asciiTable: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 128)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = byte }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = byte + 32 }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = byte }
        return table
    }()

    /// Leetspeak digits and symbols read as letters when they sit inside a word.
    static let leet: [UInt8: UInt8] = [
        UInt8(ascii: "0"): UInt8(ascii: "o"), UInt8(ascii: "1"): UInt8(ascii: "i"),
        UInt8(ascii: "3"): UInt8(ascii: "e"),
        UInt8(ascii: "4"): UInt8(ascii: "a"), UInt8(ascii: "5"): UInt8(ascii: "s"),
        UInt8(ascii: "7"): UInt8(ascii: "t"),
        UInt8(ascii: "@"): UInt8(ascii: "a"), UInt8(ascii: "$"): UInt8(ascii: "s"),
        UInt8(ascii: "!"): UInt8(ascii: "i"),
    ]

    /// Second byte of a two-byte UTF-8 sequence starting 0xC3 (Latin-1 letters) → base letter; 0 for none.
    static let latin1Table: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 64)
        let map: [(ClosedRange<UInt8>, Character)] = [
            (0x80...0x85, "a"), (0x87...0x87, "c"), (0x88...0x8B, "e"), (0x8C...0x8F, "i"), (0x91...0x91, "n"),
            (0x92...0x96, "o"), (0x99...0x9C, "u"), (0x9D...0x9D, "y"), (0xA0...0xA5, "a"), (0xA7...0xA7, "c"),
            (0xA8...0xAB, "e"), (0xAC...0xAF, "i"), (0xB1...0xB1, "n"), (0xB2...0xB6, "o"), (0xB9...0xBC, "u"),
            (0xBD...0xBD, "y"), (0xBF...0xBF, "y"),
        ]
        for (range, letter) in map {
            for byte in range { table[Int(byte - 0x80)] = letter.asciiValue! }
        }
        return table
    }()

    /// Creates a normalizer.
    public init() {}

    static func isLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A || byte >= 0x80 }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// The folded class of the raw byte at `index` (0 for separator), ignoring leetspeak.
    @inline(__always)
    static func plainClass(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt8 {
        guard index < bytes.count else { return 0 }
        let byte = bytes[index]
        if byte < 0x80 { return asciiTable[Int(byte)] }
        return 0x80
    }

    /// Normalizes a text.
    public func normalize(_ text: String) -> Output {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { normalize(UnsafeBufferPointer($0)) }
    }

    /// Normalizes raw UTF-8 bytes.
    public func normalize(_ input: UnsafeBufferPointer<UInt8>) -> Output {
        var bytes: [UInt8] = []
        var origins: [Int32] = []
        bytes.reserveCapacity(input.count + 2)
        origins.reserveCapacity(input.count + 2)
        bytes.append(Self.space)
        origins.append(0)
        var wordLength = 0
        // True while the current word is being built from letters written one by one ("c i t o t e c").
        var spacedRun = false
        var index = 0
        let count = input.count
        while index < count {
            let raw = input[index]
            var folded: UInt8 = 0
            var width = 1
            if raw < 0x80 {
                folded = Self.asciiTable[Int(raw)]
                let previous = bytes[bytes.count - 1]
                if let letter = Self.leet[raw] {
                    // A digit or symbol inside a word is a letter in disguise: "c1t0tec", "m!soprostol".
                    let next = Self.plainClass(input, index + 1)
                    let previousIsLetter = Self.isLetter(previous) && previous != Self.space
                    let nextIsLetter = next != 0 && !Self.isDigit(next)
                    if previousIsLetter || (nextIsLetter && !Self.isDigit(previous)) { folded = letter }
                }
            } else if raw == 0xC3, index + 1 < count, input[index + 1] & 0xC0 == 0x80 {
                folded = Self.latin1Table[Int(input[index + 1] - 0x80)]
                width = 2
                if folded == 0 { folded = 0x80 }
            } else {
                // Another non-ASCII byte: part of a word, kept as a letter-like class.
                folded = 0x80
            }
            if folded == 0 {
                // A separator. Letters spaced one by one ("c i t o t e c") join when the next word is one letter too.
                if bytes[bytes.count - 1] != Self.space {
                    var next = index + 1
                    while next < count, Self.plainClass(input, next) == 0, input[next] < 0x80 { next += 1 }
                    let joins =
                        (wordLength == 1 || spacedRun) && next < count && Self.plainClass(input, next) != 0
                        && Self.plainClass(input, next + 1) == 0 && Self.isLetter(bytes[bytes.count - 1])
                    if joins {
                        spacedRun = true
                    } else {
                        bytes.append(Self.space)
                        origins.append(Int32(truncatingIfNeeded: index))
                        wordLength = 0
                        spacedRun = false
                    }
                }
            } else if folded == bytes[bytes.count - 1] && Self.isLetter(folded) && folded != 0x80 {
                // Squeeze repeated letters: "misoproostol", "ciiitotec".
            } else {
                bytes.append(folded == 0x80 ? raw : folded)
                origins.append(Int32(truncatingIfNeeded: index))
                wordLength += 1
            }
            index += width
        }
        if bytes[bytes.count - 1] != Self.space {
            bytes.append(Self.space)
            origins.append(Int32(truncatingIfNeeded: count))
        }
        return Output(bytes: bytes, origins: origins)
    }
}
