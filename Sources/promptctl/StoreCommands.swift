import ArgumentParser
import Foundation
import PromptctlKit

/// `promptctl store`: the database itself (SQLite file or PostgreSQL server).
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "The store: migrations, status, copying between SQLite and PostgreSQL.",
        subcommands: [Migrate.self, Status.self, Copy.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Apply the store's missing schema migrations (SQLite file or postgres:// URL).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func run() async throws {
            let outcome = try StoreService(workspace: global.workspace).migrate()
            Console.out(try StoreService.render(outcome, as: format.output))
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Where the store is and its schema version (exit 3 when unreachable, unmigrated or newer).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func run() async throws {
            let outcome = try StoreService(workspace: global.workspace).status()
            Console.out(try StoreService.render(outcome, as: format.output))
        }
    }

    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy every table from one store to another (resumable; verified by counts and checksums).")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The source store.", valueName: "PATH_OR_URL")) var from: String
        @Option(help: ArgumentHelp("The target store (migrated first).", valueName: "PATH_OR_URL")) var to: String
        @Option(help: "Output format.") var format: TableOrJSON = .table

        func run() async throws {
            let outcome = try StoreCopyService(workspace: global.workspace).copy(from: from, to: to)
            Console.out(try StoreCopyService.render(outcome, as: format.output))
        }
    }
}
