import ArgumentParser
import Foundation
import PromptctlKit

extension ReviewPlace: ExpressibleByArgument {}

extension ReviewCommand {
    struct Notion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notion",
            abstract: "The weekly review in Notion, where the nurses already work.", subcommands: [Setup.self])

        struct Setup: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "setup",
                abstract: "Create the review database under a Notion page shared with the integration.",
                discussion: "The token comes only from NOTION_TOKEN (or review.notion.token_env); it is never stored.")
            @OptionGroup var global: GlobalOptions
            @Option(help: "The id of the Notion page to create the database under (shared with the integration).")
            var parent: String
            @Option(help: "Output format: table (the lines for promptctl.yaml) or json.") var format: TableOrJSON =
                .table

            func run() async throws {
                let result = try await NotionReviewService(workspace: global.workspace).setup(parentPageID: parent)
                if format == .json {
                    Console.out(try CommandValues.json(result))
                    return
                }
                Console.error(
                    "created the review database" + (result.url.map { " (\($0))" } ?? "") + "; add to promptctl.yaml:")
                Console.out(
                    "review:\n  notion:\n    database_id: \(result.databaseID)\n    data_source_id: \(result.dataSourceID)\n"
                )
            }
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "push",
            abstract:
                "Push the week's sample to Notion: one page per item, masked as in the CSV; a second push updates.",
            discussion: "Needs PROMPTCTL_PSEUDONYM_KEY and NOTION_TOKEN.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "ISO week, e.g. 2026-W48.") var week: String
        @Option(help: "Where to: notion.") var to: ReviewPlace
        @Option(help: "Output format: table or json.") var format: TableOrJSON = .table

        func run() async throws {
            let result = try await NotionReviewService(workspace: global.workspace).push(week: week, to: to)
            if format == .json {
                Console.out(try CommandValues.json(result))
                return
            }
            Console.out("\(result.week): \(result.created) page(s) created, \(result.updated) updated in Notion\n")
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull",
            abstract: "Pull the nurses' answers from Notion (validated as 'review import'; idempotent).",
            discussion: "One invalid page and nothing is stored. Needs PROMPTCTL_PSEUDONYM_KEY and NOTION_TOKEN.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "ISO week, e.g. 2026-W48.") var week: String
        @Option(help: "Where from: notion.") var from: ReviewPlace
        @Option(help: "Output format: table or json.") var format: TableOrJSON = .table

        func run() async throws {
            let result = try await NotionReviewService(workspace: global.workspace).pull(week: week, from: from)
            if format == .json {
                Console.out(try CommandValues.json(result))
                return
            }
            Console.out(
                "\(result.week): \(result.pages) page(s), \(result.pending) not rated yet; \(result.new) new, "
                    + "\(result.updated) updated (the earlier answers stay in the history), \(result.unchanged) unchanged"
                    + (result.superseded > 0
                        ? ", \(result.superseded) older than a CSV or web answer (kept the newer)" : "") + "\n")
        }
    }
}
