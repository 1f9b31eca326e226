import Foundation
import PromptctlCore

/// The built-in moderation's neighbour table: for a folded token, the feature indices of its nearest canonical
/// words in Enelvo's normalisation lexicon (Bertaglia and Nunes, 2016; MIT licence).
///
/// Enelvo's lexicon was built from word embeddings trained on a large corpus of Brazilian user-generated text, so
/// it knows that "krl" and "crl" are spellings of "caralho" and that "fdp" sits near "desgraçado": knowledge that
/// 7,000 labelled tweets cannot teach. scripts/train-moderation.py writes the table already hashed, so this side
/// holds no strings: tokens are looked up by their FNV-1a hash, exactly as the script does.
///
/// File layout (little-endian): `PCNB`, version 1, key count, index count; the sorted `UInt32` keys; key count + 1
/// `UInt32` offsets; the `UInt16` indices.
struct ModerationNeighbours: Sendable {
    let keys: [UInt32]
    let offsets: [UInt32]
    let indices: [UInt16]

    /// Reads and checks a table written by the training script.
    init(contentsOf data: Data) throws {
        func damaged(_ why: String) -> PromptctlError {
            PromptctlError(
                .infrastructure, "the built-in moderation's neighbour table is damaged: \(why)",
                remedy: "rebuild promptctl, or retrain with scripts/train-moderation.py")
        }
        guard data.count >= 16, data.prefix(4).elementsEqual("PCNB".utf8) else { throw damaged("no PCNB header") }
        let (version, keyCount, indexCount) = data.withUnsafeBytes { raw in
            (
                raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian,
                Int(raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian),
                Int(raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian)
            )
        }
        guard version == 1 else { throw damaged("version \(version), this build reads 1") }
        let expectedSize = 16 + keyCount * 4 + (keyCount + 1) * 4 + indexCount * 2
        guard data.count == expectedSize else { throw damaged("\(data.count) bytes, expected \(expectedSize)") }
        (keys, offsets, indices) = data.withUnsafeBytes { raw in
            func words(at start: Int, count: Int) -> [UInt32] {
                (0..<count).map { raw.loadUnaligned(fromByteOffset: start + $0 * 4, as: UInt32.self).littleEndian }
            }
            let offsetsStart = 16 + keyCount * 4
            let indicesStart = offsetsStart + (keyCount + 1) * 4
            return (
                words(at: 16, count: keyCount), words(at: offsetsStart, count: keyCount + 1),
                (0..<indexCount).map {
                    raw.loadUnaligned(fromByteOffset: indicesStart + $0 * 2, as: UInt16.self).littleEndian
                }
            )
        }
        guard offsets.first == 0, offsets.last.map(Int.init) == indexCount,
            zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
            zip(keys, keys.dropFirst()).allSatisfy({ $0 < $1 })
        else { throw damaged("keys unsorted or offsets out of order") }
    }

    /// The neighbour feature indices a token (folded, as `BuiltinModeration.tokens` gives it) brings, if any.
    func neighbours(ofTokenHash hash: UInt32) -> ArraySlice<UInt16> {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < hash { low = middle + 1 } else { high = middle }
        }
        guard low < keys.count, keys[low] == hash else { return [] }
        return indices[Int(offsets[low])..<Int(offsets[low + 1])]
    }
}
