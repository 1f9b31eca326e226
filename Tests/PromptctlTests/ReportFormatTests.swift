import Foundation
import PromptctlCore
import PromptctlReports
import Testing

/// Formatting helpers of the reports, one behaviour each.
@Suite("report formatting")
struct ReportFormatTests {
    @Test(
        "HTML escaping replaces the five special characters and leaves every other character alone",
        arguments: [
            ("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            ("Ação & “cuidado” <b>", "Ação &amp; “cuidado” &lt;b&gt;"),
            ("sem nada especial 👍🏽", "sem nada especial 👍🏽"),
            ("\"\"", "&quot;&quot;"),
            ("", ""),
        ])
    func escaping(text: String, expected: String) {
        #expect(HTMLReport.escape(text) == expected)
    }

    @Test("fixed-point text matches printf for scores, percentages, costs and latencies", arguments: [0, 1, 2, 3, 4])
    func fixedPoint(digits: Int) {
        var values: [Double] = (0...2000).map { Double($0) / 1000 }
        values += (0...500).map { Double($0) * 0.37 - 90 }
        values += [0.125, 0.375, 2.5, 1e-7, 123_456.789, -0.004, 1.005, 0.285, 99.995]
        var mismatches: [String] = []
        for value in values where DecimalText.fixed(value, digits) != String(format: "%.\(digits)f", value) {
            mismatches.append(
                "\(value): \(DecimalText.fixed(value, digits)) vs \(String(format: "%.\(digits)f", value))")
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(DecimalText.signed(0.5, 2) == "+0.50")
        #expect(DecimalText.signed(-0.5, 2) == "-0.50")
        #expect(DecimalText.fixed(.nan, 2) == "nan")
    }
}
