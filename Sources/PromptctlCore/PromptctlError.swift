import Foundation

/// The process exit codes that promptctl promises; scripts and CI depend on them.
public enum ExitStatus: Int32, Sendable, Codable {
    /// Everything passed.
    case success = 0
    /// A gate failed: a threshold was missed, a regression found, a guard blocked, an alert fired.
    case gateFailed = 1
    /// The command line or a configuration file is wrong.
    case usageOrConfig = 2
    /// A provider or the infrastructure (network, database, file system) failed.
    case providerOrInfrastructure = 3
}

/// An error with a code, a message that says how to remedy it, and the cause underneath.
///
/// Modelled on SwiftNIO's `FileSystemError`: every error promptctl reports to a person is one
/// of these, so the executable can map it to an exit status and print it without a stack trace.
public struct PromptctlError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; decides the exit status.
    public enum Code: String, Sendable, Codable {
        /// Bad command-line usage.
        case usage
        /// A configuration, prompt, suite or rubric file is wrong.
        case config
        /// Something named does not exist (a prompt, a version, a run).
        case notFound
        /// A gate refused (threshold, regression, approval missing).
        case gateFailed
        /// An LLM or moderation provider failed after its retries.
        case provider
        /// The database, file system or network failed.
        case infrastructure
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, in one sentence.
    public var message: String
    /// How to fix it, when we know.
    public var remedy: String?
    /// Diagnostics with file:line:column, for configuration errors.
    public var diagnostics: [Diagnostic]
    /// The underlying error's description, when there is one.
    public var cause: String?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, remedy: String? = nil, diagnostics: [Diagnostic] = [],
        cause: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.remedy = remedy
        self.diagnostics = diagnostics
        self.cause = cause.map { String(describing: $0) }
    }

    /// The exit status this error maps to.
    public var exitStatus: ExitStatus {
        switch code {
        case .usage, .config, .notFound: .usageOrConfig
        case .gateFailed: .gateFailed
        case .provider, .infrastructure: .providerOrInfrastructure
        }
    }

    /// The text printed on stderr: diagnostics first (one per line), then the summary.
    public var description: String {
        var lines = diagnostics.map(\.description)
        var summary = "error: \(message)"
        if let remedy { summary += "\n  fix: \(remedy)" }
        if let cause { summary += "\n  cause: \(cause)" }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }
}

extension PromptctlError {
    /// The error as lint diagnostics: its own, or one naming its message and remedy when it carries none.
    public var asDiagnostics: [Diagnostic] {
        diagnostics.isEmpty ? [.error(message, at: nil, hint: remedy)] : diagnostics
    }
}
