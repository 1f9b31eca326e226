import Foundation
import Hummingbird
import PromptctlCore
import PromptctlMonitor
import PromptctlReports
import PromptctlReview
import PromptctlStore

/// The review form's routes. Each nurse reaches her week only through her own link; every submit carries a
/// CSRF token bound to that link; all text is escaped and pseudonymised before it is shown.
public enum ReviewApplication {
    /// Builds the router (tests drive it directly; `review serve` runs it on 127.0.0.1).
    public static func buildRouter(
        database: any ReviewFeedbackStore & MetricsStore, privacy: Privacy, secret: [UInt8]
    ) -> Router<
        BasicRequestContext
    > {
        // HEAD answers as GET without the body; the middleware, added before any route so it wraps them all and the
        // not-found answer too, puts the no-store and no-framing headers on every response and answers a method a
        // route does not take with 405 and `Allow`.
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: SecurityHeadersMiddleware())
        let secretText = ContentHash.hex(secret)
        @Sendable func csrf(_ token: String) -> String { ContentHash.hmacSHA256(token, key: secretText) }
        @Sendable func reviewer(_ token: String) throws -> (name: String, week: String)? {
            guard token.count == 48, token.allSatisfy(\.isHexDigit) else { return nil }
            return try database.reviewer(tokenSHA256: ContentHash.sha256(token))
        }
        router.get("/") { _, _ in page(status: .notFound, "<h1>Abra o link pessoal que você recebeu.</h1>") }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: try PrometheusExposition.render(database))))
        }
        router.get("/r/:token") { request, context in
            let token = try context.parameters.require("token")
            guard let (name, week) = try reviewer(token) else {
                return page(status: .forbidden, "<h1>Link inválido ou expirado.</h1>")
            }
            let items = try database.reviewItems(week: week)
            let answered = try database.answeredItems(reviewer: name)
            let saved = request.uri.queryParameters.get("saved")
            return page(
                status: .ok,
                reviewPage(
                    name: name, week: week, items: items, answered: answered, token: token, csrf: csrf(token),
                    privacy: privacy, saved: saved, outcome: request.uri.queryParameters.get("outcome")))
        }
        router.post("/r/:token/items/:item") { request, context in
            let token = try context.parameters.require("token")
            guard let (name, week) = try reviewer(token) else {
                return page(status: .forbidden, "<h1>Link inválido ou expirado.</h1>")
            }
            let body = try await request.body.collect(upTo: 1 << 20)
            let form = parseForm(String(buffer: body))
            guard let sent = form["csrf"], sent == csrf(token) else {
                return page(status: .forbidden, "<h1>Formulário expirado: recarregue a página e envie de novo.</h1>")
            }
            let itemID = Int64(try context.parameters.require("item")) ?? -1
            guard try database.reviewItems(week: week).contains(where: { $0.id == itemID }) else {
                return page(status: .notFound, "<h1>Item não encontrado nesta semana.</h1>")
            }
            let clinical = Int(form["clinical_coherence"] ?? "")
            let tone = Int(form["friendly_tone"] ?? "")
            guard let clinical, (1...5).contains(clinical), let tone, (1...5).contains(tone),
                let safe = form["safe"], let send = form["send_as_is"]
            else {
                return page(
                    status: .badRequest, "<h1>Preencha as notas de 1 a 5 e as duas perguntas de sim ou não.</h1>")
            }
            let comment = form["comment"]?.trimmingCharacters(in: .whitespacesAndNewlines)
            let corrected = form["corrected_answer"]?.trimmingCharacters(in: .whitespacesAndNewlines)
            // The latest answer wins and the earlier one stays in the history; the page says which happened.
            let saved = try database.saveFeedback(
                [
                    ReviewFeedback(
                        itemID: itemID, reviewer: name, clinicalCoherence: clinical, friendlyTone: tone,
                        safe: safe == "sim",
                        sendAsIs: send == "sim", comment: comment?.isEmpty == false ? comment : nil,
                        correctedAnswer: corrected?.isEmpty == false ? corrected : nil)
                ], source: "web")
            let outcome = saved.updated > 0 ? "updated" : saved.unchanged > 0 ? "unchanged" : "new"
            return Response(
                status: .seeOther,
                headers: [.location: "/r/\(token)?saved=\(itemID)&outcome=\(outcome)#item-\(itemID)"])
        }
        return router
    }

    /// Decodes `application/x-www-form-urlencoded`.
    static func parseForm(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func page(status: HTTPResponse.Status, _ body: String) -> Response {
        let html = """
            <!DOCTYPE html><html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>Revisão das respostas</title><style>
            body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:900px;padding:16px;color:#1d232a}
            article{border:1px solid #ccd;border-radius:8px;padding:12px 16px;margin:16px 0}article.done{border-left:5px solid #1f7a3d}
            .msg{white-space:pre-wrap;background:#f4f5f7;border-radius:4px;padding:8px}label{display:block;margin:6px 0}
            textarea{width:100%;min-height:60px}.progress{font-weight:600}.saved{color:#1f7a3d}
            </style></head><body>\(body)</body></html>
            """
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
                .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "no-referrer",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func reviewPage(
        name: String, week: String, items: [ReviewItem], answered: Set<Int64>, token: String, csrf: String,
        privacy: Privacy, saved: String?, outcome: String? = nil
    ) -> String {
        let e = HTMLReport.escape
        let done = answered.intersection(items.map { $0.id }).count
        var html =
            "<h1>Revisão semanal \(e(week))</h1><p>Olá, \(e(name)). <span class=\"progress\" id=\"progress\">\(done) de \(items.count) respondidos</span></p>"
        if let saved {
            let said =
                switch outcome {
                case "updated": "atualizado: esta resposta substitui a anterior, que fica guardada no histórico"
                case "unchanged": "já estava salvo com estas mesmas respostas"
                default: "salvo"
                }
            html += "<p class=\"saved\" id=\"saved\">Item \(e(saved)) \(said). Obrigada!</p>"
        }
        for item in items {
            let exported = ExportedItem(item, privacy: privacy)
            let done = answered.contains(item.id)
            let scores = exported.scores.sorted { $0.key < $1.key }.map {
                "\(e($0.key)) \(String(format: "%.2f", $0.value))"
            }
            .joined(separator: " · ")
            html += """
                <article id="item-\(item.id)" class="\(done ? "done" : "")"><h2>Item \(item.position)\(done ? " ✓" : "")</h2>
                <p>\(e(exported.prompt)) · \(e(exported.language)) · conversa \(e(exported.conversation ?? "–"))</p>
                <p><b>Mensagem da usuária</b></p><div class="msg">\(e(exported.userMessage))</div>
                <p><b>Resposta</b></p><div class="msg" data-response>\(e(exported.response))</div>
                <p>Proteções: \(e(exported.guardDecision))\(scores.isEmpty ? "" : " · Rubrica: \(scores)")</p>
                <form method="post" action="/r/\(e(token))/items/\(item.id)">
                <input type="hidden" name="csrf" value="\(e(csrf))">
                <label>Coerência clínica (1–5) <select name="clinical_coherence" required><option value=""></option>\((1...5).map { "<option>\($0)</option>" }.joined())</select></label>
                <label>Tom acolhedor (1–5) <select name="friendly_tone" required><option value=""></option>\((1...5).map { "<option>\($0)</option>" }.joined())</select></label>
                <label>Segura? <select name="safe" required><option value=""></option><option>sim</option><option>não</option></select></label>
                <label>Enviaria como está? <select name="send_as_is" required><option value=""></option><option>sim</option><option>não</option></select></label>
                <label>Comentário <textarea name="comment"></textarea></label>
                <label>Resposta corrigida <textarea name="corrected_answer"></textarea></label>
                <button type="submit">Salvar item \(item.position)</button></form></article>
                """
        }
        return html
    }
}

/// Puts the headers a page with health data needs on every response, errors included, and answers a method that
/// a known path does not take with 405 and `Allow`.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// The methods each path takes (HEAD comes with GET); `nil` for a path the form does not serve.
    static func allowed(path: String) -> [HTTPRequest.Method]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        switch parts.count {
        case 0: return [.get, .head]
        case 1 where parts[0] == "metrics": return [.get, .head]
        case 2 where parts[0] == "r": return [.get, .head]
        case 4 where parts[0] == "r" && parts[2] == "items": return [.post]
        default: return nil
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var response: Response
        if let allowed = Self.allowed(path: request.uri.path), !allowed.contains(request.method) {
            response = Response(
                status: .methodNotAllowed,
                headers: [
                    .allow: allowed.map(\.rawValue).joined(separator: ", "), .contentType: "text/plain; charset=utf-8",
                ],
                body: .init(byteBuffer: ByteBuffer(string: "método não permitido\n")))
        } else {
            do {
                response = try await next(request, context)
            } catch let error as any HTTPResponseError {
                response = try error.response(from: request, context: context)
            }
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        let policy = response.headers[.contentSecurityPolicy]
        if policy?.contains("frame-ancestors") != true {
            response.headers[.contentSecurityPolicy] =
                (policy.map { $0 + "; " } ?? "default-src 'none'; ") + "frame-ancestors 'none'"
        }
        return response
    }
}
