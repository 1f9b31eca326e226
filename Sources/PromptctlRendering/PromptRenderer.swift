import Foundation
import Mustache
import PromptctlCore

/// Renders prompt versions into chat messages: strict about variables and partials, text mode, whitespace kept.
public struct PromptRenderer: Sendable {
    /// The project whose partials are used.
    public let project: Project

    /// Creates a renderer.
    public init(project: Project) { self.project = project }

    /// Checks values against the declarations and fills in defaults.
    ///
    /// Unknown names and missing required values are errors that name the variable, its
    /// description and an example, so the person at the terminal can fix the call.
    public func resolveValues(for prompt: PromptVersion, values: [String: String]) throws -> [String: String] {
        var resolved: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for name in values.keys.sorted() where prompt.variable(named: name) == nil {
            let suggestion = MappingReader.nearest(to: name, in: prompt.variables.map(\.name))
            diagnostics.append(
                .error(
                    "\(prompt.key) declares no variable '\(name)'",
                    hint: suggestion.map { "did you mean '\($0)'?" }
                        ?? "declared: \(prompt.variables.map(\.name).joined(separator: ", "))"))
        }
        for variable in prompt.variables {
            if let value = values[variable.name] {
                if !variable.type.accepts(value) {
                    diagnostics.append(
                        .error(
                            "variable '\(variable.name)' must be \(variable.type.rawValue), got '\(value)'",
                            at: variable.location))
                }
                resolved[variable.name] = value
            } else if let value = variable.defaultValue {
                resolved[variable.name] = value
            } else if variable.required {
                var hint = "pass --var \(variable.name)=VALUE"
                if let example = variable.example { hint += " (for example --var \(variable.name)=\"\(example)\")" }
                if let description = variable.description { hint += "; it is: \(description)" }
                diagnostics.append(
                    .error(
                        "missing required variable '\(variable.name)' for \(prompt.key)", at: variable.location,
                        hint: hint))
            }
        }
        if !diagnostics.isEmpty {
            throw PromptctlError(.usage, "cannot render \(prompt.key)", diagnostics: diagnostics)
        }
        return resolved
    }

    /// The library of partials a prompt can reach, resolved for its language; missing ones are errors.
    public func partialLibrary(for prompt: PromptVersion) throws -> (library: MustacheLibrary, texts: [String: String])
    {
        var library = MustacheLibrary()
        var texts: [String: String] = [:]
        var pending: [(name: String, from: SourceLocation?)] = []
        for message in prompt.messages {
            pending += TemplateAnalyzer.partialNames(in: message.template).sorted().map { ($0, message.location) }
        }
        while let (name, from) = pending.popLast() {
            if texts[name] != nil { continue }
            guard let partial = project.partial(named: name, language: prompt.language) else {
                let known = Set(project.partials.map(\.name)).sorted()
                throw PromptctlError(
                    .config, "partial '\(name)' not found for \(prompt.key)",
                    diagnostics: [
                        .error(
                            "partial '\(name)' does not exist for language \(prompt.language)", at: from,
                            hint: known.isEmpty
                                ? "create prompts/partials/\(name).\(prompt.language).mustache"
                                : "known partials: \(known.joined(separator: ", ")); or create prompts/partials/\(name).\(prompt.language).mustache"
                        )
                    ])
            }
            texts[name] = partial.template
            let location = SourceLocation(file: partial.file, line: 1, column: 1)
            library.register(try TemplateAnalyzer.compile(partial.template, location: location), named: name)
            pending += TemplateAnalyzer.partialNames(in: partial.template).sorted().map { ($0, location) }
        }
        try checkPartialNesting(for: prompt, texts: texts)
        return (library, texts)
    }

    /// Refuses a template that uses a variable the prompt does not declare: Mustache would render it as empty
    /// text, and the model would get a prompt with a hole in it while the command said nothing.
    func checkDeclared(_ prompt: PromptVersion, partialTexts: [String: String]) throws {
        let declared = Set(prompt.variables.map(\.name))
        var diagnostics: [Diagnostic] = []
        for message in prompt.messages {
            let used = try TemplateAnalyzer.usage(of: message.template, location: message.location).variables
            for name in used.subtracting(declared).sorted() {
                diagnostics.append(Self.undeclared(name, at: message.location))
            }
        }
        for (name, text) in partialTexts.sorted(by: { $0.key < $1.key }) {
            let file = project.partial(named: name, language: prompt.language)?.file ?? name
            let location = SourceLocation(file: file, line: 1, column: 1)
            for variable in try TemplateAnalyzer.usage(of: text, location: location).variables.subtracting(declared)
                .sorted()
            {
                diagnostics.append(Self.undeclared(variable, at: location))
            }
        }
        if !diagnostics.isEmpty {
            throw PromptctlError(
                .config, "cannot render \(prompt.key): its templates use undeclared variables", diagnostics: diagnostics
            )
        }
    }

    /// The diagnostic for a variable used but not declared (the same words as lint's).
    public static func undeclared(_ name: String, at location: SourceLocation?) -> Diagnostic {
        .error(
            "the template uses '\(name)', which is not declared", at: location,
            hint: "declare it under 'variables:' (name, type, required, example) or fix the name")
    }

    /// How deep partials may include partials; deeper nesting is refused as a configuration error.
    public static let maxPartialDepth = 8

    /// Refuses a partial that includes itself, directly or through others, and nesting deeper than
    /// `maxPartialDepth`: Mustache would recurse until the stack overflows and the process dies.
    func checkPartialNesting(for prompt: PromptVersion, texts: [String: String]) throws {
        let children = texts.mapValues { TemplateAnalyzer.partialNames(in: $0).sorted() }
        func file(_ name: String) -> String { project.partial(named: name, language: prompt.language)?.file ?? name }
        var done: Set<String> = []
        func visit(_ name: String, _ path: [String]) throws {
            if let start = path.firstIndex(of: name) {
                let chain = (path[start...] + [name]).map(file).joined(separator: " → ")
                throw PromptctlError(
                    .config, "partial '\(name)' includes itself: \(chain)",
                    remedy: "remove the {{> \(name)}} that closes the loop",
                    diagnostics: [
                        .error(
                            "partials include each other in a loop: \(chain)",
                            at: SourceLocation(file: file(path.last ?? name), line: 1, column: 1),
                            hint: "a partial may not include itself, directly or through another partial")
                    ])
            }
            let path = path + [name]
            if path.count > Self.maxPartialDepth {
                let chain = path.map(file).joined(separator: " → ")
                throw PromptctlError(
                    .config, "partials nest deeper than \(Self.maxPartialDepth) levels: \(chain)",
                    remedy: "flatten the partials",
                    diagnostics: [
                        .error(
                            "partials nest deeper than \(Self.maxPartialDepth) levels: \(chain)",
                            at: SourceLocation(file: file(name), line: 1, column: 1), hint: "flatten the partials")
                    ])
            }
            if done.contains(name) && path.count == 1 { return }
            for child in children[name] ?? [] { try visit(child, path) }
            if path.count == 1 { done.insert(name) }
        }
        var roots: [String] = []
        for message in prompt.messages { roots += TemplateAnalyzer.partialNames(in: message.template).sorted() }
        for root in roots { try visit(root, []) }
    }

    /// Renders every message of a prompt.
    public func render(_ prompt: PromptVersion, values: [String: String]) throws -> [ChatMessage] {
        try prepare(prompt).render(values)
    }

    /// Compiles a prompt's templates and partials once, for rendering it many times.
    public func prepare(_ prompt: PromptVersion) throws -> PreparedPrompt {
        let (library, texts) = try partialLibrary(for: prompt)
        let templates = try prompt.messages.map { try TemplateAnalyzer.compile($0.template, location: $0.location) }
        try checkDeclared(prompt, partialTexts: texts)
        return PreparedPrompt(renderer: self, prompt: prompt, library: library, templates: templates)
    }

    /// The release hash of a prompt with the partials it uses.
    public func releaseHash(of prompt: PromptVersion) throws -> String {
        prompt.releaseHash(partialTexts: try partialLibrary(for: prompt).texts)
    }

    /// Whether a value opens a `{{#section}}` over it.
    public static func opensSection(_ value: String, type: VariableType) -> Bool {
        guard !value.isEmpty else { return false }
        switch templateValue(value, type: type) {
        case let flag as Bool: return flag
        case let list as [String]: return !list.isEmpty
        default: return true
        }
    }

    /// Turns a text value into what Mustache sections expect: booleans and lists become real ones.
    static func templateValue(_ value: String, type: VariableType) -> Any {
        switch type {
        case .boolean:
            return ["true", "yes"].contains(value.lowercased())
        case .list:
            return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .string, .integer, .number:
            return value
        }
    }
}

/// A prompt with its templates compiled: rendering it again costs only the substitution.
public struct PreparedPrompt: Sendable {
    let renderer: PromptRenderer
    /// The prompt version.
    public let prompt: PromptVersion
    let library: MustacheLibrary
    let templates: [MustacheTemplate]

    /// Renders with values (checked against the declarations).
    public func render(_ values: [String: String]) throws -> [ChatMessage] {
        let resolved = try renderer.resolveValues(for: prompt, values: values)
        var context: [String: Any] = [:]
        // An empty value is left out of the context, so that it is falsey in a section as authors expect from
        // mustache.js and Handlebars: `{{#user_name}}…{{/user_name}}` stays closed when no name was given.
        for (name, value) in resolved where !value.isEmpty {
            context[name] = PromptRenderer.templateValue(value, type: prompt.variable(named: name)?.type ?? .string)
        }
        return zip(prompt.messages, templates).map { message, template in
            ChatMessage(role: message.role, content: template.render(context, library: library))
        }
    }
}
