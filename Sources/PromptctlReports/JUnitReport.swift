import Foundation
import PromptctlCore
import PromptctlEval

/// JUnit XML: one test suite per prompt version, one test case per item; provider errors are `<error>`.
///
/// Written as the results arrive (`ReportStream` appends each test case to its version's part), then joined
/// under the suites' totals: the report is never held in memory.
public enum JUnitReport {
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

    /// The document's opening, before the test suites.
    static func header(suite: String, tests: Int, failures: Int, errors: Int) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"\(Self.escape(suite))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
    }

    /// A test suite's opening line.
    static func suiteOpening(name: String, tests: Int, failures: Int, errors: Int, seconds: Double) -> String {
        "  <testsuite name=\"\(Self.escape(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(DecimalText.fixed(seconds, 3))\">\n"
    }
}
