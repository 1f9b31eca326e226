import Foundation

/// Writes JSON byte for byte as `JSONEncoder` does with `[.sortedKeys, .withoutEscapingSlashes]`, without `Codable`.
///
/// Results are stored and streamed as that encoder's JSON; on the hot path of an evaluation (every result is encoded
/// once for the store and `results.jsonl`) its generic containers cost more than scoring a cached answer. Types on
/// that path write themselves here, keys in the encoder's order, and a test holds the bytes equal to the encoder's.
public struct SortedJSONWriter: Sendable {
    /// The JSON written so far, UTF-8.
    public private(set) var bytes: [UInt8] = []

    /// A number JSON cannot hold (not a number or infinite), refused as `JSONEncoder` refuses it.
    public struct InvalidNumber: Error, CustomStringConvertible {
        /// The value.
        public var value: Double
        /// For people.
        public var description: String { "\(value) cannot be written as JSON" }
    }

    /// An empty writer.
    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// The bytes as `Data`.
    public var data: Data { Data(bytes) }

    /// Opens an object.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
    }

    /// Closes an object.
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")) }

    /// Opens an array.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
    }

    /// Closes an array.
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")) }

    /// Writes a key; the caller writes keys in sorted order (as the encoder's `.sortedKeys` does).
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes a string, escaped as the encoder escapes it.
    public mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                default:
                    let digits: StaticString = "0123456789abcdef"
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    digits.withUTF8Buffer {
                        bytes.append($0[Int(byte >> 4)])
                        bytes.append($0[Int(byte & 0x0F)])
                    }
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes an integer.
    public mutating func int(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes a number as the encoder does: Swift's shortest form, without a trailing ".0".
    public mutating func double(_ value: Double) throws {
        guard value.isFinite else { throw InvalidNumber(value: value) }
        separate()
        let text = value.description
        let utf8 = text.utf8
        if utf8.count > 2, text.hasSuffix(".0") {
            bytes.append(contentsOf: utf8.dropLast(2))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes true or false.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    /// Writes a key and its string; nothing for nil (as `encodeIfPresent`).
    public mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    /// Writes a key and its integer; nothing for nil.
    public mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    /// Writes a key and its number; nothing for nil.
    public mutating func field(_ name: StaticString, _ value: Double?) throws {
        guard let value else { return }
        key(name)
        try double(value)
    }

    /// Writes a key and its flag.
    public mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// Writes a key and a value that writes itself; nothing for nil.
    public mutating func field(_ name: StaticString, _ value: (some SortedJSONEncodable)?) throws {
        guard let value else { return }
        key(name)
        try value.write(to: &self)
    }

    /// Writes a key and an array of values that write themselves.
    public mutating func field<Element: SortedJSONEncodable>(_ name: StaticString, _ values: [Element]) throws {
        key(name)
        try array(values)
    }

    /// Writes a key and an array of strings; nothing for nil.
    public mutating func field(_ name: StaticString, _ values: [String]?) {
        guard let values else { return }
        key(name)
        array(values)
    }

    /// Writes a value that writes itself.
    public mutating func value(_ value: some SortedJSONEncodable) throws { try value.write(to: &self) }

    /// Writes an array of values that write themselves.
    public mutating func array<Element: SortedJSONEncodable>(_ values: [Element]) throws {
        beginArray()
        for element in values { try element.write(to: &self) }
        endArray()
    }

    /// Writes an array of strings.
    public mutating func array(_ values: [String]) {
        beginArray()
        for element in values { string(element) }
        endArray()
    }

    /// A comma before a value or key that follows another in the same object or array (a key's value follows its
    /// colon, and the first member follows the bracket, so neither gets one).
    private mutating func separate() {
        guard let last = bytes.last else { return }
        if last != UInt8(ascii: "{") && last != UInt8(ascii: "[") && last != UInt8(ascii: ":") {
            bytes.append(UInt8(ascii: ","))
        }
    }
}

/// A value that writes its own sorted-key JSON, identical to its `Encodable` form under `JSONEncoder`.
public protocol SortedJSONEncodable: Encodable {
    /// Writes the value.
    func write(to writer: inout SortedJSONWriter) throws
}

extension SortedJSONEncodable {
    /// The value's JSON, as `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` would write it.
    public func sortedJSON(capacity: Int = 1024) throws -> Data {
        var writer = SortedJSONWriter(capacity: capacity)
        try write(to: &writer)
        return writer.data
    }
}

extension ChatMessage: SortedJSONEncodable {
    /// Writes `{"content":…,"role":…}`.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("content", content)
        writer.field("role", role.rawValue)
        writer.endObject()
    }
}
