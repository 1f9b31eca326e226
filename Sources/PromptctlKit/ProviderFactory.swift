import Foundation
import PromptctlCore
import PromptctlLLM
import PromptctlStore

/// Builds LLM clients from the project's provider configuration.
public struct ProviderFactory: Sendable {
    /// The project.
    public let project: Project
    /// The workspace (environment, paths).
    public let workspace: Workspace
    /// The shared libcurl transport.
    public let transport: any HTTPTransport
    /// The store (cache and call log), when open.
    public let database: (any CallAndCacheStore)?
    /// Whether to use the response cache.
    public let useCache: Bool
    /// Cache entries older than this are ignored.
    public let cacheTTL: TimeInterval?
    /// Append every successful exchange to this recordings file.
    public let recordTo: URL?
    /// Where call records go (default: the store, one write per call).
    public let callLog: (any CallLog)?

    /// Creates a factory.
    public init(
        project: Project, workspace: Workspace, transport: any HTTPTransport, database: (any CallAndCacheStore)?,
        useCache: Bool = true,
        cacheTTL: TimeInterval? = nil, recordTo: URL? = nil, callLog: (any CallLog)? = nil
    ) {
        self.callLog = callLog ?? database
        self.project = project
        self.workspace = workspace
        self.transport = transport
        self.database = database
        self.useCache = useCache
        self.cacheTTL = cacheTTL
        self.recordTo = recordTo
    }

    /// The price table named in promptctl.yaml (empty when none).
    public func prices() throws -> PriceTable {
        guard let file = project.config.prices else { return PriceTable() }
        let url = URL(fileURLWithPath: workspace.absolute(file))
        let diagnostics = DiagnosticCollector()
        let table = try PriceTable.load(YAMLFile(contentsOf: url, displayPath: file), diagnostics: diagnostics)
        try diagnostics.throwIfErrors("the price table \(file) has errors")
        return table
    }

    /// The configuration of a provider by name, with a helpful error when it does not exist.
    public func config(named name: String) throws -> ProviderConfig {
        guard let config = project.config.providers[name] else {
            let known = project.config.providers.keys.sorted()
            throw PromptctlError(
                .usage, "no provider named '\(name)'",
                remedy: MappingReader.nearest(to: name, in: known).map { "did you mean '\($0)'?" }
                    ?? "declared providers: \(known.joined(separator: ", "))")
        }
        return config
    }

    /// A client for a provider.
    public func client(named name: String, prices: PriceTable) throws -> LLMClient {
        let config = try config(named: name)
        var provider: any ChatProvider
        switch config.kind {
        case .replay:
            let path = config.recordings ?? ""
            provider = try ReplayProvider(
                name: name, file: URL(fileURLWithPath: workspace.absolute(path)), displayPath: path)
        case .openai, .azure, .anthropic:
            provider = try HTTPChatProvider(config: config, transport: transport, environment: workspace.environment)
        }
        if let recordTo { provider = RecordingProvider(wrapping: provider, file: recordTo) }
        return LLMClient(
            provider: provider, config: config, prices: prices, cache: useCache ? database : nil, cacheMaxAge: cacheTTL,
            callLog: callLog)
    }
}
