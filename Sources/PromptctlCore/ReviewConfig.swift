import Foundation

/// Where the weekly nurse review lives besides the store: `review:` in promptctl.yaml.
public struct ReviewConfig: Sendable, Hashable, Codable {
    /// The Notion review database, when the team reviews in Notion.
    public var notion: NotionConfig

    /// Creates a review configuration.
    public init(notion: NotionConfig = NotionConfig()) { self.notion = notion }

    /// Reads `review:`; unknown keys are errors at their file:line:column, like the rest of the file.
    static func load(_ reader: MappingReader) -> ReviewConfig {
        var config = ReviewConfig()
        if let notion = reader.mapping("notion") { config.notion = NotionConfig.load(notion) }
        reader.rejectUnknownKeys()
        return config
    }
}

/// `review.notion`: the review database in Notion. The token is named by environment variable, never written here.
public struct NotionConfig: Sendable, Hashable, Codable {
    /// Notion's public API.
    public static let defaultAPIURL = "https://api.notion.com"
    /// The environment variable that holds the integration's token unless `token_env` names another.
    public static let defaultTokenEnv = "NOTION_TOKEN"

    /// The API's base URL (tests point it at a loopback server).
    public var apiURL: String
    /// The environment variable that holds the integration's token.
    public var tokenEnv: String
    /// The database `review notion setup` created.
    public var databaseID: String?
    /// Its data source, where the review pages live.
    public var dataSourceID: String?
    /// Requests per second, under Notion's limit of about 3 per integration.
    public var requestsPerSecond: Double
    /// Attempts per call, including the first (429, 409, 5xx and network failures are retried).
    public var maxAttempts: Int

    /// Creates a configuration.
    public init(
        apiURL: String = NotionConfig.defaultAPIURL, tokenEnv: String = NotionConfig.defaultTokenEnv,
        databaseID: String? = nil, dataSourceID: String? = nil, requestsPerSecond: Double = 3, maxAttempts: Int = 5
    ) {
        self.apiURL = apiURL
        self.tokenEnv = tokenEnv
        self.databaseID = databaseID
        self.dataSourceID = dataSourceID
        self.requestsPerSecond = requestsPerSecond
        self.maxAttempts = maxAttempts
    }

    static func load(_ reader: MappingReader) -> NotionConfig {
        var config = NotionConfig()
        if let url = reader.string("api_url") {
            if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil {
                config.apiURL = url
            } else {
                reader.diagnostics.error(
                    "'api_url' must be an http(s) URL, got '\(url)'", at: reader.location(ofKey: "api_url"),
                    hint: "leave it out to use \(defaultAPIURL)")
            }
        }
        if let name = reader.string("token_env") {
            if name.hasPrefix("ntn_") || name.hasPrefix("secret_") {
                reader.diagnostics.error(
                    "'token_env' names an environment variable; this looks like the token itself",
                    at: reader.location(ofKey: "token_env"),
                    hint: "remove the token from the file and write 'token_env: NOTION_TOKEN'")
            } else {
                config.tokenEnv = name
            }
        }
        config.databaseID = reader.string("database_id")
        config.dataSourceID = reader.string("data_source_id")
        config.requestsPerSecond = reader.double("requests_per_second", in: 0.1...100) ?? config.requestsPerSecond
        config.maxAttempts = reader.int("max_attempts", in: 1...20) ?? config.maxAttempts
        reader.rejectUnknownKeys()
        return config
    }
}
