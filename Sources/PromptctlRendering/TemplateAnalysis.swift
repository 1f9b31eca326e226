import Foundation
import Mustache
import PromptctlCore

/// What a template uses: the root variables it looks up and the partials it includes.
public struct TemplateUsage: Sendable, Hashable {
    /// Root variable names (`weeks` for `{{weeks}}`, `mother` for `{{mother.name}}`).
    public var variables: Set<String>
    /// Partial names (`safety-footer` for `{{> safety-footer}}`).
    public var partials: Set<String>
}

/// Finds the variables and partials a Mustache template uses.
///
/// Variables are found by rendering the template against a recording context, so the
/// answer is swift-mustache's own reading of the template (sections, inverted sections,
/// dotted names), not a second parser's. Partial names are read from `{{> name}}` tags,
/// because swift-mustache resolves partials silently and does not expose its tokens.
public enum TemplateAnalyzer {
    /// Marks the template as plain text: no HTML escaping inside prompts.
    public static let textPragma = "{{%CONTENT_TYPE:TEXT}}"

    /// Parses a template in text mode; syntax errors point into the file.
    public static func compile(_ text: String, location: SourceLocation?) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: textPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            let line = error.context.lineNumber
            var column = error.context.columnNumber
            if line == 1 { column = max(1, column - textPragma.count) }
            var position = location ?? SourceLocation(file: "<template>", line: 1, column: 1)
            if line > 1 { position.column = column } else { position.column += column - 1 }
            // The text-mode pragma is ours, prepended to line 1; the author never wrote it.
            var near = error.context.line.trimmingCharacters(in: .whitespaces)
            if line == 1, near.hasPrefix(textPragma) { near = String(near.dropFirst(textPragma.count)) }
            position.line += line - 1
            throw PromptctlError(
                .config, "template syntax error",
                diagnostics: [
                    .error(
                        "template syntax error: \(describe(error.error)) near '\(near)'",
                        at: position, hint: "close every {{#section}} with {{/section}} and every tag with }}")
                ])
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: "a section is closed with the wrong name"
        case MustacheTemplate.Error.unfinishedName: "a tag is not finished"
        case MustacheTemplate.Error.expectedSectionEnd: "a section is never closed"
        case MustacheTemplate.Error.invalidSetDelimiter: "invalid delimiter change"
        default: String(describing: error)
        }
    }

    /// The variables and partials a template uses.
    public static func usage(of text: String, location: SourceLocation? = nil) throws -> TemplateUsage {
        let template = try compile(text, location: location)
        let truthy = RecordingContext(answersWithValues: true)
        _ = template.render(truthy)
        let falsy = RecordingContext(answersWithValues: false)
        _ = template.render(falsy)
        return TemplateUsage(variables: truthy.names.union(falsy.names), partials: partialNames(in: text))
    }

    /// Names in `{{> name}}` tags.
    public static func partialNames(in text: String) -> Set<String> { tagNames(in: text, sigil: ">") }

    /// Names that open sections, `{{#name}}` (the root name of a dotted one).
    public static func sectionNames(in text: String) -> Set<String> {
        Set(tagNames(in: text, sigil: "#").map { String($0.prefix { $0 != "." }) })
    }

    static func tagNames(in text: String, sigil: Character) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            let afterSpaces = rest.drop { $0 == " " }
            guard afterSpaces.first == sigil else { continue }
            let name = afterSpaces.dropFirst().drop { $0 == " " }.prefix { $0 != "}" && $0 != " " }
            if !name.isEmpty { names.insert(String(name)) }
        }
        return names
    }
}

/// A context that records every root name looked up; nested lookups go to child recorders.
final class RecordingContext: MustacheParent, CustomStringConvertible {
    private(set) var names: Set<String> = []
    private let answersWithValues: Bool
    private let isRoot: Bool

    init(answersWithValues: Bool, isRoot: Bool = true) {
        self.answersWithValues = answersWithValues
        self.isRoot = isRoot
    }

    func child(named name: String) -> Any? {
        if isRoot { names.insert(name) }
        return answersWithValues ? RecordingContext(answersWithValues: true, isRoot: false) : nil
    }

    var description: String { "" }
}
