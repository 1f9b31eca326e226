import Foundation

/// Receives normalized bytes one at a time (specialised per sink, so the hot loop has no indirection).
public protocol NormalizedSink {
    /// Takes one normalized byte and the offset of the original byte it came from.
    mutating func emit(_ byte: UInt8, origin: Int)
}

/// Folds UTF-8 text, byte by byte, into the form terms are matched in: lower case, no accents, leetspeak read as
/// letters, repeated letters squeezed, and every run of non-alphanumerics one space; letters spaced one by one
/// ("c i t o t e c") are joined. One table lookup per ASCII byte keeps it fast on large inputs.
public struct TextNormalizer: Sendable {
    /// A normalized text and, for each of its bytes, the offset of the original byte it came from.
    public struct Output: NormalizedSink {
        /// Normalized bytes, with one space before and after so that word boundaries are plain spaces.
        public var bytes: [UInt8] = []
        /// Original byte offset of each normalized byte.
        public var origins: [Int32] = []

        public mutating func emit(_ byte: UInt8, origin: Int) {
            bytes.append(byte)
            origins.append(Int32(truncatingIfNeeded: origin))
        }
    }

    static let space: UInt8 = 0x20

    /// ASCII byte → folded byte; 0 means separator.
    static let asciiTable: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = byte }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = byte + 32 }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = byte }
        return table
    }()

    /// Leetspeak digits and symbols → the letters they stand for inside a word; 0 for none.
    static let leetTable: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for (symbol, letter) in [
            ("0", "o"), ("1", "i"), ("3", "e"), ("4", "a"), ("5", "s"), ("7", "t"), ("@", "a"), ("$", "s"), ("!", "i"),
        ] {
            table[Int(Character(symbol).asciiValue!)] = Character(letter).asciiValue!
        }
        return table
    }()

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

    /// The folded class of the raw byte at `index` (0 for separator, 0x80 for non-ASCII), ignoring leetspeak.
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
        var output = Output()
        output.bytes.reserveCapacity(input.count + 2)
        output.origins.reserveCapacity(input.count + 2)
        run(input, into: &output)
        return output
    }

    /// The normalizing loop, feeding each normalized byte to `sink`: a leading space, the text, a trailing space.
    @inline(__always)
    public func run<Sink: NormalizedSink>(_ input: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        Self.asciiTable.withUnsafeBufferPointer { ascii in
            Self.leetTable.withUnsafeBufferPointer { leet in
                Self.latin1Table.withUnsafeBufferPointer { latin1 in
                    Self.loop(input, ascii: ascii, leet: leet, latin1: latin1, into: &sink)
                }
            }
        }
    }

    @inline(__always)
    static func loop<Sink: NormalizedSink>(
        _ input: UnsafeBufferPointer<UInt8>, ascii: UnsafeBufferPointer<UInt8>, leet: UnsafeBufferPointer<UInt8>,
        latin1: UnsafeBufferPointer<UInt8>, into sink: inout Sink
    ) {
        @inline(__always) func plain(_ index: Int) -> UInt8 {
            guard index < input.count else { return 0 }
            let byte = input[index]
            return byte < 0x80 ? ascii[Int(byte)] : 0x80
        }
        var last = space
        sink.emit(space, origin: 0)
        var wordLength = 0
        // True while the current word is being built from letters written one by one ("c i t o t e c").
        var spacedRun = false
        var index = 0
        let count = input.count
        while index < count {
            let raw = input[index]
            var folded: UInt8
            var width = 1
            if raw < 0x80 {
                folded = ascii[Int(raw)]
                let letter = leet[Int(raw)]
                if letter != 0 {
                    // A digit or symbol inside a word is a letter in disguise: "c1t0tec", "m!soprostol".
                    let next = plain(index + 1)
                    let previousIsLetter = isLetter(last)
                    let nextIsLetter = next != 0 && !isDigit(next)
                    if previousIsLetter || (nextIsLetter && !isDigit(last)) { folded = letter }
                }
            } else if raw == 0xC3, index + 1 < count, input[index + 1] & 0xC0 == 0x80 {
                folded = latin1[Int(input[index + 1] &- 0x80)]
                width = 2
                if folded == 0 { folded = 0x80 }
            } else {
                // Another non-ASCII byte: part of a word, kept as a letter-like class.
                folded = 0x80
            }
            if folded == 0 {
                // A separator. Letters spaced one by one join when the next word is one letter too.
                if last != space {
                    var next = index + 1
                    while next < count, input[next] < 0x80, ascii[Int(input[next])] == 0 { next += 1 }
                    let joins =
                        (wordLength == 1 || spacedRun) && next < count && plain(next) != 0 && plain(next + 1) == 0
                        && isLetter(last)
                    if joins {
                        spacedRun = true
                    } else {
                        sink.emit(space, origin: index)
                        last = space
                        wordLength = 0
                        spacedRun = false
                    }
                }
            } else if folded == last && folded != 0x80 && isLetter(folded) {
                // Squeeze repeated letters: "misoproostol", "ciiitotec".
            } else {
                let byte = folded == 0x80 ? raw : folded
                sink.emit(byte, origin: index)
                last = byte
                wordLength += 1
            }
            index += width
        }
        if last != space { sink.emit(space, origin: count) }
    }
}
