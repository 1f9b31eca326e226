/// A multi-pattern matcher over normalized bytes: one pass over the text, whatever the number of patterns.
///
/// The automaton is a complete DFA over a small byte alphabet (letters, digits, space, other), so scanning is
/// one table read per byte.
public struct AhoCorasick: Sendable {
    /// A match: the pattern's index and the normalized offsets [start, end).
    public struct Match: Sendable, Hashable {
        public var pattern: Int
        public var start: Int
        public var end: Int
    }

    static let alphabet = 38
    static let classes: [UInt8] = {
        var table = [UInt8](repeating: 37, count: 256)
        for (index, byte) in (UInt8(ascii: "a")...UInt8(ascii: "z")).enumerated() { table[Int(byte)] = UInt8(index) }
        for (index, byte) in (UInt8(ascii: "0")...UInt8(ascii: "9")).enumerated() {
            table[Int(byte)] = UInt8(26 + index)
        }
        table[0x20] = 36
        return table
    }()

    private let transitions: [Int32]
    private let outputs: [[Int32]]
    private let lengths: [Int]
    private let flags: [UInt8]
    private let counts: [Int32]

    /// Builds the automaton; patterns are normalized byte strings.
    public init(patterns: [[UInt8]]) {
        var goto: [[Int32]] = [[Int32](repeating: -1, count: Self.alphabet)]
        var outputs: [[Int32]] = [[]]
        for (index, pattern) in patterns.enumerated() {
            var state = 0
            for byte in pattern {
                let symbol = Int(Self.classes[Int(byte)])
                if goto[state][symbol] < 0 {
                    goto[state][symbol] = Int32(goto.count)
                    goto.append([Int32](repeating: -1, count: Self.alphabet))
                    outputs.append([])
                }
                state = Int(goto[state][symbol])
            }
            outputs[state].append(Int32(index))
        }
        var fail = [Int32](repeating: 0, count: goto.count)
        var queue: [Int] = []
        for symbol in 0..<Self.alphabet {
            if goto[0][symbol] < 0 {
                goto[0][symbol] = 0
            } else {
                queue.append(Int(goto[0][symbol]))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for symbol in 0..<Self.alphabet {
                let next = goto[state][symbol]
                if next < 0 {
                    goto[state][symbol] = goto[Int(fail[state])][symbol]
                } else {
                    let target = Int(next)
                    fail[target] = goto[Int(fail[state])][symbol]
                    outputs[target] += outputs[Int(fail[target])]
                    queue.append(target)
                }
            }
        }
        transitions = goto.flatMap { $0 }
        self.outputs = outputs
        flags = outputs.map { $0.isEmpty ? 0 : 1 }
        counts = outputs.map { Int32($0.count) }
        lengths = patterns.map(\.count)
    }

    /// Number of states.
    public var stateCount: Int { outputs.count }

    /// Every match in a normalized text.
    public func matches(in bytes: [UInt8]) -> [Match] {
        var result: [Match] = []
        bytes.withUnsafeBufferPointer { buffer in
            scan(buffer) { pattern, end in
                result.append(Match(pattern: pattern, start: end - lengths[pattern], end: end))
            }
        }
        return result
    }

    /// Calls `found(pattern, end)` for every match; `end` is exclusive.
    @inline(__always)
    public func scan(_ bytes: UnsafeBufferPointer<UInt8>, found: (Int, Int) -> Void) {
        transitions.withUnsafeBufferPointer { table in
            Self.classes.withUnsafeBufferPointer { classes in
                var state = 0
                for index in 0..<bytes.count {
                    state = Int(table[state &* Self.alphabet &+ Int(classes[Int(bytes[index])])])
                    if !outputs[state].isEmpty {
                        for pattern in outputs[state] { found(Int(pattern), index + 1) }
                    }
                }
            }
        }
    }

    /// Steps the automaton over normalized bytes as they are produced, counting matches; nothing is stored.
    public struct Counter: NormalizedSink {
        let transitions: UnsafeBufferPointer<Int32>
        let classes: UnsafeBufferPointer<UInt8>
        let hasOutput: UnsafeBufferPointer<UInt8>
        let outputCounts: UnsafeBufferPointer<Int32>
        var state = 0
        /// Matches so far.
        public var count = 0

        @inline(__always)
        public mutating func emit(_ byte: UInt8, origin: Int) {
            state = Int(transitions[state &* AhoCorasick.alphabet &+ Int(classes[Int(byte)])])
            if hasOutput[state] != 0 { count &+= Int(outputCounts[state]) }
        }
    }

    /// Normalizes and matches raw UTF-8 in one pass, counting matches (no allocation per byte).
    public func countMatches(raw input: UnsafeBufferPointer<UInt8>, normalizer: TextNormalizer) -> Int {
        transitions.withUnsafeBufferPointer { table in
            Self.classes.withUnsafeBufferPointer { classes in
                flags.withUnsafeBufferPointer { flags in
                    counts.withUnsafeBufferPointer { counts in
                        var counter = Counter(
                            transitions: table, classes: classes, hasOutput: flags, outputCounts: counts)
                        normalizer.run(input, into: &counter)
                        return counter.count
                    }
                }
            }
        }
    }

    /// Counts matches without collecting them (for throughput measurements).
    public func countMatches(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        scan(bytes) { _, _ in count += 1 }
        return count
    }
}
