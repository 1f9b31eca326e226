import Foundation
import PromptctlCore
import PromptctlEval

/// A self-contained HTML report: summary, charts, criterion table, regressions, and the worst candidate answers
/// (a bounded number, beside their baselines, filterable in the page by prompt, language, failed criterion and
/// guard decision), with a link to the complete results. Every piece of model output and user text is escaped: it
/// is untrusted. The page's size does not grow with the run.
public struct HTMLReport: ReportFormatter {
    /// Creates the formatter.
    public init() {}
    public var fileExtension: String { "html" }

    /// Escapes text for HTML element content and attribute values (one implementation: `HTMLEscaping`).
    public static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }

    static let style = """
        body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d232a;background:#f6f7f9}
        main{max-width:1200px;margin:0 auto;padding:24px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
        .badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;color:#fff}
        .pass{background:#1f7a3d}.fail{background:#b42318}.muted{color:#5b6570}
        table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
        th,td{border:1px solid #dde1e6;padding:6px 8px;text-align:left;vertical-align:top}
        th{background:#eef1f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .down{color:#b42318;font-weight:600}.up{color:#1f7a3d}
        details{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:8px 0;padding:8px 12px}
        details.failed{border-left:4px solid #b42318}details.passed{border-left:4px solid #1f7a3d}
        summary{cursor:pointer}.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px;margin-top:8px}
        .answer{white-space:pre-wrap;background:#f6f7f9;border-radius:4px;padding:8px;font-size:14px}
        .reasons li{margin:2px 0}ul{margin:4px 0 4px 18px;padding:0}
        .filters{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}.filters label{font-size:14px}
        """

    /// Filters the shown answers in the page; inline, allowed by its hash in the page's security policy.
    static let filterScript = """
        (function(){var s=document.querySelectorAll('.filters select');function apply(){var n=0;
        document.querySelectorAll('details.item').forEach(function(d){var ok=true;s.forEach(function(x){
        var v=x.value;if(!v)return;var a=d.getAttribute('data-'+x.name)||'';
        if(x.name==='criteria'){if((' '+a+' ').indexOf(' '+v+' ')<0)ok=false;}else if(a!==v)ok=false;});
        d.hidden=!ok;if(ok)n++;});document.getElementById('shown').textContent=n;}
        s.forEach(function(x){x.addEventListener('change',apply);});apply();
        document.body.setAttribute('data-filters','on');})();
        """

    /// The `script-src` source of `filterScript`: its SHA-256, base64.
    static let filterScriptHash: String = {
        let hex = ContentHash.sha256(filterScript)
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return "'sha256-" + Data(bytes).base64EncodedString() + "'"
    }()

    public func render(_ data: ReportData) throws -> String {
        let e = Self.escape
        let summary = data.summary
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src \(Self.filterScriptHash)">
            <title>promptctl eval · \(e(data.plan.suite)) · \(e(data.verdict))</title><style>\(Self.style)</style></head>
            <body><main>
            <h1>\(e(data.plan.suite)) <span class="badge \(summary.passed ? "pass" : "fail")" id="verdict">\(e(data.verdict))</span></h1>
            <p class="muted">Run <code>\(e(data.runID))</code> · \(e(Format.timestamp(data.startedAt)))\(data.gitRef.map { " · commit <code>\(e(String($0.prefix(12))))</code>" } ?? "") · \(summary.totalItems) items · \(summary.errorItems) errors · cost \(e(Format.money(summary.costUSD)))\(data.plan.judge.map { " · judge: \(e($0))" } ?? " · judge criteria skipped (no judge provider)")</p>

            """
        if !summary.gateReasons.isEmpty {
            html += "<h2>Why the gate failed</h2><ul class=\"reasons\">"
            html += summary.gateReasons.map { "<li>\(e($0))</li>" }.joined()
            html += "</ul>\n"
        }
        html +=
            "<h2>Versions</h2>" + chart(data) + versionsTable(data) + criteriaTable(data) + agreementTable(data)
            + pairwiseTable(data)
        if !summary.regressions.isEmpty {
            html +=
                "<h2>Regressions against the baseline</h2><table><tr><th>candidate</th><th>baseline</th><th>metric</th><th>before</th><th>after</th></tr>"
            for regression in summary.regressions {
                html +=
                    "<tr><td>\(e(regression.candidate))</td><td>\(e(regression.baseline))</td><td>\(e(regression.metric))</td><td class=\"num\">\(Format.score(regression.before))</td><td class=\"num down\">\(Format.score(regression.after))</td></tr>"
            }
            html += "</table>\n"
        }
        html += answers(data)
        html +=
            "<p class=\"muted\">Generated by promptctl. Model output is shown as text and never executed.</p></main><script>\(Self.filterScript)</script></body></html>\n"
        return html
    }

    /// The worst answers with the filters, and the link to every result.
    func answers(_ data: ReportData) -> String {
        let e = Self.escape
        let shown = data.orderedResults
        let failing = data.summary.versions.filter { $0.side == .candidate }.reduce(0) { $0 + $1.items - $1.passed }
        var html = "<h2>Worst answers</h2>"
        html +=
            "<p class=\"muted\" id=\"answers-note\">\(data.resultCount) results in all (\(failing) failing candidate items); the \(shown.count) worst candidate answers are below, errors and failures first. Every result is in <a href=\"\(JSONReport.resultsFile)\">\(JSONReport.resultsFile)</a> (one JSON object per line) and in the store (<code>promptctl report \(e(data.runID)) --print results</code>).</p>"
        func options(_ values: [String]) -> String {
            values.map { "<option value=\"\(e($0))\">\(e($0))</option>" }.joined()
        }
        let prompts = Set(shown.map(\.item.promptKey)).sorted()
        let languages = Set(shown.map(\.item.language)).sorted()
        let criteria = Set(shown.flatMap(Self.failedCriteria)).sorted()
        let guards = Set(shown.map(Self.guardName)).sorted()
        html += "<div class=\"filters\">"
        html +=
            "<label>prompt <select name=\"prompt\"><option value=\"\">all</option>\(options(prompts))</select></label>"
        html +=
            "<label>language <select name=\"lang\"><option value=\"\">all</option>\(options(languages))</select></label>"
        html +=
            "<label>failed criterion <select name=\"criteria\"><option value=\"\">any</option>\(options(criteria))</select></label>"
        html += "<label>guard <select name=\"guard\"><option value=\"\">any</option>\(options(guards))</select></label>"
        html += "<span class=\"muted\">showing <b id=\"shown\">\(shown.count)</b></span></div>\n"
        for result in shown { html += Self.item(result, baseline: data.baseline(for: result)) }
        return html
    }

    /// Ids of the criteria and assertions a result failed (`rubric/criterion`, `assertion/id`).
    static func failedCriteria(_ result: EvalItemResult) -> [String] {
        result.rubrics.flatMap { rubric in rubric.criteria.filter { !$0.passed }.map { "\(rubric.rubric)/\($0.id)" } }
            + result.assertions.filter { !$0.passed }.map { "assertion/\($0.id)" }
    }

    /// The guard's decision as the filter names it.
    static func guardName(_ result: EvalItemResult) -> String { result.guardDecision?.action.rawValue ?? "none" }

    func chart(_ data: ReportData) -> String {
        let versions = data.summary.versions
        guard !versions.isEmpty else { return "" }
        let rubrics = data.plan.rubrics
        let series = ["pass rate"] + rubrics
        let rowHeight = 14
        let groupHeight = rowHeight * series.count + 10
        let height = groupHeight * versions.count + 20
        let colors = ["#1f6feb", "#8250df", "#bf8700", "#1a7f37", "#cf222e"]
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"pass rate and rubric means\" width=\"100%\" viewBox=\"0 0 900 \(height)\" style=\"background:#fff;border:1px solid #dde1e6\">"
        for (row, version) in versions.enumerated() {
            let top = 10 + row * groupHeight
            svg +=
                "<text x=\"8\" y=\"\(top + 11)\" font-size=\"12\">\(Self.escape(version.prompt)) (\(version.side.rawValue))</text>"
            for (index, name) in series.enumerated() {
                let value = index == 0 ? version.passRate : (version.rubricMeans[name] ?? 0)
                let y = top + index * rowHeight
                let width = Int(value * 420)  // room on the right for the longest label at 1.00
                svg +=
                    "<rect x=\"330\" y=\"\(y)\" width=\"\(width)\" height=\"\(rowHeight - 3)\" fill=\"\(colors[index % colors.count])\"><title>\(Self.escape(name)): \(Format.score(value))</title></rect>"
                svg +=
                    "<text x=\"\(335 + width)\" y=\"\(y + 10)\" font-size=\"10\">\(Self.escape(name)) \(Format.score(value))</text>"
            }
        }
        return svg + "</svg>"
    }

    func versionsTable(_ data: ReportData) -> String {
        let rubrics = data.plan.rubrics
        var html =
            "<table><tr><th>prompt</th><th>side</th><th>items</th><th>pass rate</th><th>pass^k</th><th>errors</th>"
        html +=
            rubrics.map { "<th>\(Self.escape($0))</th>" }.joined()
            + "<th>guards</th><th>cost</th><th>mean latency</th></tr>"
        for version in data.summary.versions {
            html +=
                "<tr><td>\(Self.escape(version.prompt))</td><td>\(version.side.rawValue)</td><td class=\"num\">\(version.items)</td><td class=\"num\">\(Format.percent(version.passRate))</td><td class=\"num\">\(Format.percent(version.passAllRepeats))</td><td class=\"num\">\(version.errors)</td>"
            html += rubrics.map { "<td class=\"num\">\(Format.score(version.rubricMeans[$0]))</td>" }.joined()
            let guards = version.guardActions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                separator: ", ")
            html +=
                "<td>\(Self.escape(guards))</td><td class=\"num\">\(Format.money(version.costUSD))</td><td class=\"num\">\(DecimalText.fixed(version.meanLatencyMs, 0) + " ms")</td></tr>"
        }
        return html + "</table>\n"
    }

    func agreementTable(_ data: ReportData) -> String {
        guard !data.nurseAgreement.isEmpty else { return "" }
        var html =
            "<h2>Nurse agreement with the rubrics</h2><table id=\"agreement\"><tr><th>rubric</th><th>rated items</th><th>Spearman's rho</th><th>weighted kappa</th><th>verdict</th></tr>"
        for entry in data.nurseAgreement {
            html +=
                "<tr><td>\(Self.escape(entry.rubric))</td><td class=\"num\">\(entry.pairs)</td><td class=\"num\">\(Format.score(entry.spearman))</td><td class=\"num\">\(Format.score(entry.weightedKappa))</td><td class=\"\(entry.disagrees ? "down" : "")\">\(Self.escape(entry.note))</td></tr>"
        }
        return html + "</table>\n"
    }

    func pairwiseTable(_ data: ReportData) -> String {
        guard !data.pairwise.isEmpty else { return "" }
        var html =
            "<h2>Pairwise judge: candidate against baseline (both orders)</h2><table id=\"pairwise\"><tr><th>candidate</th><th>baseline</th><th>candidate preferred</th><th>baseline preferred</th><th>ties</th></tr>"
        let groups = Dictionary(grouping: data.pairwise) { "\($0.candidate)\u{1F}\($0.baseline)" }
        for key in groups.keys.sorted() {
            let verdicts = groups[key]!
            html +=
                "<tr><td>\(Self.escape(verdicts[0].candidate))</td><td>\(Self.escape(verdicts[0].baseline))</td><td class=\"num\">\(verdicts.filter { $0.preferred == "candidate" }.count)</td><td class=\"num\">\(verdicts.filter { $0.preferred == "baseline" }.count)</td><td class=\"num\">\(verdicts.filter { $0.preferred == "tie" }.count)</td></tr>"
        }
        return html + "</table>\n"
    }

    func criteriaTable(_ data: ReportData) -> String {
        var names: [String] = []
        for version in data.summary.versions {
            for key in version.criterionMeans.keys.sorted() where !names.contains(key) { names.append(key) }
        }
        guard !names.isEmpty else { return "" }
        var html = "<h2>Criteria</h2><table><tr><th>criterion</th>"
        for pairing in data.plan.pairings {
            html += "<th>\(Self.escape(pairing.candidate))</th>"
            if let baseline = pairing.baseline { html += "<th>\(Self.escape(baseline)) (baseline)</th><th>Δ</th>" }
        }
        html += "</tr>"
        for name in names {
            html += "<tr><td>\(Self.escape(name))</td>"
            for pairing in data.plan.pairings {
                let candidate = data.summary.versions.first { $0.prompt == pairing.candidate && $0.side == .candidate }?
                    .criterionMeans[name]
                html += "<td class=\"num\">\(Format.score(candidate))</td>"
                if let baselineKey = pairing.baseline {
                    let baseline = data.summary.versions.first { $0.prompt == baselineKey && $0.side == .baseline }?
                        .criterionMeans[name]
                    html += "<td class=\"num\">\(Format.score(baseline))</td>"
                    if let candidate, let baseline {
                        let delta = candidate - baseline
                        let tone = delta < -data.plan.thresholds.tolerance ? "down" : (delta > 0 ? "up" : "")
                        html += "<td class=\"num \(tone)\">\(DecimalText.signed(delta, 2))</td>"
                    } else {
                        html += "<td></td>"
                    }
                }
            }
            html += "</tr>"
        }
        return html + "</table>\n"
    }

    /// One candidate answer, with its baseline's beside it, its reasons and its criteria.
    static func item(_ result: EvalItemResult, baseline: EvalItemResult?) -> String {
        let e = Self.escape
        let status = result.error != nil ? "error" : (result.passed ? "passed" : "failed")
        var html =
            "<details class=\"item \(result.passed ? "passed" : "failed")\" data-prompt=\"\(e(result.item.promptKey))\" data-lang=\"\(e(result.item.language))\" data-criteria=\"\(e(failedCriteria(result).joined(separator: " ")))\" data-guard=\"\(e(guardName(result)))\"\(result.passed ? "" : " open")><summary><b>\(e(result.item.caseID))</b> · \(e(result.item.promptKey)) · \(e(result.item.provider)) · repeat \(result.item.repeatIndex) · <b>\(status)</b> · score \(Format.score(result.score))"
        if let decision = result.guardDecision, decision.action != .allow { html += " · guard: \(e(decision.summary))" }
        html += "</summary>"
        if !result.failures.isEmpty {
            html += "<ul class=\"reasons\">" + result.failures.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        }
        html += "<p><b>Her message:</b> \(e(result.userMessage))</p><div class=\"pair\">"
        html +=
            "<div><b>Candidate \(e(result.item.promptKey))</b><div class=\"answer\">\(e(result.output ?? result.error ?? "(no answer)"))</div></div>"
        if let baseline {
            html +=
                "<div><b>Baseline \(e(baseline.item.promptKey))</b> · \(baseline.passed ? "passed" : "failed") · score \(Format.score(baseline.score))<div class=\"answer\">\(e(baseline.output ?? baseline.error ?? "(no answer)"))</div></div>"
        } else {
            html += "<div class=\"muted\">No baseline answer for this case.</div>"
        }
        html += "</div>"
        if let released = result.releasedText, released != result.output {
            html += "<p><b>Released after guards:</b></p><div class=\"answer\">\(e(released))</div>"
        }
        let rows = result.rubrics.flatMap { rubric in
            rubric.criteria.map { (rubric.rubric, $0) }
        }
        if !rows.isEmpty || !result.assertions.isEmpty {
            html += "<table><tr><th>rubric</th><th>criterion</th><th>score</th><th>reason</th></tr>"
            for (rubric, criterion) in rows {
                let score = criterion.outcome.skipped ? "skipped" : Format.score(criterion.outcome.score)
                html +=
                    "<tr><td>\(e(rubric))</td><td>\(e(criterion.id))</td><td class=\"num\(criterion.passed ? "" : " down")\">\(score)</td><td>\(e(criterion.outcome.reason))</td></tr>"
            }
            for assertion in result.assertions {
                html +=
                    "<tr><td>assertion</td><td>\(e(assertion.id))</td><td class=\"num\(assertion.passed ? "" : " down")\">\(Format.score(assertion.outcome.score))</td><td>\(e(assertion.outcome.reason))</td></tr>"
            }
            html += "</table>"
        }
        return html + "</details>\n"
    }
}
