import ArgumentParser
import Foundation
import PromptctlKit

struct PromptsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts", abstract: "The versioned prompt repository in prompts/.",
        subcommands: [
            ListPrompts.self, ShowPrompt.self, RenderPrompt.self, DiffPrompts.self, LintPrompts.self,
            ReleasePrompt.self, LabelPrompt.self, PromotePrompt.self, LabelHistory.self, CanaryPrompt.self,
        ])
}

struct ListPrompts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List prompts (latest versions by default).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this language (pt-BR, en, es).") var language: String?
    @Option(help: "Only this persona.") var persona: String?
    @Option(help: "Only prompts with this tag.") var tag: String?
    @Option(help: "Only the versions this label points at.") var label: String?
    @Flag(help: "Every version, not only the latest.") var all = false
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() async throws {
        let service = PromptService(workspace: global.workspace)
        let rows = try service.list(language: language, persona: persona, tag: tag, label: label, allVersions: all)
        Console.out(try service.formatList(rows, format: format.output))
    }
}

struct ShowPrompt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one version: ID, ID@VERSION or ID@LABEL.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID[@VERSION|@LABEL]") var reference: String
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() async throws {
        Console.out(try PromptService(workspace: global.workspace).show(reference, format: format.output))
    }
}

struct RenderPrompt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a prompt's messages with variables.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID[@VERSION|@LABEL]") var reference: String
    @Option(name: .customLong("var"), help: ArgumentHelp("A variable value (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []
    @Option(
        name: .customLong("vars-file"),
        help: ArgumentHelp("A YAML or JSON mapping of variable values.", valueName: "FILE"))
    var varsFile: String?
    @Flag(help: "Fill unset variables with their declared examples.") var example = false
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() async throws {
        let service = PromptService(workspace: global.workspace)
        let values = try service.variableValues(pairs: variables, file: varsFile)
        let (prompt, messages) = try service.render(reference, values: values, useExamples: example)
        Console.out(try service.formatRendered(prompt, messages, format: format.output))
    }
}

struct DiffPrompts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Unified diff of two versions' settings and templates.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID@A") var old: String
    @Argument(help: "ID@B") var new: String

    func run() async throws {
        let diff = try PromptService(workspace: global.workspace).diff(old, new)
        Console.out(diff.isEmpty ? "no differences\n" : diff)
    }
}

struct LintPrompts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint", abstract: "Check every prompt, partial, label and release; exit 2 on any error.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() async throws {
        let findings = try PromptService(workspace: global.workspace).lint()
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        if format == .json {
            Console.out(try CommandValues.json(findings))
        } else {
            for finding in findings { Console.error(finding.description) }
            Console.error("\(errors) error(s), \(warnings) warning(s)")
        }
        if errors > 0 { throw ExitCode(ExitStatus.usageOrConfig.rawValue) }
    }
}

struct ReleasePrompt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Record a version's content hash in prompts/prompts.lock; it may never change after.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID@VERSION") var reference: String

    func run() async throws {
        Console.out(try PromptService(workspace: global.workspace).release(reference))
    }
}

struct LabelPrompt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Point a label (e.g. staging) at a released version, with a reason; recorded in history.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID@VERSION") var reference: String
    @Argument(help: "The label, e.g. staging.") var label: String
    @Option(help: "Why the label moves (required).") var reason: String
    @Option(help: "Who moves it (default: PROMPTCTL_USER, GIT_AUTHOR_NAME or USER).") var by: String?

    func run() async throws {
        let move = try PromptService(workspace: global.workspace).moveLabel(
            reference, to: label, reason: reason, by: by)
        Console.out("\(move.prompt): \(move.label) \(move.from ?? "(none)") → \(move.to ?? "(none)")\n")
    }
}

struct LabelHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Every label move: from, to, when, by whom, why.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A prompt id (default: all).") var id: String?
    @Option(help: "Only this label.") var label: String?
    @Option(help: "Output format.") var format: TableOrJSON = .table

    func run() async throws {
        Console.out(try PromptService(workspace: global.workspace).history(id, label: label, format: format.output))
    }
}

struct PromotePrompt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Move production (or another label) to a version whose latest evaluation passed and is not worse.",
        discussion: """
            Refuses (exit 1) when the version has no finished evaluation as a candidate, when that evaluation missed a
            threshold or regressed, or when it was compared with another version than the one the label holds now.
            The approval (who, when, note, run) enters the label history. --break-glass records an explicit override.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID@VERSION") var reference: String
    @Option(help: "The label to move.") var to: String = "production"
    @Option(help: "Who approves (default: PROMPTCTL_USER, GIT_AUTHOR_NAME or USER).") var approver: String?
    @Option(help: "The approval note.") var note: String?
    @Option(name: .customLong("break-glass"), help: "Move without a passing evaluation, recording this reason.")
    var breakGlass: String?

    func run() async throws {
        let (move, evidence) = try PromoteService(workspace: global.workspace).promote(
            reference, to: to, approver: approver, note: note, breakGlass: breakGlass)
        if breakGlass != nil { Console.error("warning: break-glass move recorded in prompts/labels.yaml") }
        Console.out(
            "\(move.prompt): \(move.label) \(move.from ?? "(none)") → \(move.to ?? "(none)") approved by \(move.approval?.by ?? "-")"
                + (evidence.runID.map { " on run \($0)" } ?? "") + "\n")
    }
}
