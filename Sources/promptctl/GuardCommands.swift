import ArgumentParser
import Foundation
import PromptctlCore
import PromptctlGuards
import PromptctlKit

struct GuardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard", abstract: "The release guards: sensitive clinical terms and moderation.",
        subcommands: [Check.self, Moderate.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the release pipeline on texts; exit 1 when anything is blocked.",
            discussion: """
                Text comes from the argument, --file, --input FILE.jsonl (lines {"id": ..., "text": ..., "user": ...}),
                or standard input. Texts are checked as responses (--stage output, the default) or as her messages.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The text to check.") var text: String?
        @Option(help: "Read the text from a file.") var file: String?
        @Option(help: "Read JSONL lines {\"id\": ..., \"text\": ...}.") var input: String?
        @Option(help: "Her message, when checking a response to it.") var user: String?
        @Option(help: "input or output.") var stage: String = "output"
        @Option(help: "The conversation's language.") var language: String = "pt-BR"
        @Option(help: "Override the policy's moderation: builtin, azure, openai or none.") var moderation: String?
        @Option(help: "table, json or jsonl.") var format: OutputFormat = .table

        func validate() throws { try format.require(.table, .json, .jsonl) }

        func run() async throws {
            let workspace = global.workspace
            let project = try workspace.loadProject()
            guard let stage = GuardStage(rawValue: stage) else {
                throw PromptctlError(.usage, "--stage must be input or output")
            }
            var items: [GuardService.CheckItem]
            if let input {
                items = try GuardService.readJSONL(input, workspace: workspace)
            } else if let file {
                guard let data = FileManager.default.contents(atPath: workspace.absolute(file)) else {
                    throw PromptctlError(.usage, "cannot read \(file)")
                }
                items = [.init(id: file, text: TextLines.text(data), user: user, language: nil)]
            } else if let text {
                items = [.init(id: "1", text: text, user: user, language: nil)]
            } else {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                items = [.init(id: "stdin", text: TextLines.text(data), user: user, language: nil)]
            }
            let results = try await GuardService(workspace: workspace, project: project).check(
                items, language: language, stage: stage, moderation: moderation)
            switch format {
            case .json:
                Console.out(try JSONOutput.string(results))
            case .jsonl:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for result in results {
                    Console.out(String(decoding: try encoder.encode(result), as: UTF8.self) + "\n")
                }
            default:
                Console.out(
                    TextTable(
                        headers: ["ID", "DECISION", "CATEGORIES", "WHY"],
                        rows: results.map {
                            [
                                $0.id, $0.decision.rawValue, $0.categories.joined(separator: ", "),
                                $0.matches.map(\.reason).joined(separator: "; "),
                            ]
                        }
                    ).render())
                if results.count == 1, let only = results.first, only.decision != .allow, !only.released.isEmpty {
                    Console.out("\nreleased text:\n\(only.released)\n")
                }
            }
            if results.contains(where: { $0.decision == .block }) { throw ExitCode(ExitStatus.gateFailed.rawValue) }
        }
    }

    struct Moderate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moderate JSONL lines {\"id\": ..., \"text\": ...} with one provider; one line out per line in.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "builtin, azure or openai.") var provider: String = "builtin"
        @Option(help: "JSONL input.") var input: String
        @Option(help: "The default language of the lines.") var language: String = "pt-BR"
        @Option(help: "jsonl or table.") var format: OutputFormat = .jsonl

        func validate() throws { try format.require(.jsonl, .table) }

        func run() async throws {
            let workspace = global.workspace
            let project = try workspace.loadProject()
            let items = try GuardService.readJSONL(input, workspace: workspace)
            let results: [(String, ModerationResult)]
            do {
                results = try await GuardService(workspace: workspace, project: project).moderate(
                    items, provider: provider, language: language)
            } catch let error as PromptctlError {
                throw error
            } catch {
                throw PromptctlError(.provider, "moderation with \(provider) failed", cause: error)
            }
            if format == .table {
                Console.out(
                    TextTable(
                        headers: ["ID", "FLAGGED", "CATEGORIES"],
                        rows: results.map {
                            [$0.0, $0.1.flagged ? "yes" : "no", $0.1.categories.joined(separator: ", ")]
                        }
                    ).render())
                return
            }
            for (id, result) in results {
                let object: [String: Any] = [
                    "id": id, "flagged": result.flagged, "categories": result.categories, "scores": result.scores,
                    "source": result.source,
                ]
                let data = try JSONSerialization.data(
                    withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                Console.out(String(decoding: data, as: UTF8.self) + "\n")
            }
        }
    }
}
