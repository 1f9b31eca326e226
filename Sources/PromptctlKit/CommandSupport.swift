import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlGuards
import PromptctlMonitor
import PromptctlReports
import PromptctlStore

// The vocabulary the commands speak, re-exported by the application layer so that the executable imports
// PromptctlKit and nothing else: these names are part of Kit's API, not a way around it.

/// Exit statuses (stable API): 0 pass, 1 gate failed, 2 usage or config, 3 provider or infrastructure.
public typealias ExitStatus = PromptctlCore.ExitStatus
/// An error with an exit status and a remedy.
public typealias PromptctlError = PromptctlCore.PromptctlError
/// Output formats; each command accepts the subset it can print.
public typealias OutputFormat = PromptctlCore.OutputFormat
/// Whether a guard checks her message (input) or an answer (output).
public typealias GuardStage = PromptctlGuards.GuardStage
/// A moderation provider a policy or a command can name.
public typealias ModerationProviderName = PromptctlGuards.ModerationProviderName
/// The time bucket of a cost report.
public typealias CostBucket = PromptctlStore.CostBucket
/// How to group a cost report.
public typealias CostGrouping = PromptctlStore.CostGrouping

/// Thresholds of the 24-hour cost, latency and error-rate check.
public typealias CheckThresholds = PromptctlMonitor.CheckThresholds

/// An aligned plain-text table for terminals.
public typealias TextTable = PromptctlReports.TextTable

/// How a failure ends the process.
public enum FailureReport {
    /// The message and exit status of promptctl's own errors; nil for any other error.
    public static func describe(_ error: any Error) -> (message: String, status: Int32)? {
        guard let error = error as? PromptctlError else { return nil }
        return (error.description, error.exitStatus.rawValue)
    }
}

/// Values typed on the command line that every command reads the same way.
public enum CommandValues {
    /// `2026-11-25` or `2026-11-25T14:00:00Z`.
    public static func date(_ text: String, flag: String) throws -> Date {
        guard let date = Timestamp.parse(text) else {
            throw PromptctlError(
                .usage, "\(flag) '\(text)' is not a date", remedy: "use 2026-11-25 or 2026-11-25T14:00:00Z")
        }
        return date
    }

    /// "20%", "20" or "0.2" → 0.2 (numbers above 1 are percentages).
    public static func fraction(_ text: String, flag: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: "% pt"))
        guard let value = Double(trimmed), value >= 0, value.isFinite else {
            throw PromptctlError(.usage, "\(flag) '\(text)' is not a percentage", remedy: "write 20% or 0.2")
        }
        return text.contains("%") || value > 1 ? value / 100 : value
    }

    /// Reads a file named on the command line: a path, `-` for standard input, or a pipe such as `<(…)`.
    ///
    /// Why not `FileManager.contents(atPath:)`: it refuses what is not a regular file, so process substitution
    /// (`/dev/fd/63`) failed with "cannot read".
    public static func read(_ path: String, workspace: Workspace) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        let absolute = workspace.absolute(path)
        guard let handle = FileHandle(forReadingAtPath: absolute) else {
            throw PromptctlError(
                .usage, "cannot read \(path)",
                remedy: "check the path and its permissions, or pass - for standard input")
        }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw PromptctlError(.usage, "cannot read \(path)", cause: error)
        }
    }

    /// Data as JSON for `--format json`: sorted keys, ISO dates, pretty.
    public static func json<Value: Encodable>(_ value: Value) throws -> String { try JSONOutput.string(value) }
}
