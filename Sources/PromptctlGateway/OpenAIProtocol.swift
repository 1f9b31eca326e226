import Foundation
import Hummingbird
import PromptctlCore

/// The body of `POST /v1/chat/completions` as promptctl reads it: OpenAI's fields plus a `promptctl` object.
struct CompletionBody: Sendable {
    /// One message of the conversation as the client sent it.
    struct Message: Sendable {
        var role: MessageRole
        var content: String
    }

    /// `id@label` or `id@version`.
    var model: String
    var messages: [Message]
    var stream: Bool
    var variables: [String: String]
    var conversationID: String?
    var userID: String?
    var language: String?

    /// Parses a body; every problem is a 400 that says which field is wrong.
    static func parse(_ data: Data) throws(GatewayError) -> CompletionBody {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw GatewayError(.badRequest, "the body is not valid JSON", code: "invalid_json")
        }
        guard let root = object as? [String: Any] else {
            throw GatewayError(.badRequest, "the body must be a JSON object", code: "invalid_json")
        }
        guard let model = root["model"] as? String, !model.isEmpty else {
            throw GatewayError(
                .badRequest,
                "\"model\" must name a prompt and a label or version, e.g. gestante-acolhimento@production",
                param: "model")
        }
        guard let rawMessages = root["messages"] as? [Any], !rawMessages.isEmpty else {
            throw GatewayError(.badRequest, "\"messages\" must be a non-empty list of messages", param: "messages")
        }
        var messages: [Message] = []
        for (index, raw) in rawMessages.enumerated() {
            guard let map = raw as? [String: Any], let roleName = map["role"] as? String,
                let role = MessageRole(rawValue: roleName)
            else {
                throw GatewayError(
                    .badRequest, "messages[\(index)] needs a \"role\" of system, user or assistant",
                    param: "messages[\(index)].role")
            }
            let content: String
            if let text = map["content"] as? String {
                content = text
            } else if let parts = map["content"] as? [[String: Any]] {
                // The array form of OpenAI's content: only text parts can be rendered and guarded.
                content = parts.compactMap { $0["type"] as? String == "text" ? $0["text"] as? String : nil }
                    .joined(separator: "\n")
            } else {
                throw GatewayError(
                    .badRequest, "messages[\(index)].content must be a string or a list of text parts",
                    param: "messages[\(index)].content")
            }
            messages.append(Message(role: role, content: content))
        }
        let stream: Bool
        switch root["stream"] {
        case nil, is NSNull: stream = false
        case let flag as Bool: stream = flag
        default: throw GatewayError(.badRequest, "\"stream\" must be true or false", param: "stream")
        }
        var body = CompletionBody(model: model, messages: messages, stream: stream, variables: [:])
        if let extra = root["promptctl"], !(extra is NSNull) {
            guard let map = extra as? [String: Any] else {
                throw GatewayError(.badRequest, "\"promptctl\" must be an object", param: "promptctl")
            }
            if let variables = map["variables"], !(variables is NSNull) {
                guard let values = variables as? [String: Any] else {
                    throw GatewayError(
                        .badRequest, "\"promptctl.variables\" must be an object of names to values",
                        param: "promptctl.variables")
                }
                for (name, value) in values {
                    switch value {
                    case let text as String: body.variables[name] = text
                    case let number as NSNumber: body.variables[name] = number.stringValue
                    case let list as [String]: body.variables[name] = list.joined(separator: ",")
                    default:
                        throw GatewayError(
                            .badRequest, "variable '\(name)' must be a string, a number or a list of strings",
                            param: "promptctl.variables.\(name)")
                    }
                }
            }
            func text(_ key: String) throws(GatewayError) -> String? {
                switch map[key] {
                case nil, is NSNull: return nil
                case let value as String: return value
                case let number as NSNumber: return number.stringValue
                default:
                    throw GatewayError(.badRequest, "\"promptctl.\(key)\" must be a string", param: "promptctl.\(key)")
                }
            }
            body.conversationID = try text("conversation_id")
            body.userID = try text("user_id")
            body.language = try text("language")
        }
        return body
    }
}

/// An error the gateway answers in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}`.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// What went wrong, in words the caller can act on.
    public var message: String
    /// OpenAI's error type for the status.
    public var type: String
    /// The field at fault, when there is one.
    public var param: String?
    /// A machine-readable code.
    public var code: String?
    /// Seconds to wait before trying again (429).
    public var retryAfter: Double?

    /// Creates an error.
    public init(
        _ status: HTTPResponse.Status, _ message: String, param: String? = nil, code: String? = nil,
        retryAfter: Double? = nil
    ) {
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.retryAfter = retryAfter
        type =
            switch status.code {
            case 401: "authentication_error"
            case 404: "not_found_error"
            case 413: "request_too_large"
            case 429: "rate_limit_error"
            case 400..<500: "invalid_request_error"
            default: "api_error"
            }
    }

    public var description: String { "\(status.code) \(type): \(message)" }

    /// The JSON body.
    var json: Data {
        var error: [String: Any] = ["message": message, "type": type]
        error["param"] = param ?? NSNull()
        error["code"] = code ?? NSNull()
        return (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])) ?? Data()
    }

    /// The HTTP response.
    func response() -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = String(Int(retryAfter.rounded(.up))) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: json)))
    }
}

/// JSON of OpenAI's chat completion objects.
enum OpenAIShape {
    static func data(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    static func usage(prompt: Int, completion: Int) -> TokenCounts {
        TokenCounts(promptTokens: prompt, completionTokens: completion)
    }

    /// A `chat.completion` object, its keys in OpenAI's order. Written byte by byte: on every answer's path
    /// `JSONSerialization` with sorted keys cost about 0.2 ms of a request's time (Server-Timing, 2026-12-01), and
    /// `JSONEncoder`'s generic containers, which replaced it, were still 2% of the gateway's CPU at concurrency 64.
    static func completion(id: String, model: String, text: String, finishReason: String, usage: TokenCounts) -> Data {
        var writer = SortedJSONWriter(capacity: 256 + text.utf8.count + model.utf8.count)
        writer.beginObject()
        writer.field("id", id)
        writer.field("object", "chat.completion")
        writer.field("created", Int(Date().timeIntervalSince1970))
        writer.field("model", model)
        writer.key("choices")
        writer.beginArray()
        writer.beginObject()
        writer.field("index", 0)
        writer.key("message")
        writer.beginObject()
        writer.field("role", "assistant")
        writer.field("content", text)
        writer.endObject()
        writer.field("finish_reason", finishReason)
        writer.endObject()
        writer.endArray()
        writer.key("usage")
        writer.beginObject()
        writer.field("prompt_tokens", usage.promptTokens)
        writer.field("completion_tokens", usage.completionTokens)
        writer.field("total_tokens", usage.totalTokens)
        writer.endObject()
        writer.endObject()
        return writer.data
    }

    /// OpenAI's usage object.
    struct TokenCounts {
        var promptTokens: Int
        var completionTokens: Int
        var totalTokens: Int { promptTokens + completionTokens }
    }

    static func chunk(
        id: String, model: String, delta: [String: Any], finishReason: String?, usage: TokenCounts? = nil
    )
        -> String
    {
        var object: [String: Any] = [
            "id": id, "object": "chat.completion.chunk", "created": Int(Date().timeIntervalSince1970), "model": model,
            "choices": [["index": 0, "delta": delta, "finish_reason": finishReason.map { $0 as Any } ?? NSNull()]],
        ]
        if let usage {
            object["usage"] = [
                "prompt_tokens": usage.promptTokens, "completion_tokens": usage.completionTokens,
                "total_tokens": usage.totalTokens,
            ]
        }
        return "data: " + String(decoding: data(object), as: UTF8.self) + "\n\n"
    }
}
