/// A read-only hash table keyed by words' 64-bit FNV-1a hashes, probed linearly.
///
/// The hashes are already well mixed, so a lookup multiplies and shifts instead of running the standard library's
/// SipHash: `Dictionary` and `Set` lookups of `UInt64` keys spent a fifth of the masking's time in `Hasher`. Built
/// once from a dictionary when the lexicon loads; never written after.
struct WordTable<Value: Sendable>: Sendable {
    private var keys: [UInt64]
    private var values: [Value?]
    private let shift: UInt64

    /// The table holding the dictionary's entries.
    init(_ dictionary: [UInt64: Value]) {
        var bits: UInt64 = 3
        while (1 << bits) < dictionary.count * 2 { bits += 1 }
        shift = 64 - bits
        keys = Array(repeating: 0, count: 1 << bits)
        values = Array(repeating: nil, count: 1 << bits)
        let mask = (1 << Int(bits)) - 1
        for (hash, value) in dictionary {
            let key = Self.stored(hash)
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = value
        }
    }

    /// 0 marks an empty slot; a word whose hash is 0 is stored as 1 (two words would have to collide on 64 bits).
    @inline(__always) private static func stored(_ hash: UInt64) -> UInt64 { hash == 0 ? 1 : hash }

    /// The value stored for `hash`, if any.
    @inline(__always) subscript(hash: UInt64) -> Value? {
        let key = Self.stored(hash)
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }
}

/// A read-only set of words' hashes with the lookup of `WordTable`: the closed word lists of the rules, asked of
/// every token.
struct WordSet: Sendable {
    private let table: WordTable<Bool>
    private let members: [UInt64]

    /// The set of these hashes.
    init(hashes: [UInt64]) {
        members = hashes
        table = WordTable(Dictionary(hashes.map { ($0, true) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Whether the word whose hash is `hash` is in the set.
    @inline(__always) func contains(_ hash: UInt64) -> Bool { table[hash] != nil }

    /// The hashes, in the order given.
    var hashes: [UInt64] { members }

    /// This set with another's members.
    func union(_ other: WordSet) -> WordSet { WordSet(hashes: members + other.members) }

    /// This set with these hashes.
    func union(_ hashes: [UInt64]) -> WordSet { WordSet(hashes: members + hashes) }
}
