/// Character offsets and indices for many code-unit offsets of one text, found in one pass over its characters.
///
/// Asking `String.distance(from:to:)` once per match walks the text from its start each time, which is quadratic
/// on a long text with many matches; this walks it once for all of them.
struct CharacterOffsets {
    /// A character boundary: its character offset, UTF-8 offset and index.
    typealias Boundary = (character: Int, byte: Int, index: String.Index)

    private var floors: [Int: (Int, String.Index)] = [:]
    private var ceilings: [Int: (Int, String.Index)] = [:]
    private var indices: [Int: String.Index] = [:]

    /// Character boundaries at or around each UTF-8 offset.
    init(_ text: String, utf8Offsets: [Int]) {
        let queries = Array(Set(utf8Offsets)).sorted()
        guard !queries.isEmpty else { return }
        let utf8 = text.utf8
        var next = 0
        var previous: Boundary = (0, 0, text.startIndex)
        var current: Boundary = previous
        while next < queries.count {
            // Every query up to the current boundary: its floor is the previous boundary (or this one when equal).
            while next < queries.count, queries[next] <= current.byte {
                let query = queries[next]
                let floor = query == current.byte ? current : previous
                floors[query] = (floor.character, floor.index)
                ceilings[query] = (current.character, current.index)
                next += 1
            }
            guard current.index < text.endIndex else { break }
            previous = current
            let index = text.index(after: current.index)
            current = (current.character + 1, utf8.distance(from: text.startIndex, to: index), index)
        }
        // Offsets past the end map to the end.
        while next < queries.count {
            floors[queries[next]] = (current.character, current.index)
            ceilings[queries[next]] = (current.character, current.index)
            next += 1
        }
    }

    /// Indices of character offsets.
    init(_ text: String, characterOffsets: [Int]) {
        let queries = Array(Set(characterOffsets)).sorted()
        var next = 0
        var character = 0
        var index = text.startIndex
        while next < queries.count {
            while next < queries.count, queries[next] == character {
                indices[character] = index
                next += 1
            }
            guard index < text.endIndex, next < queries.count else { break }
            index = text.index(after: index)
            character += 1
        }
    }

    /// The character boundary at or before a UTF-8 offset (for a match's start).
    func floor(_ byte: Int) -> (Int, String.Index) { floors[byte]! }

    /// The character boundary at or after a UTF-8 offset (for a match's end).
    func ceiling(_ byte: Int) -> (Int, String.Index) { ceilings[byte]! }

    /// The index of a character offset, if the text is that long.
    func index(atCharacter offset: Int) -> String.Index? { indices[offset] }
}
