import Foundation

/// HTML escaping shared by every page promptctl writes (reports, review exports, the review form): LLM output is
/// untrusted text.
public enum HTMLEscaping {
    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        // Byte by byte: the five characters are ASCII, so UTF-8 sequences never contain their bytes, and most
        // text has none of them at all (returned as is, without a copy).
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x26: output.append(contentsOf: "&amp;".utf8)
            case 0x3C: output.append(contentsOf: "&lt;".utf8)
            case 0x3E: output.append(contentsOf: "&gt;".utf8)
            case 0x22: output.append(contentsOf: "&quot;".utf8)
            case 0x27: output.append(contentsOf: "&#39;".utf8)
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
