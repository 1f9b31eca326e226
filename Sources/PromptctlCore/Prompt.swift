import Foundation

/// The type a declared template variable must have.
public enum VariableType: String, Sendable, Codable, CaseIterable {
    case string, integer, number, boolean, list

    /// Whether a command-line text value is acceptable for this type.
    public func accepts(_ text: String) -> Bool {
        switch self {
        case .string, .list: true
        case .integer: Int(text) != nil
        case .number: Double(text) != nil
        case .boolean: ["true", "false", "yes", "no"].contains(text.lowercased())
        }
    }
}

/// A variable a prompt template declares: its name, type and whether the caller must supply it.
public struct PromptVariable: Sendable, Hashable, Codable {
    /// The name used in the template (`{{name}}`).
    public var name: String
    /// The expected type.
    public var type: VariableType
    /// Whether a value must be supplied (a default counts as supplied).
    public var required: Bool
    /// The value used when none is given.
    public var defaultValue: String?
    /// What the variable means.
    public var description: String?
    /// A realistic value, used by `render --example` and by lint.
    public var example: String?
    /// Where it is declared, for lint messages.
    public var location: SourceLocation?

    /// Creates a variable.
    public init(
        name: String, type: VariableType = .string, required: Bool = true, defaultValue: String? = nil,
        description: String? = nil, example: String? = nil, location: SourceLocation? = nil
    ) {
        self.location = location
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.description = description
        self.example = example
    }

    enum CodingKeys: String, CodingKey {
        case name, type, required, description, example
        case defaultValue = "default"
    }
}

/// The role of a chat message.
public enum MessageRole: String, Sendable, Codable, CaseIterable {
    case system, user, assistant
}

/// One message of a prompt, as a Mustache template.
public struct MessageTemplate: Sendable, Hashable, Codable {
    /// Who speaks.
    public var role: MessageRole
    /// The Mustache template text.
    public var template: String
    /// Where the template starts in its file, for render errors.
    public var location: SourceLocation?

    /// Creates a message template.
    public init(role: MessageRole, template: String, location: SourceLocation? = nil) {
        self.role = role
        self.template = template
        self.location = location
    }

    enum CodingKeys: String, CodingKey { case role, template }
}

/// Model settings a prompt version ships with; providers map them to their APIs.
public struct ModelSettings: Sendable, Hashable, Codable {
    /// The provider name from `promptctl.yaml`, when the prompt pins one.
    public var provider: String?
    /// The model name.
    public var model: String
    /// Sampling temperature.
    public var temperature: Double?
    /// Upper bound on generated tokens.
    public var maxTokens: Int?
    /// Nucleus sampling.
    public var topP: Double?
    /// Stop sequences.
    public var stop: [String]?
    /// Random seed, where the provider supports it.
    public var seed: Int?
    /// Ask for a JSON object answer.
    public var jsonMode: Bool?

    /// Creates settings.
    public init(
        provider: String? = nil, model: String, temperature: Double? = nil, maxTokens: Int? = nil,
        topP: Double? = nil, stop: [String]? = nil, seed: Int? = nil, jsonMode: Bool? = nil
    ) {
        self.provider = provider
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.topP = topP
        self.stop = stop
        self.seed = seed
        self.jsonMode = jsonMode
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, temperature, stop, seed
        case maxTokens = "max_tokens"
        case topP = "top_p"
        case jsonMode = "json_mode"
    }
}

/// A reference to a prompt: `id`, `id@1.2.0`, or `id@production`.
public struct PromptReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What follows the `@`.
    public enum Selector: Sendable, Hashable, Codable {
        /// The highest released version.
        case latest
        /// An exact version.
        case version(SemanticVersion)
        /// Whatever version a label points at.
        case label(String)
    }

    /// The prompt id.
    public var id: String
    /// Which version.
    public var selector: Selector

    /// Creates a reference.
    public init(id: String, selector: Selector = .latest) {
        self.id = id
        self.selector = selector
    }

    /// Parses `id[@version|@label]`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let id = String(parts[0])
        guard !id.isEmpty else {
            throw PromptctlError(.usage, "'\(text)' names no prompt", remedy: "write ID, ID@VERSION or ID@LABEL")
        }
        self.id = id
        if parts.count == 1 {
            selector = .latest
        } else if let version = SemanticVersion(String(parts[1])) {
            selector = .version(version)
        } else if !parts[1].isEmpty {
            selector = .label(String(parts[1]))
        } else {
            throw PromptctlError(.usage, "'\(text)' has nothing after '@'", remedy: "write ID@1.2.0 or ID@production")
        }
    }

    public var description: String {
        switch selector {
        case .latest: id
        case .version(let version): "\(id)@\(version)"
        case .label(let label): "\(id)@\(label)"
        }
    }
}

/// One version of a prompt, as read from one YAML file in `prompts/`.
public struct PromptVersion: Sendable, Hashable, Codable {
    /// Stable identifier shared by all versions of the prompt.
    public var id: String
    /// This version.
    public var version: SemanticVersion
    /// BCP 47 language tag: pt-BR, en or es.
    public var language: String
    /// The persona the assistant plays (declared in `promptctl.yaml`).
    public var persona: String
    /// Free tags for filtering.
    public var tags: [String]
    /// What the prompt is for.
    public var description: String
    /// Model settings.
    public var model: ModelSettings
    /// Declared variables.
    public var variables: [PromptVariable]
    /// The message templates, in order.
    public var messages: [MessageTemplate]
    /// The file it came from, relative to the project.
    public var file: String

    /// Creates a prompt version.
    public init(
        id: String, version: SemanticVersion, language: String, persona: String, tags: [String] = [],
        description: String = "", model: ModelSettings, variables: [PromptVariable], messages: [MessageTemplate],
        file: String
    ) {
        self.id = id
        self.version = version
        self.language = language
        self.persona = persona
        self.tags = tags
        self.description = description
        self.model = model
        self.variables = variables
        self.messages = messages
        self.file = file
    }

    /// `id@version`.
    public var key: String { "\(id)@\(version)" }

    /// The declared variable with this name.
    public func variable(named name: String) -> PromptVariable? { variables.first { $0.name == name } }

    /// Values built from each variable's example, or its default; used by lint and the main job.
    public var exampleValues: [String: String] {
        var values: [String: String] = [:]
        for variable in variables {
            if let example = variable.example ?? variable.defaultValue { values[variable.name] = example }
        }
        return values
    }
}

/// A template fragment shared by prompts, optionally specific to a language (`safety-footer.pt-BR`).
public struct Partial: Sendable, Hashable, Codable {
    /// The name used in templates (`{{> safety-footer}}`).
    public var name: String
    /// The language it is written for; nil when it serves every language.
    public var language: String?
    /// The template text.
    public var template: String
    /// The file it came from.
    public var file: String

    /// Creates a partial.
    public init(name: String, language: String?, template: String, file: String) {
        self.name = name
        self.language = language
        self.template = template
        self.file = file
    }
}
