import Foundation

/// Receives normalized bytes one at a time (specialised per sink, so the hot loop has no indirection).
public protocol NormalizedSink {
    /// Takes one normalized byte and the offset of the original byte it came from.
    mutating func emit(_ byte: UInt8, origin: Int)
}

/// Folds UTF-8 text, byte by byte, into the form terms are matched in: lower case, no accents, leetspeak read as
/// letters, look-alike letters of other scripts read as Latin, invisible characters dropped, repeated letters
/// squeezed, and every run of non-alphanumerics one space; letters spaced one by one ("c i t o t e c") are joined.
/// One table lookup per ASCII byte keeps it fast on large inputs, and every byte is read a bounded number of times.
public struct TextNormalizer: Sendable {
    /// A normalized text and, for each of its bytes, the offset of the original byte it came from.
    public struct Output: NormalizedSink {
        /// Normalized bytes, with one space before and after so that word boundaries are plain spaces.
        public var bytes: [UInt8] = []
        /// Original byte offset of each normalized byte.
        public var origins: [Int32] = []
        /// Whether the text has punctuation between two letters of a word (see `Mode`).
        public var hasInnerPunctuation = false

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

    /// Leetspeak digits and symbols → the letters they stand for inside a word; 0 for none. The symbols are read as
    /// letters only between two letters, in `.join` mode: "cytotec!" must stay "cytotec".
    static let leetTable: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for (symbol, letter) in [
            ("0", "o"), ("1", "i"), ("3", "e"), ("4", "a"), ("5", "s"), ("7", "t"), ("@", "a"), ("$", "s"), ("!", "i"),
        ] {
            table[Int(Character(symbol).asciiValue!)] = Character(letter).asciiValue!
        }
        return table
    }()

    /// How punctuation between two letters of a word is read.
    public enum Mode: Sendable {
        /// As a word boundary: "usar.Cytotec" is "usar cytotec".
        case split
        /// As nothing, or as the letter it stands for in leetspeak: "Cy.to.tec" is "cytotec", "m!soprostol" is
        /// "misoprostol". Punctuation at a word's edge stays a boundary: "cytotec!" is "cytotec".
        case join
    }

    /// How the text is read.
    public let mode: Mode

    /// Creates a normalizer.
    public init(mode: Mode = .split) { self.mode = mode }

    static func isLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A || byte >= 0x80 }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

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
        output.hasInnerPunctuation = run(input, into: &output)
        return output
    }

    /// The normalizing loop, feeding each normalized byte to `sink`: a leading space, the text, a trailing space.
    ///
    /// Returns whether the text has punctuation between two letters of a word, where `.join` would read it
    /// differently. A boundary space's origin is the end of the word before it, so a match ends where its last
    /// letter does.
    @discardableResult
    @inline(__always)
    public func run<Sink: NormalizedSink>(_ input: UnsafeBufferPointer<UInt8>, into sink: inout Sink) -> Bool {
        Self.asciiTable.withUnsafeBufferPointer { ascii in
            Self.leetTable.withUnsafeBufferPointer { leet in
                Self.loop(input, mode: mode, ascii: ascii, leet: leet, into: &sink)
            }
        }
    }

    /// One unit of input: an ASCII byte or a whole UTF-8 sequence, and how it reads.
    struct Unit {
        /// 0 ignore, 1 space, 2 punctuation, 3 Latin letters or digits (`first`, `second`), 4 another script.
        var kind: UInt8
        var width: Int
        var first: UInt8 = 0
        var second: UInt8 = 0
        var raw: UInt8 = 0

        var isWord: Bool { kind >= 3 }
        var isSeparator: Bool { kind == 1 || kind == 2 }
    }

    @inline(__always)
    static func unit(_ input: UnsafeBufferPointer<UInt8>, _ index: Int, ascii: UnsafeBufferPointer<UInt8>) -> Unit {
        let count = input.count
        let lead = input[index]
        if lead < 0x80 {
            let folded = ascii[Int(lead)]
            if folded != 0 { return Unit(kind: 3, width: 1, first: folded, raw: lead) }
            let isSpace = lead == 0x20 || (lead >= 0x09 && lead <= 0x0D)
            return Unit(kind: isSpace ? 1 : 2, width: 1, raw: lead)
        }
        @inline(__always) func continuation(_ offset: Int) -> UInt32? {
            guard index + offset < count else { return nil }
            let byte = input[index + offset]
            return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
        }
        var value: UInt32
        var width: Int
        if lead >= 0xC2 && lead < 0xE0, let b1 = continuation(1) {
            value = UInt32(lead & 0x1F) << 6 | b1
            width = 2
        } else if lead >= 0xE0 && lead < 0xF0, let b1 = continuation(1), let b2 = continuation(2) {
            value = UInt32(lead & 0x0F) << 12 | b1 << 6 | b2
            width = 3
        } else if lead >= 0xF0 && lead < 0xF5, let b1 = continuation(1), let b2 = continuation(2),
            let b3 = continuation(3)
        {
            value = UInt32(lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3
            width = 4
        } else {
            // Not UTF-8: a boundary, never a letter.
            return Unit(kind: 2, width: 1, raw: lead)
        }
        switch ScalarFolding.fold(value) {
        case .ignore: return Unit(kind: 0, width: width)
        case .space: return Unit(kind: 1, width: width)
        case .punctuation: return Unit(kind: 2, width: width)
        case .latin(let first, let second): return Unit(kind: 3, width: width, first: first, second: second)
        case .other: return Unit(kind: 4, width: width)
        }
    }

    @inline(__always)
    static func loop<Sink: NormalizedSink>(
        _ input: UnsafeBufferPointer<UInt8>, mode: Mode, ascii: UnsafeBufferPointer<UInt8>,
        leet: UnsafeBufferPointer<UInt8>, into sink: inout Sink
    ) -> Bool {
        let count = input.count
        /// The next unit at or after `from` that is not invisible, and where it starts.
        @inline(__always) func visible(from: Int) -> (Unit, Int)? {
            var index = from
            while index < count {
                let next = unit(input, index, ascii: ascii)
                if next.kind != 0 { return (next, index) }
                index += next.width
            }
            return nil
        }
        var last = space
        sink.emit(space, origin: 0)
        var wordLength = 0
        // Where the last emitted letter's character ends: the origin of the boundary space after it.
        var wordEnd = 0
        // True while the current word is being built from letters written one by one ("c i t o t e c").
        var spacedRun = false
        var innerPunctuation = false
        var index = 0
        @inline(__always) func emitLetter(_ byte: UInt8, origin: Int) {
            // Squeeze repeated letters: "misoproostol", "ciiitotec".
            if byte == last && byte < 0x80 && isLetter(byte) { return }
            sink.emit(byte, origin: origin)
            last = byte
        }
        while index < count {
            let current = unit(input, index, ascii: ascii)
            switch current.kind {
            case 0:
                break
            case 3, 4:
                if current.kind == 4 {
                    for offset in 0..<current.width { emitLetter(input[index + offset], origin: index + offset) }
                } else if current.width == 1, leet[Int(current.raw)] != 0 {
                    // A digit inside a word is a letter in disguise: "c1t0tec", "3stou".
                    var folded = current.first
                    let nextIsLetter =
                        visible(from: index + 1).map { $0.0.isWord && !isDigit($0.0.first) } ?? false
                    if isLetter(last) || (nextIsLetter && !isDigit(last)) { folded = leet[Int(current.raw)] }
                    emitLetter(folded, origin: index)
                } else {
                    emitLetter(current.first, origin: index)
                    if current.second != 0 { emitLetter(current.second, origin: index) }
                }
                wordLength += 1
                wordEnd = index + current.width
            default:
                guard last != space else { break }
                // A run of separators (and invisibles): read it once, then jump past it, so that a long run costs
                // one pass whatever is decided.
                var end = index
                var hasSpace = false
                var separators = 0
                var firstRaw: UInt8 = 0
                while end < count {
                    let next = unit(input, end, ascii: ascii)
                    if next.isSeparator {
                        if separators == 0 { firstRaw = next.width == 1 ? next.raw : 0 }
                        separators += 1
                        hasSpace = hasSpace || next.kind == 1
                    } else if next.kind != 0 {
                        break
                    }
                    end += next.width
                }
                let following = visible(from: end)
                if !hasSpace, let (next, _) = following, next.isWord {
                    // Punctuation between two letters of a word: "Cy.to.tec", "m!soprostol".
                    innerPunctuation = true
                    if mode == .join {
                        let letter = separators == 1 && firstRaw != 0 ? leet[Int(firstRaw)] : 0
                        if letter != 0 { emitLetter(letter, origin: index) }
                        index = end
                        continue
                    }
                }
                // Letters spaced one by one join when the next word is one letter too.
                var joins = false
                if (wordLength == 1 || spacedRun) && isLetter(last), let (next, start) = following, next.isWord,
                    next.kind == 4 || !isDigit(next.first)
                {
                    let after = visible(from: start + next.width)
                    joins = after == nil || after!.0.isSeparator
                }
                if joins {
                    spacedRun = true
                } else {
                    sink.emit(space, origin: wordEnd)
                    last = space
                    wordLength = 0
                    spacedRun = false
                }
                index = end
                continue
            }
            index += current.width
        }
        if last != space { sink.emit(space, origin: wordEnd) }
        return innerPunctuation
    }
}
