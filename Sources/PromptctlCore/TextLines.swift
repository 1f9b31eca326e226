import Foundation

/// Splits a text file into lines the way every reader of the project should: a UTF-8 byte-order mark is skipped,
/// and a line may end in LF or CRLF.
///
/// Swift's `String.split(separator: "\n")` does not split at CRLF, because `"\r\n"` is one `Character`; a file
/// saved on Windows then read as one line and was refused whole. Splitting the bytes also leaves a U+2028 inside a
/// JSON string alone, which splitting on `isNewline` would not.
public enum TextLines {
    /// The text without a leading UTF-8 byte-order mark.
    public static func text(_ data: Data) -> String {
        String(decoding: data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...], as: UTF8.self)
    }

    /// The lines of `data` (1-based line numbers are the index + 1), without their LF or CRLF.
    public static func lines(_ data: Data) -> [String] {
        var lines: [String] = []
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        while !bytes.isEmpty {
            let end = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
            var line = bytes[bytes.startIndex..<end]
            if line.last == 0x0D { line = line.dropLast() }
            lines.append(String(decoding: line, as: UTF8.self))
            bytes = end == bytes.endIndex ? bytes[end...] : bytes[bytes.index(after: end)...]
        }
        return lines
    }
}
