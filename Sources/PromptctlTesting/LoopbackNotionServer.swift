import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PromptctlCore

/// One request the Notion stand-in received.
public struct NotionReceivedRequest: Sendable {
    /// GET, POST or PATCH.
    public var method: String
    /// The path (with query).
    public var uri: String
    /// Headers, names lower-cased.
    public var headers: [String: String]
    /// The body as text.
    public var body: String
}

/// A page as the stand-in holds it: plain text of each text property and the name of each chosen option.
public struct NotionStubPage: Sendable, Hashable {
    /// The page id.
    public var id: String
    /// The data source it lives in.
    public var dataSourceID: String
    /// Title and rich-text properties, their pieces joined.
    public var texts: [String: String]
    /// How many rich-text objects each text property holds.
    public var pieces: [String: Int]
    /// Select properties, by name of the chosen option.
    public var selects: [String: String]
    /// Notion's `last_edited_time`.
    public var lastEdited: String
}

/// A real HTTP server on 127.0.0.1 that plays the Notion API (2025-09-03) closely enough to test against:
/// database creation with its data source, page creation and update with Notion's validation (2,000 characters per
/// text object, known properties only), query with a filter and cursor pagination, and its error objects.
public final class LoopbackNotionServer: Sendable {
    /// The bound port.
    public let port: Int
    private let task: Task<Void, any Error>
    private let state: NotionStubState

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts a server that accepts `token`, can see the pages in `sharedPages`, and answers a query with at most
    /// `pageSize` results at a time (small to exercise pagination).
    public static func start(token: String, sharedPages: Set<String>, pageSize: Int = 100) async throws
        -> LoopbackNotionServer
    {
        let state = NotionStubState(token: token, sharedPages: sharedPages, pageSize: pageSize)
        let router = Router()
        router.post("/v1/databases") { request, _ in try await state.handle(request, route: .createDatabase) }
        router.post("/v1/pages") { request, _ in try await state.handle(request, route: .createPage) }
        router.patch("/v1/pages/:id") { request, context in
            try await state.handle(request, route: .updatePage(context.parameters.get("id") ?? ""))
        }
        router.post("/v1/data_sources/:id/query") { request, context in
            try await state.handle(request, route: .query(context.parameters.get("id") ?? ""))
        }
        let (port, task) = try await runOnLoopback(
            router, serverName: "notion-stub", what: "the loopback Notion server")
        return LoopbackNotionServer(port: port, task: task, state: state)
    }

    private init(port: Int, task: Task<Void, any Error>, state: NotionStubState) {
        self.port = port
        self.task = task
        self.state = state
    }

    /// Stops the server.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// The next requests get these answers (status, Notion error code, headers) instead of being served.
    public func enqueueFailures(_ failures: [(status: Int, code: String, headers: [String: String])]) async {
        await state.enqueue(failures.map { NotionStubFailure(status: $0.status, code: $0.code, headers: $0.headers) })
    }

    /// Every request received so far.
    public func requests() async -> [NotionReceivedRequest] { await state.received }

    /// Every page, in creation order.
    public func pages() async -> [NotionStubPage] { await state.snapshot() }

    /// Plays a nurse editing a page in Notion: texts and chosen options (nil clears one); bumps the edit time.
    public func edit(page id: String, texts: [String: String] = [:], selects: [String: String?] = [:]) async {
        await state.edit(page: id, texts: texts, selects: selects)
    }

    /// The property schema of the data sources created so far (property name → Notion type).
    public func schemas() async -> [String: [String: String]] { await state.schemaTypes() }
}

struct NotionStubFailure: Sendable {
    var status: Int
    var code: String
    var headers: [String: String]
}

enum NotionStubRoute: Sendable {
    case createDatabase
    case createPage
    case updatePage(String)
    case query(String)
}

/// A Notion property value as the stand-in keeps it.
enum NotionStubValue: Sendable, Hashable {
    case text([String])
    case select(String?)
}

struct NotionStubError: Error {
    var status: Int
    var code: String
    var message: String
}

actor NotionStubState {
    let token: String
    let sharedPages: Set<String>
    let pageSize: Int
    var failures: [NotionStubFailure] = []
    var received: [NotionReceivedRequest] = []
    /// Data source id → property name → type ("title", "rich_text", "select").
    var schemas: [String: [String: String]] = [:]
    /// Data source id → property name → allowed options.
    var options: [String: [String: [String]]] = [:]
    var order: [String] = []
    var pages: [String: (dataSource: String, values: [String: NotionStubValue], edited: Int)] = [:]
    var clock = 0

    init(token: String, sharedPages: Set<String>, pageSize: Int) {
        self.token = token
        self.sharedPages = sharedPages
        self.pageSize = pageSize
    }

    func enqueue(_ more: [NotionStubFailure]) { failures += more }

    func schemaTypes() -> [String: [String: String]] { schemas }

    /// Notion's times have minute precision; each edit here moves one minute on, so every edit is distinguishable.
    func tick() -> Int {
        clock += 1
        return clock
    }

    static func time(_ minute: Int) -> String {
        let date = Date(timeIntervalSince1970: 1_795_420_800 + Double(minute) * 60)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    func snapshot() -> [NotionStubPage] {
        order.compactMap { id in
            guard let page = pages[id] else { return nil }
            var texts: [String: String] = [:]
            var pieces: [String: Int] = [:]
            var selects: [String: String] = [:]
            for (name, value) in page.values {
                switch value {
                case .text(let parts):
                    texts[name] = parts.joined()
                    pieces[name] = parts.count
                case .select(let option): if let option { selects[name] = option }
                }
            }
            return NotionStubPage(
                id: id, dataSourceID: page.dataSource, texts: texts, pieces: pieces, selects: selects,
                lastEdited: Self.time(page.edited))
        }
    }

    func edit(page id: String, texts: [String: String], selects: [String: String?]) {
        guard var page = pages[id] else { return }
        for (name, text) in texts { page.values[name] = .text(text.isEmpty ? [] : [text]) }
        for (name, option) in selects { page.values[name] = .select(option) }
        page.edited = tick()
        pages[id] = page
    }

    nonisolated func handle(_ request: Request, route: NotionStubRoute) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 8 << 20)
        let body = Data(buffer: buffer)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let (status, answer, extra) = await serve(
            NotionReceivedRequest(
                method: request.method.rawValue, uri: request.uri.description, headers: headers,
                body: String(decoding: body, as: UTF8.self)), json: json, route: route)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in extra { if let fieldName = HTTPField.Name(name) { fields[fieldName] = value } }
        return Response(
            status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: answer)))
    }

    func serve(_ request: NotionReceivedRequest, json: [String: Any], route: NotionStubRoute) -> (
        Int, String, [String: String]
    ) {
        received.append(request)
        if !failures.isEmpty {
            let failure = failures.removeFirst()
            return (
                failure.status, Self.error(failure.status, failure.code, "scripted \(failure.code)"), failure.headers
            )
        }
        guard request.headers["authorization"] == "Bearer \(token)" else {
            return (401, Self.error(401, "unauthorized", "API token is invalid."), [:])
        }
        guard request.headers["notion-version"] == "2025-09-03" else {
            return (400, Self.error(400, "missing_version", "Notion-Version header failed validation."), [:])
        }
        do {
            let result: [String: Any]
            switch route {
            case .createDatabase: result = try createDatabase(json)
            case .createPage: result = try createPage(json)
            case .updatePage(let id): result = try updatePage(id, json)
            case .query(let id): result = try query(id, json)
            }
            return (200, Self.encode(result), [:])
        } catch let error as NotionStubError {
            return (error.status, Self.error(error.status, error.code, error.message), [:])
        } catch {
            return (500, Self.error(500, "internal_server_error", "\(error)"), [:])
        }
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> String {
        encode(["object": "error", "status": status, "code": code, "message": message])
    }

    static func encode(_ object: [String: Any]) -> String {
        String(
            decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(),
            as: UTF8.self)
    }

    static func invalid(_ message: String) -> NotionStubError {
        NotionStubError(status: 400, code: "validation_error", message: message)
    }

    func createDatabase(_ json: [String: Any]) throws -> [String: Any] {
        guard let parent = json["parent"] as? [String: Any], parent["type"] as? String == "page_id",
            let pageID = parent["page_id"] as? String
        else { throw Self.invalid("body.parent.page_id should be defined, instead was `undefined`.") }
        guard sharedPages.contains(pageID) else {
            throw NotionStubError(
                status: 404, code: "object_not_found",
                message:
                    "Could not find page with ID: \(pageID). Make sure the relevant pages and databases are shared with your integration."
            )
        }
        guard let initial = json["initial_data_source"] as? [String: Any],
            let properties = initial["properties"] as? [String: [String: Any]]
        else { throw Self.invalid("body.initial_data_source.properties should be defined.") }
        var types: [String: String] = [:]
        var choices: [String: [String]] = [:]
        for (name, definition) in properties {
            guard let type = definition.keys.first, definition.count == 1 else {
                throw Self.invalid("Property \(name) must have exactly one type.")
            }
            types[name] = type
            if type == "select" {
                let select = definition["select"] as? [String: Any]
                choices[name] = (select?["options"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            }
        }
        guard types.values.filter({ $0 == "title" }).count == 1 else {
            throw Self.invalid("A data source must have exactly one title property.")
        }
        let databaseID = UUID().uuidString.lowercased()
        let dataSourceID = UUID().uuidString.lowercased()
        schemas[dataSourceID] = types
        options[dataSourceID] = choices
        return [
            "object": "database", "id": databaseID, "url": "https://www.notion.so/\(databaseID)",
            "data_sources": [["id": dataSourceID, "name": "Revisão"]],
        ]
    }

    /// Checks property values as Notion does and returns them as the stand-in keeps them.
    func values(_ properties: Any?, dataSource: String) throws -> [String: NotionStubValue] {
        guard let properties = properties as? [String: [String: Any]], let schema = schemas[dataSource] else {
            throw Self.invalid("body.properties should be an object.")
        }
        var result: [String: NotionStubValue] = [:]
        for (name, value) in properties {
            guard let type = schema[name] else { throw Self.invalid("\(name) is not a property that exists.") }
            switch type {
            case "title", "rich_text":
                guard let parts = value[type] as? [[String: Any]] else {
                    throw Self.invalid("body.properties.\(name).\(type) should be an array.")
                }
                guard parts.count <= 100 else {
                    throw Self.invalid(
                        "body.properties.\(name).\(type).length should be ≤ `100`, instead was `\(parts.count)`.")
                }
                var texts: [String] = []
                for (index, part) in parts.enumerated() {
                    guard let content = (part["text"] as? [String: Any])?["content"] as? String else {
                        throw Self.invalid("body.properties.\(name).\(type)[\(index)].text should be defined.")
                    }
                    // Notion counts JavaScript string length: UTF-16 code units.
                    guard content.utf16.count <= 2_000 else {
                        throw Self.invalid(
                            "body.properties.\(name).\(type)[\(index)].text.content.length should be ≤ `2000`, "
                                + "instead was `\(content.utf16.count)`.")
                    }
                    texts.append(content)
                }
                result[name] = .text(texts)
            case "select":
                let option = (value["select"] as? [String: Any])?["name"] as? String
                result[name] = .select(option)
            default:
                throw Self.invalid("\(name) has an unsupported type.")
            }
        }
        return result
    }

    func createPage(_ json: [String: Any]) throws -> [String: Any] {
        guard let parent = json["parent"] as? [String: Any], parent["type"] as? String == "data_source_id",
            let dataSource = parent["data_source_id"] as? String
        else { throw Self.invalid("body.parent.data_source_id should be defined, instead was `undefined`.") }
        guard schemas[dataSource] != nil else {
            throw NotionStubError(
                status: 404, code: "object_not_found",
                message: "Could not find data_source with ID: \(dataSource).")
        }
        let values = try values(json["properties"], dataSource: dataSource)
        let id = UUID().uuidString.lowercased()
        pages[id] = (dataSource, values, tick())
        order.append(id)
        return page(id)
    }

    func updatePage(_ id: String, _ json: [String: Any]) throws -> [String: Any] {
        guard var stored = pages[id] else {
            throw NotionStubError(status: 404, code: "object_not_found", message: "Could not find page with ID: \(id).")
        }
        stored.values.merge(try values(json["properties"], dataSource: stored.dataSource)) { $1 }
        stored.edited = tick()
        pages[id] = stored
        return page(id)
    }

    func query(_ dataSource: String, _ json: [String: Any]) throws -> [String: Any] {
        guard schemas[dataSource] != nil else {
            throw NotionStubError(
                status: 404, code: "object_not_found", message: "Could not find data_source with ID: \(dataSource).")
        }
        var matching = order.filter { pages[$0]?.dataSource == dataSource }
        if let filter = json["filter"] as? [String: Any] {
            guard let property = filter["property"] as? String, let type = schemas[dataSource]?[property],
                let condition = filter[type] as? [String: Any], let equals = condition["equals"] as? String
            else { throw Self.invalid("body.filter is not a supported filter.") }
            matching = matching.filter { id in
                if case .text(let parts) = pages[id]?.values[property] { return parts.joined() == equals }
                return equals.isEmpty
            }
        }
        let size = min(pageSize, json["page_size"] as? Int ?? 100)
        var start = 0
        if let cursor = json["start_cursor"] as? String {
            guard let index = matching.firstIndex(of: cursor) else { throw Self.invalid("start_cursor is invalid.") }
            start = index
        }
        let slice = Array(matching[start..<min(matching.count, start + size)])
        let more = start + size < matching.count
        return [
            "object": "list", "results": slice.map(page), "has_more": more,
            "next_cursor": more ? matching[start + size] : NSNull(), "type": "page_or_data_source",
        ]
    }

    func page(_ id: String) -> [String: Any] {
        guard let stored = pages[id] else { return [:] }
        var properties: [String: Any] = [:]
        for (name, type) in schemas[stored.dataSource] ?? [:] {
            switch stored.values[name] {
            case .text(let parts):
                properties[name] = [
                    "type": type,
                    type: parts.map { ["type": "text", "text": ["content": $0, "link": NSNull()], "plain_text": $0] },
                ]
            case .select(let option):
                properties[name] = [
                    "type": "select", "select": option.map { ["name": $0, "color": "default"] as Any } ?? NSNull(),
                ]
            case nil:
                properties[name] = ["type": type, type: type == "select" ? NSNull() as Any : [Any]() as Any]
            }
        }
        return [
            "object": "page", "id": id, "last_edited_time": Self.time(stored.edited),
            "parent": ["type": "data_source_id", "data_source_id": stored.dataSource], "properties": properties,
            "url": "https://www.notion.so/\(id.replacingOccurrences(of: "-", with: ""))",
        ]
    }
}
