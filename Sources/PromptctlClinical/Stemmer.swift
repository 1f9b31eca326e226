import CStemmer
import Synchronization

/// The languages the clinical-signs engine reads, each with its Snowball stemmer.
public enum ClinicalLanguage: String, Sendable, Codable, CaseIterable, Hashable {
    /// Portuguese (pt-BR first).
    case pt
    /// English.
    case en
    /// Spanish.
    case es

    /// The language of a BCP 47 tag ("pt-BR" → pt); nil for a language the engine does not read.
    public init?(tag: String) {
        let primary = tag.split(separator: "-").first.map { $0.lowercased() } ?? ""
        self.init(rawValue: primary)
    }

    /// Snowball's name for the algorithm.
    var snowballName: String {
        switch self {
        case .pt: "portuguese"
        case .en: "english"
        case .es: "spanish"
        }
    }
}

/// Snowball stems through libstemmer, one stemmer per language behind a lock (a Snowball stemmer keeps state
/// between calls, so it must not be shared by two threads at once).
final class SnowballStemmer: Sendable {
    /// The stemmer's address, kept as a number so the lock's state is Sendable; only used under the lock.
    private struct Handle: ~Copyable {
        let address: UInt
        var pointer: OpaquePointer { OpaquePointer(bitPattern: address)! }
        deinit { sb_stemmer_delete(pointer) }
    }
    private let handle: Mutex<Handle>

    /// A stemmer for a language; nil only when libstemmer lacks the algorithm.
    init?(language: ClinicalLanguage) {
        guard let pointer = sb_stemmer_new(language.snowballName, "UTF_8") else { return nil }
        handle = Mutex(Handle(address: UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(pointer)))))
    }

    /// The stem of one folded word.
    func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { bytes in
            handle.withLock { handle in
                guard let base = bytes.baseAddress,
                    let result = sb_stemmer_stem(handle.pointer, base, Int32(bytes.count))
                else { return String(decoding: bytes, as: UTF8.self) }
                let length = Int(sb_stemmer_length(handle.pointer))
                return String(decoding: UnsafeBufferPointer(start: result, count: length), as: UTF8.self)
            }
        }
    }
}
