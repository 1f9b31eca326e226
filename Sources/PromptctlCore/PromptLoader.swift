import Foundation
import Yams

/// Reads prompt version files (`prompts/**/*.yaml`) into `PromptVersion` values, checking their shape.
public enum PromptLoader {
    static let knownKeys = [
        "id", "version", "language", "persona", "tags", "description", "model", "variables", "messages",
    ]

    /// Parses one prompt file; problems go to `diagnostics`, and nil is returned when the file is unusable.
    public static func load(_ file: YAMLFile, diagnostics: DiagnosticCollector) -> PromptVersion? {
        let root: Node
        do {
            root = try file.parse()
        } catch let error as PromptctlError {
            error.diagnostics.forEach(diagnostics.emit)
            return nil
        } catch {
            diagnostics.error("\(error)", at: SourceLocation(file: file.displayPath, line: 1, column: 1))
            return nil
        }
        let path = file.displayPath
        guard let reader = MappingReader(root, file: path, diagnostics: diagnostics, context: "prompt") else {
            return nil
        }
        let before = diagnostics.diagnostics.count
        let id = reader.string("id", required: true)
        if let id, !isValidID(id) {
            diagnostics.error(
                "prompt id '\(id)' may hold only lower-case letters, digits, '-' and '_'",
                at: reader.location(ofKey: "id"), hint: "rename it, for example 'pregnancy-guide'")
        }
        var version: SemanticVersion?
        if let text = reader.string("version", required: true) {
            version = SemanticVersion(text)
            if version == nil {
                diagnostics.error(
                    "version '\(text)' is not a semantic version", at: reader.location(ofKey: "version"),
                    hint: "write MAJOR.MINOR.PATCH in quotes, for example version: \"1.2.0\"")
            }
        }
        let language = reader.string("language", required: true)
        if let language, !LanguageTag.isWellFormed(language) {
            diagnostics.error(
                "language '\(language)' is not a BCP 47 tag", at: reader.location(ofKey: "language"),
                hint: "write pt-BR, en or es")
        }
        let persona = reader.string("persona", required: true)
        let tags = reader.strings("tags") ?? []
        let description = reader.string("description") ?? ""
        let model = reader.mapping("model", required: true).flatMap { modelSettings($0) }
        var variables: [PromptVariable] = []
        for node in reader.sequence("variables") ?? [] {
            if let variable = self.variable(node, path: path, diagnostics: diagnostics) {
                if variables.contains(where: { $0.name == variable.name }) {
                    diagnostics.error(
                        "variable '\(variable.name)' is declared twice",
                        at: MappingReader.location(of: node, file: path), hint: "keep one declaration")
                }
                variables.append(variable)
            }
        }
        var messages: [MessageTemplate] = []
        let messageNodes = reader.sequence("messages", required: true) ?? []
        for node in messageNodes {
            if let message = self.message(node, path: path, diagnostics: diagnostics) { messages.append(message) }
        }
        if reader.value("messages") != nil && messageNodes.isEmpty {
            diagnostics.error(
                "the prompt has no messages", at: reader.location(ofKey: "messages"),
                hint: "add at least '- role: system' with a template")
        }
        reader.rejectUnknownKeys()
        guard
            diagnostics.diagnostics.count == before
                || !diagnostics.diagnostics[before...].contains(where: { $0.severity == .error }),
            let id, let version, let language, let persona, let model
        else { return nil }
        return PromptVersion(
            id: id, version: version, language: language, persona: persona, tags: tags, description: description,
            model: model, variables: variables, messages: messages, file: path)
    }

    /// Whether an id is usable in files, URLs and references.
    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty
            && id.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
            }
    }

    static func modelSettings(_ reader: MappingReader) -> ModelSettings? {
        let model = reader.string("model", required: true)
        var settings = ModelSettings(model: model ?? "")
        settings.provider = reader.string("provider")
        settings.temperature = reader.double("temperature", in: 0...2)
        settings.maxTokens = reader.int("max_tokens", in: 1...1_000_000)
        settings.topP = reader.double("top_p", in: 0...1)
        settings.stop = reader.strings("stop")
        settings.seed = reader.int("seed")
        settings.jsonMode = reader.bool("json_mode")
        reader.rejectUnknownKeys()
        if let temperature = settings.temperature, !(0...2).contains(temperature) {
            reader.diagnostics.error(
                "temperature \(temperature) is outside 0...2", at: reader.location(ofKey: "temperature"),
                hint: "use a value such as 0.3")
        }
        if let maxTokens = settings.maxTokens, maxTokens < 1 {
            reader.diagnostics.error("max_tokens must be positive", at: reader.location(ofKey: "max_tokens"))
        }
        return model == nil ? nil : settings
    }

    static func variable(_ node: Node, path: String, diagnostics: DiagnosticCollector) -> PromptVariable? {
        guard let reader = MappingReader(node, file: path, diagnostics: diagnostics, context: "variable") else {
            return nil
        }
        let name = reader.string("name", required: true)
        if let name, name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            diagnostics.error(
                "variable name '\(name)' may hold only letters, digits and '_'", at: reader.location(ofKey: "name"))
        }
        var type = VariableType.string
        if let text = reader.string("type") {
            if let parsed = VariableType(rawValue: text) {
                type = parsed
            } else {
                diagnostics.error(
                    "variable type '\(text)' is unknown", at: reader.location(ofKey: "type"),
                    hint: "use one of \(VariableType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let required = reader.bool("required") ?? true
        let defaultValue = reader.string("default")
        let description = reader.string("description")
        let example = reader.string("example")
        reader.rejectUnknownKeys()
        for (key, value) in [("default", defaultValue), ("example", example)] {
            if let value, !type.accepts(value) {
                diagnostics.error(
                    "\(key) '\(value)' is not a valid \(type.rawValue)", at: reader.location(ofKey: key))
            }
        }
        guard let name else { return nil }
        return PromptVariable(
            name: name, type: type, required: required, defaultValue: defaultValue, description: description,
            example: example, location: reader.location)
    }

    static func message(_ node: Node, path: String, diagnostics: DiagnosticCollector) -> MessageTemplate? {
        guard let reader = MappingReader(node, file: path, diagnostics: diagnostics, context: "message") else {
            return nil
        }
        let roleText = reader.string("role", required: true)
        let template = reader.string("template", required: true)
        // Where the template's first character is, so render errors can point inside it.
        var location = reader.location(ofKey: "template")
        if let templateNode = reader.value("template") {
            location = MappingReader.location(of: templateNode, file: path)
            if case .scalar(let scalar) = templateNode, scalar.style == .literal || scalar.style == .folded {
                location.line += 1
            }
        }
        reader.rejectUnknownKeys()
        guard let roleText else { return nil }
        guard let role = MessageRole(rawValue: roleText) else {
            diagnostics.error(
                "message role '\(roleText)' is unknown", at: reader.location(ofKey: "role"),
                hint: "use system, user or assistant")
            return nil
        }
        guard let template else { return nil }
        return MessageTemplate(role: role, template: template, location: location)
    }
}
