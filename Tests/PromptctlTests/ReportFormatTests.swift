import Foundation
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
}
