import Foundation
import PromptctlCore
import PromptctlEval

/// JUnit XML: one test suite per prompt version, one test case per item; provider errors are `<error>`.
public struct JUnitReport: ReportFormatter {
    /// Creates the formatter.
    public init() {}
    public var fileExtension: String { "xml" }

    /// Escapes XML text and attributes, dropping characters XML 1.0 forbids.
    static func escape(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// The test case of one result (several lines, without the last line break).
    static func testcase(_ result: EvalItemResult, suite: String) -> String {
        let name = "\(suite).\(result.item.promptKey).\(result.item.side.rawValue)"
        let caseName = "\(result.item.caseID)#\(result.item.repeatIndex) [\(result.item.provider)]"
        var lines = [
            "    <testcase classname=\"\(Self.escape(name))\" name=\"\(Self.escape(caseName))\" time=\"\(DecimalText.fixed(result.latencyMs / 1000, 3))\">"
        ]
        if let error = result.error {
            lines.append("      <error message=\"\(Self.escape(error))\"/>")
        } else if !result.passed {
            let message = result.failures.joined(separator: "; ")
            lines.append(
                "      <failure message=\"\(Self.escape(String(message.prefix(500))))\">\(Self.escape(message))</failure>"
            )
        }
        if let output = result.output {
            lines.append("      <system-out>\(Self.escape(output))</system-out>")
        }
        lines.append("    </testcase>")
        return lines.joined(separator: "\n")
    }

    public func render(_ data: ReportData) throws -> String {
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        let failures = data.results.filter { !$0.passed && $0.error == nil }.count
        let errors = data.results.filter { $0.error != nil }.count
        lines.append(
            "<testsuites name=\"\(Self.escape(data.plan.suite))\" tests=\"\(data.summary.totalItems)\" failures=\"\(failures)\" errors=\"\(errors + data.summary.missingItems)\">"
        )
        for version in data.summary.versions {
            let results = data.results.filter { $0.item.promptKey == version.prompt && $0.item.side == version.side }
            let name = "\(data.plan.suite).\(version.prompt).\(version.side.rawValue)"
            let time = results.reduce(0) { $0 + $1.latencyMs } / 1000
            lines.append(
                "  <testsuite name=\"\(Self.escape(name))\" tests=\"\(version.items)\" failures=\"\(results.filter { !$0.passed && $0.error == nil }.count)\" errors=\"\(version.errors)\" time=\"\(DecimalText.fixed(time, 3))\">"
            )
            for result in results.sorted(by: {
                ($0.item.caseID, $0.item.repeatIndex) < ($1.item.caseID, $1.item.repeatIndex)
            }) {
                lines.append(
                    data.fragments?.junitCase(result.item.key) ?? Self.testcase(result, suite: data.plan.suite))
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }
}
