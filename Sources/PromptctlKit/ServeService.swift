import Crypto
import Foundation
import Hummingbird
import Logging
import PromptctlClinical
import PromptctlCore
import PromptctlGateway
import PromptctlGuards
import PromptctlLLM
import PromptctlMonitor
import PromptctlRendering
import PromptctlReview
import PromptctlStore

#if canImport(Glibc)
    import Glibc
#endif

/// `promptctl serve`: wires the project, the guards, the providers and the store into the release gateway.
public struct ServeService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// How the gateway is run.
    public struct Settings: Sendable {
        /// The address to listen on.
        public var host = "127.0.0.1"
        /// The port (0: a free one).
        public var port = 8080
        /// The provider for prompts that pin none (default: `default_provider` of promptctl.yaml).
        public var provider: String?
        /// The largest request body, in bytes.
        public var maxBodyBytes = 1 << 20
        /// The longest a request may take, in seconds.
        public var requestTimeout: Double = 60
        /// Serve without client keys (only for a gateway no one else can reach).
        public var noAuth = false
        /// Seconds between two rollback checks of one prompt.
        public var rollbackCheckInterval: Double = 5
        /// The thresholds of the 24-hour check, applied between the arms.
        public var thresholds = CheckThresholds()

        /// Creates default settings.
        public init() {}
    }

    /// Reads everything a request needs, once.
    public func snapshot(provider: String?) throws -> GatewaySnapshot {
        let project = try workspace.loadProject()
        let transport = CurlTransport()
        let guards = GuardSetup(projectRoot: project.root, environment: workspace.environment)
        let pipeline = try guards.pipeline(transport: transport)
        try ClinicalSignsEngine.forProject(root: project.root).prepareAllLanguages()
        let policy = try guards.policy()
        let factory = ProviderFactory(
            project: project, workspace: workspace, transport: transport, database: nil, useCache: false)
        let prices = try factory.prices()
        guard let defaultProvider = provider ?? project.config.defaultProvider else {
            throw PromptctlError(
                .config, "no provider to serve with",
                remedy: "pass --provider NAME or set default_provider in promptctl.yaml")
        }
        var clients: [String: LLMClient] = [:]
        let pinned = Set(project.promptIDs.flatMap { project.versions(of: $0) }.compactMap(\.model.provider))
        for name in pinned.union([defaultProvider]) {
            // A provider whose key is missing fails only the prompts that use it, when they are called.
            if let client = try? factory.client(named: name, prices: prices) { clients[name] = client }
        }
        guard clients[defaultProvider] != nil else {
            _ = try factory.client(named: defaultProvider, prices: prices)
            throw PromptctlError(.config, "the provider '\(defaultProvider)' cannot be used")
        }
        let renderer = PromptRenderer(project: project)
        var prepared: [String: Result<PreparedPrompt, PromptctlError>] = [:]
        for id in project.promptIDs {
            for version in project.versions(of: id) {
                do {
                    prepared[version.key] = .success(try renderer.prepare(version))
                } catch let error as PromptctlError {
                    prepared[version.key] = .failure(error)
                }
            }
        }
        return GatewaySnapshot(
            project: project, prepared: prepared, pipeline: pipeline, clients: clients,
            defaultProvider: defaultProvider, streamWholeAnswer: policy.streamRelease == .whole)
    }

    /// The gateway, ready to be served; fails (exit 2 or 3) before any port is opened.
    public func makeGateway(_ settings: Settings, logger: Logger = Logger(label: "promptctl.serve")) throws -> Gateway {
        let project = try workspace.loadProject()
        let database = try workspace.openStore(config: project.config)
        // Identifiers are pseudonymised before they are stored, with the key the review exports use.
        let privacy = try Privacy(environment: workspace.environment)
        if !settings.noAuth, try database.clientKeys().isEmpty {
            throw PromptctlError(
                .config, "no client key exists, so every request would be refused",
                remedy: "create one with 'promptctl serve keys add NAME' (or pass --no-auth on a private machine)")
        }
        var options = GatewayOptions(
            pseudonymise: { value, kind in privacy.pseudonym(value, kind: kind) },
            rollBack: { rollout, reason in
                // The labels as they are now, not as they were when the gateway started.
                let current = try workspace.loadProject()
                try LabelBook.rollBack(
                    rollout, reason: reason, by: "promptctl serve", labelsFile: current.labelsFile,
                    current: current.labels)
            })
        options.maxBodyBytes = settings.maxBodyBytes
        options.requestTimeout = settings.requestTimeout
        options.requireKey = !settings.noAuth
        options.rollbackCheckInterval = settings.rollbackCheckInterval
        options.thresholds = settings.thresholds
        let provider = settings.provider
        return try Gateway(database: database, options: options, logger: logger) {
            try snapshot(provider: provider)
        }
    }

    /// Serves until SIGTERM or SIGINT, which drain the requests in flight; SIGHUP re-reads labels and policy.
    public func run(_ settings: Settings, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        var logger = Logger(label: "promptctl.serve")
        logger.logLevel = .notice
        let gateway = try makeGateway(settings, logger: logger)
        #if canImport(Glibc)
            // Loading the models and gazetteers parses several megabytes of JSON and tables; what the parsing
            // freed would stay in the process's heap for as long as it serves. Give it back once (glibc's
            // malloc_trim, which Swift's Glibc module does not declare).
            if let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") {
                _ = unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)(0)
            }
        #endif
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler {
            if gateway.reload() == nil { logger.notice("SIGHUP: labels, prompts, policy and keys re-read") }
        }
        hangup.resume()
        defer { hangup.cancel() }
        let upkeep = try gateway.database.startServingUpkeep()
        defer { upkeep.stop() }
        let app = GatewayApplication.buildApplication(
            gateway: gateway, host: settings.host, port: settings.port, logger: logger, onRunning: onRunning)
        do {
            try await app.runService()
        } catch {
            throw PromptctlError(
                .infrastructure, "the gateway could not serve on \(settings.host):\(settings.port)", cause: error)
        }
    }

    /// Creates a client key and returns it; only its SHA-256 is stored, so this is the only time it is seen.
    public func addKey(name: String) throws -> String {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PromptctlError(
                .usage, "a client key needs a name", remedy: "e.g. promptctl serve keys add chat-backend")
        }
        let project = try workspace.loadProject()
        let database = try workspace.openStore(config: project.config)
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        let key = "pc-" + ContentHash.hex(bytes)
        try database.addClientKey(name: name, sha256: ContentHash.sha256(key))
        return key
    }

    /// Removes a client key by name.
    public func removeKey(name: String) throws {
        let project = try workspace.loadProject()
        guard try workspace.openStore(config: project.config).removeClientKey(name: name) else {
            throw PromptctlError(.usage, "no client key is named '\(name)'")
        }
    }

    /// Names of the client keys and when they were made.
    public func keys() throws -> [(name: String, createdAt: Date)] {
        let project = try workspace.loadProject()
        return try workspace.openStore(config: project.config).clientKeys().map { ($0.name, $0.createdAt) }
    }
}
