import Foundation
import PromptctlCore
import PromptctlLLM
import PromptctlNotion
import PromptctlReview
import PromptctlStore

/// Where a week's review can be pushed to and pulled from besides the CSV and the web form.
public enum ReviewPlace: String, Sendable, CaseIterable, Codable {
    /// A Notion data source (`review.notion` in promptctl.yaml).
    case notion
}

/// The weekly review in Notion: setup, push and pull, wired from promptctl.yaml and the environment.
public struct NotionReviewService: Sendable {
    /// The workspace.
    public let workspace: Workspace
    let transport: (any HTTPTransport)?
    let clock: NotionClock

    /// Creates the service; tests may pass a transport and a virtual clock.
    public init(workspace: Workspace, transport: (any HTTPTransport)? = nil, clock: NotionClock = .system) {
        self.workspace = workspace
        self.transport = transport
        self.clock = clock
    }

    /// Creates the review database under a Notion page; returns the ids to write into promptctl.yaml.
    public func setup(parentPageID: String) async throws -> NotionSetupResult {
        let config = try workspace.loadProject().config.review.notion
        return try await NotionReview(client: try client(config)).setup(parentPageID: parentPageID)
    }

    /// Pushes a week's sample: one page per item, masked as in the CSV export; a second push updates.
    public func push(week text: String, to place: ReviewPlace) async throws -> NotionPushResult {
        let week = try ISOWeek(text)
        let (config, database) = try open()
        let items = try database.reviewItems(week: week.description)
        guard !items.isEmpty else {
            throw PromptctlError(
                .usage, "\(week) has no sample", remedy: "draw it with 'promptctl review sample --week \(week)'")
        }
        let privacy = try Privacy(environment: workspace.environment)
        switch place {
        case .notion:
            return try await NotionReview(client: try client(config)).push(
                week: week.description, items: items, privacy: privacy, dataSourceID: try dataSource(config),
                database: database)
        }
    }

    /// Pulls a week's answers into the same tables as the CSV import and the web form.
    public func pull(week text: String, from place: ReviewPlace) async throws -> NotionPullResult {
        let week = try ISOWeek(text)
        let (config, database) = try open()
        let privacy = try Privacy(environment: workspace.environment)
        switch place {
        case .notion:
            return try await NotionReview(client: try client(config)).pull(
                week: week.description, privacy: privacy, dataSourceID: try dataSource(config), database: database)
        }
    }

    func open() throws -> (NotionConfig, any PromptctlStoreEngine) {
        let config = try workspace.loadProject().config
        return (config.review.notion, try workspace.openStore(config: config))
    }

    func dataSource(_ config: NotionConfig) throws -> String {
        guard let id = config.dataSourceID, !id.isEmpty else {
            throw PromptctlError(
                .config, "promptctl.yaml has no review.notion.data_source_id",
                remedy:
                    "run 'promptctl review notion setup --parent PAGE_ID' and add the ids it prints to promptctl.yaml")
        }
        return id
    }

    func client(_ config: NotionConfig) throws -> NotionClient {
        guard let token = workspace.environment[config.tokenEnv], !token.isEmpty else {
            throw PromptctlError(
                .config, "the Notion token is not set: \(config.tokenEnv) is empty",
                remedy:
                    "export \(config.tokenEnv)=ntn_... with the Internal Integration Secret of the integration "
                    + "(https://www.notion.so/profile/integrations); it is read from the environment only")
        }
        return NotionClient(
            baseURL: config.apiURL, token: token, tokenEnv: config.tokenEnv, transport: transport ?? CurlTransport(),
            requestsPerSecond: config.requestsPerSecond,
            retry: RetryPolicy(maxAttempts: config.maxAttempts, baseDelay: 0.5, maxDelay: 30), clock: clock)
    }
}
