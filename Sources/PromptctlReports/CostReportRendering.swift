import Foundation
import PromptctlCore
import PromptctlStore

/// A cost report as a table, JSON, CSV or an HTML page with a chart of cost per message.
public enum CostReportRendering {
    /// Rows as table, JSON, CSV or HTML (with an SVG chart of cost per message).
    public static func render(_ rows: [CostRow], as format: OutputFormat, bucket: CostBucket, group: CostGrouping)
        throws -> String
    {
        switch format {
        case .json:
            struct Line: Encodable {
                var bucket, group: String
                var messages, errors, promptTokens, cachedTokens, completionTokens: Int
                var tokensPerMessage, costPerMessage, costUSD: Double
            }
            return try JSONOutput.string(
                rows.map {
                    Line(
                        bucket: $0.bucket, group: $0.group, messages: $0.messages, errors: $0.errors,
                        promptTokens: $0.promptTokens, cachedTokens: $0.cachedTokens,
                        completionTokens: $0.completionTokens,
                        tokensPerMessage: $0.tokensPerMessage, costPerMessage: $0.costPerMessage, costUSD: $0.costUSD)
                })
        case .csv:
            var lines = [
                "\(bucket.rawValue),\(group.rawValue),messages,errors,tokens_per_message,cost_per_message_usd,cost_usd"
            ]
            for row in rows {
                lines.append(
                    [
                        row.bucket, row.group, String(row.messages), String(row.errors),
                        String(format: "%.1f", row.tokensPerMessage),
                        String(format: "%.8f", row.costPerMessage), String(format: "%.6f", row.costUSD),
                    ]
                    .map { CSV.field($0) }.joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        case .html:
            return html(rows, bucket: bucket, group: group)
        default:
            var table = TextTable(
                headers: [
                    bucket.rawValue.uppercased(), group.rawValue.uppercased(), "MESSAGES", "ERRORS", "TOKENS/MSG",
                    "COST/MSG",
                    "COST",
                ])
            for row in rows {
                table.rows.append([
                    row.bucket, row.group, String(row.messages), String(row.errors),
                    String(format: "%.0f", row.tokensPerMessage),
                    String(format: "$%.6f", row.costPerMessage), String(format: "$%.4f", row.costUSD),
                ])
            }
            let messages = rows.reduce(0) { $0 + $1.messages }
            let cost = rows.reduce(0) { $0 + $1.costUSD }
            return table.render()
                + "total: \(messages) messages, $\(String(format: "%.4f", cost)), $\(String(format: "%.6f", messages == 0 ? 0 : cost / Double(messages))) per message\n"
        }
    }

    static func html(_ rows: [CostRow], bucket: CostBucket, group: CostGrouping) -> String {
        let e = HTMLEscaping.escape
        var byBucket: [String: (messages: Int, cost: Double)] = [:]
        for row in rows {
            byBucket[row.bucket, default: (0, 0)].messages += row.messages
            byBucket[row.bucket, default: (0, 0)].cost += row.costUSD
        }
        let buckets = byBucket.keys.sorted()
        let values = buckets.map {
            byBucket[$0]!.messages == 0 ? 0 : byBucket[$0]!.cost / Double(byBucket[$0]!.messages)
        }
        let maximum = max(values.max() ?? 0, 1e-12)
        let width = 720.0
        let height = 160.0
        let step = buckets.count > 1 ? width / Double(buckets.count - 1) : 0
        let points = values.enumerated().map { index, value in
            String(format: "%.1f,%.1f", 40 + Double(index) * step, 10 + height - value / maximum * height)
        }.joined(separator: " ")
        var body = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>promptctl cost report</title>
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}</style>
            </head><body><h1>Cost per message by \(e(bucket.rawValue))</h1>
            <svg xmlns="http://www.w3.org/2000/svg" width="800" height="190" role="img" aria-label="cost per message">
            <polyline fill="none" stroke="#1f6feb" stroke-width="2" points="\(points)"/>
            <text x="4" y="16" font-size="11">$\(String(format: "%.6f", maximum))</text><text x="4" y="\(Int(height) + 10)" font-size="11">$0</text>
            </svg><table><tr><th>\(e(bucket.rawValue))</th><th>\(e(group.rawValue))</th><th>messages</th><th>errors</th><th>tokens/msg</th><th>cost/msg</th><th>cost</th></tr>
            """
        for row in rows {
            body +=
                "<tr><td>\(e(row.bucket))</td><td>\(e(row.group))</td><td class=\"n\">\(row.messages)</td><td class=\"n\">\(row.errors)</td><td class=\"n\">\(String(format: "%.0f", row.tokensPerMessage))</td><td class=\"n\">$\(String(format: "%.6f", row.costPerMessage))</td><td class=\"n\">$\(String(format: "%.4f", row.costUSD))</td></tr>"
        }
        return body + "</table></body></html>\n"
    }

}
