import Crypto
import Foundation

/// Stable hashes of content, used by the lock file, the response cache and recordings.
public enum ContentHash {
    /// Lower-case hex of bytes (a table lookup per nibble; `String(format:)` is slow in hot paths).
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(64)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Lower-case hex SHA-256 of bytes.
    public static func sha256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// Lower-case hex SHA-256 of UTF-8 text.
    public static func sha256(_ text: String) -> String { sha256(Data(text.utf8)) }

    /// SHA-256 of a value's canonical JSON (sorted keys), so equal values hash equally.
    public static func sha256<Value: Encodable>(canonical value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data()
        return sha256(data)
    }

    /// Lower-case hex HMAC-SHA256 of text under a key, for pseudonymous identifiers.
    public static func hmacSHA256(_ text: String, key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return hex(mac)
    }
}
