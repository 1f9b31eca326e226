import Foundation

/// Substring search on UTF-8 bytes (memmem): for folded text, where Foundation's locale-aware search is
/// needless and slow.
public enum ByteSearch {
    /// Whether `needle` occurs in `haystack`, byte for byte.
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard n.count > 0 else { return true }
                guard h.count >= n.count, let hBase = h.baseAddress, let nBase = n.baseAddress else { return false }
                // memchr for the first byte, memcmp for the rest (memmem is a GNU extension Swift does not import).
                let first = Int32(n[0])
                let last = h.count - n.count
                var offset = 0
                while offset <= last {
                    guard let found = memchr(hBase + offset, first, last - offset + 1) else { return false }
                    let position = UnsafeRawPointer(found) - UnsafeRawPointer(hBase)
                    if memcmp(found, nBase, n.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }
}
