import ArgumentParser
import Foundation
import PromptctlKit

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The release gateway: an OpenAI-compatible endpoint that renders, guards and logs every exchange.",
        discussion: """
            Production calls POST /v1/chat/completions with "model": "PROMPT@production" (or a version) and the
            prompt's variables in "promptctl": {"variables": {...}, "conversation_id": "...", "user_id": "...",
            "language": "pt-BR"}. Needs PROMPTCTL_PSEUDONYM_KEY (identifiers are stored pseudonymised) and a client
            key (promptctl serve keys add NAME). SIGTERM drains requests in flight; SIGHUP re-reads labels, prompts,
            policy and keys. GET /healthz, GET /metrics (Prometheus).
            """,
        subcommands: [Run.self, KeysCommand.self], defaultSubcommand: Run.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Serve (the default).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The address to listen on.") var host = "127.0.0.1"
        @Option(help: "The port (0: any free port, printed on start).") var port = 8080
        @Option(help: "The provider for prompts that pin none (default: default_provider).") var provider: String?
        @Option(name: .customLong("max-body-bytes"), help: "The largest request body (413 above it).")
        var maxBodyBytes = 1 << 20
        @Option(name: .customLong("request-timeout"), help: "Seconds a request may take (504 after).")
        var requestTimeout: Double = 60
        @Option(name: .customLong("rollback-check-interval"), help: "Seconds between two canary checks of a prompt.")
        var rollbackCheckInterval: Double = 5
        @Option(name: .customLong("min-sample"), help: "Exchanges each arm needs before a canary is judged.")
        var minimumSample = 20
        @Flag(name: .customLong("no-auth"), help: "Accept requests without a client key (private machines only).")
        var noAuth = false

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            guard maxBodyBytes > 0, requestTimeout > 0, minimumSample > 0 else {
                throw ValidationError("--max-body-bytes, --request-timeout and --min-sample must be positive")
            }
        }

        func run() async throws {
            var settings = ServeService.Settings()
            settings.host = host
            settings.port = port
            settings.provider = provider
            settings.maxBodyBytes = maxBodyBytes
            settings.requestTimeout = requestTimeout
            settings.noAuth = noAuth
            settings.rollbackCheckInterval = rollbackCheckInterval
            settings.thresholds.minimumMessages = minimumSample
            let host = host
            try await ServeService(workspace: global.workspace).run(settings) { port in
                Console.out("promptctl serve: listening on http://\(host):\(port)\n")
            }
        }
    }

    struct KeysCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys", abstract: "Client keys of the gateway (only their hashes are stored).",
            subcommands: [Add.self, Remove.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "add", abstract: "Create a key and print it once.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "Who uses it, e.g. chat-backend.") var name: String

            func run() async throws {
                let key = try ServeService(workspace: global.workspace).addKey(name: name)
                Console.out(key + "\n")
                Console.error("key '\(name)' created; it is shown only now: store it in the client's secret store")
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "remove", abstract: "Revoke a key.")
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The key's name.") var name: String

            func run() async throws {
                try ServeService(workspace: global.workspace).removeKey(name: name)
                Console.error("key '\(name)' removed (a running gateway refuses it at once)")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "Key names.")
            @OptionGroup var global: GlobalOptions

            func run() async throws {
                for key in try ServeService(workspace: global.workspace).keys() {
                    Console.out("\(key.name)\t\(key.createdAt.formatted(.iso8601))\n")
                }
            }
        }
    }
}

struct CanaryPrompt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "canary",
        abstract: "Send a share of production conversations to a candidate version (10, then 50, then promote).",
        discussion: """
            Conversations are split by a stable hash of conversation_id, so each stays on its arm. The move is
            recorded in prompts/labels.yaml with who and why; a running gateway picks it up on SIGHUP. The gateway
            rolls the canary back by itself when its block rate, error rate, p95 latency or cost per message exceed
            production's by the thresholds of 'cost check'. 'prompts promote ID@VERSION' completes the rollout.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "ID@VERSION") var reference: String
    @Option(help: "Share of conversations, 1 to 100.") var percent: Int
    @Option(help: "Why (recorded in the label history).") var reason: String?

    func run() async throws {
        let move = try CanaryService(workspace: global.workspace).canary(reference, percent: percent, reason: reason)
        Console.out("\(move.prompt): canary → \(move.to ?? "-") at \(move.percent ?? 0)% by \(move.by)\n")
    }
}
