import Foundation
import PromptctlCore

/// The review database's properties, named as nurses read them in Notion.
public enum ReviewProperty: String, CaseIterable, Sendable {
    case item = "Item"
    case key = "Chave"
    case week = "Semana"
    case prompt = "Prompt"
    case version = "Versão"
    case language = "Idioma"
    case guards = "Proteções"
    case userMessage = "Mensagem da usuária"
    case response = "Resposta"
    case reviewer = "Revisora"
    case clinicalCoherence = "Coerência clínica"
    case friendlyTone = "Tom acolhedor"
    case safe = "Segura?"
    case sendAsIs = "Enviaria como está?"
    case comment = "Comentário"
    case correctedAnswer = "Resposta corrigida"

    /// The Notion property types the review uses.
    public enum Kind: Sendable, Hashable {
        case title
        case richText
        case select([String])
    }

    /// The answers of a 1–5 rating.
    public static let scale = (1...5).map(String.init)
    /// The answers of a yes/no question.
    public static let yesNo = ["sim", "não"]

    /// How Notion stores the property.
    public var kind: Kind {
        switch self {
        case .item: .title
        case .clinicalCoherence, .friendlyTone: .select(Self.scale)
        case .safe, .sendAsIs: .select(Self.yesNo)
        default: .richText
        }
    }

    /// Whether push writes it; the others are the nurses' and a push never touches them.
    public var isPushed: Bool {
        switch self {
        case .item, .key, .week, .prompt, .version, .language, .guards, .userMessage, .response: true
        case .reviewer, .clinicalCoherence, .friendlyTone, .safe, .sendAsIs, .comment, .correctedAnswer: false
        }
    }

    /// The data source's schema, for `POST /v1/databases` (`initial_data_source.properties`).
    public static var schema: JSONValue {
        var properties: [String: JSONValue] = [:]
        for property in allCases {
            switch property.kind {
            case .title: properties[property.rawValue] = ["title": [:]]
            case .richText: properties[property.rawValue] = ["rich_text": [:]]
            case .select(let options):
                properties[property.rawValue] = [
                    "select": ["options": .array(options.map { ["name": .string($0)] })]
                ]
            }
        }
        return .object(properties)
    }
}

/// Rich text as Notion takes it: at most 2,000 characters per text object and 100 objects per property.
public enum NotionText {
    /// Notion's limit per text object, counted in UTF-16 code units as its API counts them.
    public static let maxObjectLength = 2_000
    /// Notion's limit of objects in one rich-text array.
    public static let maxObjects = 100

    /// The text split into pieces of at most `maxObjectLength`, never inside a character; joined they give it back.
    public static func chunks(_ text: String, limit: Int = maxObjectLength) -> [String] {
        var pieces: [String] = []
        var current = ""
        var length = 0
        for character in text {
            let size = character.utf16.count
            if length + size > limit, !current.isEmpty {
                pieces.append(current)
                current = ""
                length = 0
            }
            current.append(character)
            length += size
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// The rich-text array for a text; throws when even 100 objects cannot hold it (never cut silently).
    public static func richText(_ text: String, property: ReviewProperty) throws -> JSONValue {
        let pieces = chunks(text)
        guard pieces.count <= maxObjects else {
            throw PromptctlError(
                .usage,
                "'\(property.rawValue)' holds \(text.utf16.count) characters, more than Notion's "
                    + "\(maxObjects) × \(maxObjectLength) per property",
                remedy: "review this item with 'promptctl review export' instead")
        }
        return .array(pieces.map { ["type": "text", "text": ["content": .string($0)]] })
    }

    /// The plain text of a title or rich-text property value.
    public static func plain(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        let parts = value["title"]?.array ?? value["rich_text"]?.array ?? []
        return parts.map { $0["plain_text"]?.string ?? $0["text"]?["content"]?.string ?? "" }.joined()
    }

    /// The chosen option of a select property value.
    public static func selected(_ value: JSONValue?) -> String? {
        value?["select"]?["name"]?.string
    }
}
