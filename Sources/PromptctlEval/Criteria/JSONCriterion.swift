import Foundation
import PromptctlCore

/// `json` / `json-schema`: the answer is JSON, and optionally conforms to a schema.
///
/// The schema support covers what prompt outputs use: type, properties, required, items, enum,
/// minimum/maximum, minLength/maxLength, minItems/maxItems, additionalProperties: false.
struct JSONCriterion: Criterion {
    let spec: CriterionSpec
    let schemaValue: ConfigValue?
    var schema: Any? { schemaValue?.any }

    init(spec: CriterionSpec, diagnostics: DiagnosticCollector) {
        self.spec = spec
        var reader = ParameterReader(spec, diagnostics: diagnostics)
        if spec.type == "json-schema" {
            let raw = reader.raw("schema")
            if raw == nil { reader.missing("schema") }
            schemaValue = raw
        } else {
            schemaValue = nil
        }
        reader.rejectUnknown()
    }

    func evaluate(_ context: CriterionContext) async -> CriterionOutcome {
        let text = Self.stripFence(context.response)
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
            return .check(false, "not valid JSON")
        }
        guard let schema else { return .check(true, "valid JSON") }
        let problems = Self.validate(value, schema: schema, path: "$")
        return problems.isEmpty
            ? .check(true, "valid JSON matching the schema")
            : .check(false, problems.prefix(3).joined(separator: "; "))
    }

    /// Removes a Markdown code fence models often wrap JSON in.
    static func stripFence(_ text: String) -> String {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("```") {
            body = String(body.drop { $0 != "\n" }.dropFirst())
            if body.hasSuffix("```") { body = String(body.dropLast(3)) }
        }
        return body.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func typeName(_ value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case let number as NSNumber:
            String(cString: number.objCType) == "c"
                ? "boolean" : (number.doubleValue == number.doubleValue.rounded() ? "integer" : "number")
        case is String: "string"
        case is [Any]: "array"
        case is [String: Any]: "object"
        default: "unknown"
        }
    }

    static func validate(_ value: Any, schema: Any, path: String) -> [String] {
        guard let schema = schema as? [String: Any] else { return [] }
        var problems: [String] = []
        let actual = typeName(value)
        if let expected = schema["type"] as? String {
            let matches = expected == actual || (expected == "number" && actual == "integer")
            if !matches { return ["\(path) is \(actual), expected \(expected)"] }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path) is not one of \(options.map { "\($0)" })")
        }
        if let number = value as? NSNumber, actual != "boolean" {
            if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, number.doubleValue < minimum {
                problems.append("\(path) < \(minimum)")
            }
            if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue, number.doubleValue > maximum {
                problems.append("\(path) > \(maximum)")
            }
        }
        if let string = value as? String {
            if let minimum = (schema["minLength"] as? NSNumber)?.intValue, string.count < minimum {
                problems.append("\(path) shorter than \(minimum)")
            }
            if let maximum = (schema["maxLength"] as? NSNumber)?.intValue, string.count > maximum {
                problems.append("\(path) longer than \(maximum)")
            }
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path).\(key) is missing")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                if let childSchema = properties[key] {
                    problems += validate(child, schema: childSchema, path: "\(path).\(key)")
                } else if (schema["additionalProperties"] as? Bool) == false {
                    problems.append("\(path).\(key) is not allowed")
                }
            }
        }
        if let array = value as? [Any] {
            if let minimum = (schema["minItems"] as? NSNumber)?.intValue, array.count < minimum {
                problems.append("\(path) has fewer than \(minimum) items")
            }
            if let maximum = (schema["maxItems"] as? NSNumber)?.intValue, array.count > maximum {
                problems.append("\(path) has more than \(maximum) items")
            }
            if let items = schema["items"] {
                for (index, element) in array.enumerated() {
                    problems += validate(element, schema: items, path: "\(path)[\(index)]")
                }
            }
        }
        return problems
    }
}
