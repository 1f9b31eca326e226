import Foundation
import PromptctlEval

/// The whole run as JSON: plan, summary and every result.
///
/// The document is pretty-printed with sorted keys; each result is one line of compact JSON with sorted keys,
/// so that a report of thousands of results stays quick to write and easy to grep or diff line by line. The
/// members are encoded one by one and joined, so that parts encoded earlier (the results as the store keeps
/// them, the plan while the run went on) are spliced in rather than encoded again.
public struct JSONReport: ReportFormatter {
    /// Creates the formatter.
    public init() {}
    public var fileExtension: String { "json" }

    /// The encoder for one result: the store keeps results encoded with exactly these settings.
    public static func resultEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The encoder for the document's other members.
    static func memberEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// The plan as the report shows it; encode it ahead (while the run goes on) and hand it over in `ReportData`.
    public static func encodePlan(_ plan: EvalPlan) throws -> Data {
        try memberEncoder().encode(plan)
    }

    public func render(_ data: ReportData) throws -> String {
        let encoder = Self.memberEncoder()
        // Members are pretty-printed on their own; inside the document they sit one level deeper. JSON strings
        // hold no raw line breaks, so every line break is between tokens.
        func indented(_ json: Data) -> String {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(json.count + json.count / 8)
            for byte in json {
                bytes.append(byte)
                if byte == 0x0A { bytes.append(contentsOf: [0x20, 0x20]) }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        func member(_ value: some Encodable) throws -> String { indented(try encoder.encode(value)) }
        let encodedResults: [Data]
        if let given = data.encodedResults, given.count == data.results.count {
            encodedResults = given
        } else {
            let resultEncoder = Self.resultEncoder()
            encodedResults = try data.results.map { try resultEncoder.encode($0) }
        }
        // Already at the document's depth: results are one line each, two levels in.
        var results = "["
        results.reserveCapacity(encodedResults.reduce(16) { $0 + $1.count + 6 })
        for (index, result) in encodedResults.enumerated() {
            results += index == 0 ? "\n    " : ",\n    "
            results += String(decoding: result, as: UTF8.self)
        }
        results += encodedResults.isEmpty ? "]" : "\n  ]"
        // Sorted keys, as the members' own encoder sorts theirs; gitRef is left out when unknown.
        var members: [(String, String)] = []
        if let gitRef = data.gitRef { members.append(("gitRef", try member(gitRef))) }
        members.append(("nurseAgreement", try member(data.nurseAgreement)))
        members.append(("pairwise", try member(data.pairwise)))
        members.append(
            ("plan", try data.encodedPlan.map(indented) ?? member(data.plan)))
        members.append(("results", results))
        members.append(("runID", try member(data.runID)))
        members.append(("startedAt", try member(data.startedAt)))
        members.append(("summary", try member(data.summary)))
        var text = "{"
        for (index, (key, value)) in members.enumerated() {
            text += (index == 0 ? "\n  \"" : ",\n  \"") + key + "\" : " + value
        }
        return text + "\n}\n"
    }
}
