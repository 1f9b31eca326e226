import Foundation
import Yams

/// A free-form configuration value (criterion parameters, case variables), with where it was written.
public indirect enum ConfigValue: Sendable, Hashable, Codable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([ConfigValue])
    case map([String: ConfigValue])
    case null

    /// Converts a Yams node; plain scalars that look like numbers or booleans become them.
    public init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            if scalar.style == .plain {
                if text.isEmpty || text == "~" || text == "null" {
                    self = .null
                    return
                }
                if text == "true" || text == "false" {
                    self = .bool(text == "true")
                    return
                }
                if let number = Double(text), text.first != "+" {
                    self = .number(number)
                    return
                }
            }
            self = .string(text)
        case .sequence(let sequence):
            self = .list(sequence.map(ConfigValue.init))
        case .mapping(let mapping):
            var result: [String: ConfigValue] = [:]
            for (key, value) in mapping { result[key.string ?? ""] = ConfigValue(value) }
            self = .map(result)
        case .alias:
            self = .null
        }
    }

    /// Text form (numbers without a trailing .0 when whole).
    public var text: String? {
        switch self {
        case .string(let value): value
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .bool(let value): String(value)
        case .list(let values): values.compactMap(\.text).joined(separator: ",")
        case .map, .null: nil
        }
    }

    /// Numeric value.
    public var number: Double? {
        switch self {
        case .number(let value): value
        case .string(let value): Double(value)
        default: nil
        }
    }

    /// Boolean value.
    public var bool: Bool? {
        switch self {
        case .bool(let value): value
        case .string(let value):
            ["true", "yes"].contains(value.lowercased())
                ? true : (["false", "no"].contains(value.lowercased()) ? false : nil)
        default: nil
        }
    }

    /// List of texts; a single value is a one-item list.
    public var texts: [String]? {
        switch self {
        case .list(let values): values.compactMap(\.text)
        case .null: nil
        default: text.map { [$0] }
        }
    }

    /// The value as plain Foundation objects (for JSON).
    public var any: Any {
        switch self {
        case .string(let value): value
        case .number(let value): value
        case .bool(let value): value
        case .list(let values): values.map(\.any)
        case .map(let values): values.mapValues(\.any)
        case .null: NSNull()
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
