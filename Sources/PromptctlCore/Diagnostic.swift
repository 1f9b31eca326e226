import Foundation

/// A position in a source file, 1-based, as editors and compilers print it.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file's path as the user named it (relative to the project where possible).
    public var file: String
    /// Line number, starting at 1.
    public var line: Int
    /// Column number, starting at 1, counted in Unicode scalars.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`.
    public var description: String { "\(file):\(line):\(column)" }
}

/// One finding about the user's input: an error, a warning or a note, with where and how to fix it.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Codable, Comparable {
        case note, warning, error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// How serious it is.
    public var severity: Severity
    /// What is wrong.
    public var message: String
    /// Where, when known.
    public var location: SourceLocation?
    /// How to fix it, when we can say.
    public var hint: String?

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil, hint: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.hint = hint
    }

    /// Creates an error diagnostic.
    public static func error(_ message: String, at location: SourceLocation? = nil, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location, hint: hint)
    }

    /// Creates a warning diagnostic.
    public static func warning(_ message: String, at location: SourceLocation? = nil, hint: String? = nil) -> Diagnostic
    {
        Diagnostic(.warning, message, at: location, hint: hint)
    }

    /// `path:line:column: error: message (hint)`, the form compilers use, so editors can jump to it.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "\(severity.rawValue): \(message)"
        if let hint { text += "; \(hint)" }
        return text
    }
}

/// Collects diagnostics while a file is read, so that one pass reports every problem at once.
public final class DiagnosticCollector {
    /// Everything found so far, in order.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Creates an empty collector.
    public init() {}

    /// Records a diagnostic.
    public func emit(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// Records an error.
    public func error(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        emit(.error(message, at: location, hint: hint))
    }

    /// Records a warning.
    public func warning(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        emit(.warning(message, at: location, hint: hint))
    }

    /// Whether any error was recorded.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Throws a configuration error carrying every diagnostic when any is an error.
    public func throwIfErrors(_ summary: String) throws {
        if hasErrors {
            throw PromptctlError(.config, summary, diagnostics: diagnostics)
        }
    }
}
