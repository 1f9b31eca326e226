import Foundation

/// Writes a compact binary record: length-prefixed UTF-8 strings, little-endian numbers, one byte per flag.
///
/// For data promptctl writes and reads back itself on a hot path (a cached answer's scores), where decoding JSON
/// costs more than the work it saves. The record starts with a magic and a format version, so a reader meets an
/// older or foreign payload as "not this format" and never misreads it.
public struct BinaryRecordWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// A record that starts with `magic` (four bytes naming the format and its version).
    public init(magic: StaticString, capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
        magic.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends an unsigned count or length (LEB128).
    public mutating func count(_ value: Int) {
        var remaining = UInt64(max(0, value))
        repeat {
            let low = UInt8(remaining & 0x7F)
            remaining >>= 7
            bytes.append(remaining == 0 ? low : low | 0x80)
        } while remaining != 0
    }

    /// Appends a signed integer.
    public mutating func int(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a number, bit for bit.
    public mutating func double(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a flag.
    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Appends a string.
    public mutating func string(_ value: String) {
        count(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    /// Appends an optional string (a flag, then the string).
    public mutating func string(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    /// Appends an optional number (a flag, then the number).
    public mutating func double(_ value: Double?) {
        bool(value != nil)
        if let value { double(value) }
    }

    /// The record.
    public var data: Data { Data(bytes) }
}

/// Reads a record `BinaryRecordWriter` wrote; every read past the end, or a bad magic, is an error.
public struct BinaryRecordReader {
    /// The record is not of this format, or is cut short.
    public struct Malformed: Error {
        /// A malformed-record error.
        public init() {}
    }

    private let bytes: [UInt8]
    private var offset = 0

    /// A reader of `data`, which must start with `magic`.
    public init(_ data: Data, magic: StaticString) throws {
        bytes = [UInt8](data)
        let expected = magic.withUTF8Buffer { Array($0) }
        guard bytes.count >= expected.count, bytes[0..<expected.count].elementsEqual(expected) else {
            throw Malformed()
        }
        offset = expected.count
    }

    /// Whether every byte was read (a record with bytes left over is malformed).
    public var isAtEnd: Bool { offset == bytes.count }

    /// Reads a count or length.
    public mutating func count() throws -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 63 else { throw Malformed() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard value <= UInt64(bytes.count) else { throw Malformed() }
        return Int(value)
    }

    /// Reads a signed integer.
    public mutating func int() throws -> Int { Int(Int64(bitPattern: try fixed64())) }

    /// Reads a number.
    public mutating func double() throws -> Double { Double(bitPattern: try fixed64()) }

    /// Reads a flag.
    public mutating func bool() throws -> Bool {
        guard offset < bytes.count, bytes[offset] <= 1 else { throw Malformed() }
        defer { offset += 1 }
        return bytes[offset] == 1
    }

    /// Reads a string; bytes that are not UTF-8 make the record malformed.
    public mutating func string() throws -> String {
        let length = try count()
        guard length <= bytes.count - offset else { throw Malformed() }
        defer { offset += length }
        guard let text = String(validating: bytes[offset..<offset + length], as: UTF8.self) else { throw Malformed() }
        return text
    }

    /// Reads an optional string.
    public mutating func optionalString() throws -> String? { try bool() ? try string() : nil }

    /// Reads an optional number.
    public mutating func optionalDouble() throws -> Double? { try bool() ? try double() : nil }

    private mutating func fixed64() throws -> UInt64 {
        guard bytes.count - offset >= 8 else { throw Malformed() }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return value
    }
}
