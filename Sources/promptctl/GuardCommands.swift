import ArgumentParser
import Foundation
import PromptctlKit

struct GuardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard", abstract: "The release guards: sensitive clinical terms and moderation.",
        subcommands: [Check.self, Moderate.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Run the release pipeline on texts; exit 1 when anything is blocked.",
            discussion: """
                Text comes from the argument, --file, --input FILE.jsonl (lines {"id": ..., "text": ..., "user": ...}),
                or standard input. Texts are checked as responses (--stage output, the default) or as her messages.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The text to check.") var text: String?
        @Option(help: "Read the text from a file (- for standard input; pipes work).") var file: String?
        @Option(help: "Read JSONL lines {\"id\": ..., \"text\": ...} (- for standard input).") var input: String?
        @Option(help: "Her message, when checking a response to it.") var user: String?
        @Option(help: "Check texts as her messages (input) or as responses (output).") var stage: GuardStage = .output
        @Option(help: "The conversation's language.") var language: String = "pt-BR"
        @Option(help: "Override the policy's moderation.") var moderation: ModerationProviderName?
        @Option(help: "Output format.") var format: TableJSONOrJSONL = .table

        func validate() throws {
            if [text != nil, file != nil, input != nil].filter({ $0 }).count > 1 {
                throw ValidationError("give one of: the text, --file or --input")
            }
        }

        func run() async throws {
            let source: GuardService.CheckInput =
                if let input { .jsonl(input) } else if let file { .file(file) } else if let text { .text(text) } else {
                    .standardInput
                }
            let service = try GuardService(workspace: global.workspace)
            let results = try await service.check(
                try service.items(from: source, user: user), language: language, stage: stage, moderation: moderation)
            Console.out(try GuardService.render(results, as: format.output))
            if results.contains(where: \.blocked) { throw ExitCode(ExitStatus.gateFailed.rawValue) }
        }
    }

    struct Moderate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "moderate",
            abstract: "Moderate JSONL lines {\"id\": ..., \"text\": ...} with one provider; one line out per line in.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The moderation provider.") var provider: ModerationProviderName = .builtin
        @Option(help: "JSONL input (- for standard input).") var input: String
        @Option(help: "The default language of the lines.") var language: String = "pt-BR"
        @Option(help: "Output format.") var format: JSONLOrTable = .jsonl

        func run() async throws {
            let service = try GuardService(workspace: global.workspace)
            let items = try GuardService.readJSONL(input, workspace: global.workspace)
            let lines = try await service.moderate(items, provider: provider, language: language)
            Console.out(try GuardService.render(lines, as: format.output))
        }
    }
}
