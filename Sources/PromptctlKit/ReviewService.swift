import Foundation
import Hummingbird
import PromptctlCore
import PromptctlReview
import PromptctlStore
import PromptctlWeb

/// The weekly nurse review: sample, export, import, agreement, reviewer links.
public struct ReviewService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// The store.
    public func database() throws -> any PromptctlStoreEngine {
        try workspace.openStore(config: try workspace.loadProject().config)
    }

    /// Draws (or returns the already drawn) sample of a week.
    public func sample(week text: String, size: Int, seed: String?) throws -> [ReviewItem] {
        let week = try ISOWeek(text)
        let database = try database()
        let existing = try database.reviewItems(week: week.description)
        if !existing.isEmpty { return existing }
        let (start, end) = week.interval
        let keys = try database.reviewCandidateKeys(from: start, to: end)
        guard !keys.isEmpty else {
            throw PromptctlError(
                .usage, "no unreviewed responses in \(week)",
                remedy: "import production messages with 'promptctl messages import' or run an evaluation that week")
        }
        let drawn = WeeklySampler.draw(keys, size: size, seed: seed ?? week.description)
        let strata = Dictionary(drawn.map { ($0.sourceKey, $0.stratum) }, uniquingKeysWith: { first, _ in first })
        let candidates = try database.reviewCandidates(keys: drawn.map(\.sourceKey))
        try database.saveSample(week: week.description, items: candidates.map { ($0, strata[$0.sourceKey] ?? "") })
        return try database.reviewItems(week: week.description)
    }

    /// The week's items, masked, in a format.
    public func export(week text: String, format: OutputFormat) throws -> String {
        let week = try ISOWeek(text)
        let items = try database().reviewItems(week: week.description)
        guard !items.isEmpty else {
            throw PromptctlError(
                .usage, "\(week) has no sample", remedy: "draw it with 'promptctl review sample --week \(week)'")
        }
        let privacy = try Privacy(environment: workspace.environment)
        let exported = items.map { ExportedItem($0, privacy: privacy) }
        switch format {
        case .csv: return ReviewExport.csv(exported)
        case .html: return ReviewExport.html(exported, week: week.description)
        case .jsonl, .json: return try ReviewExport.jsonl(exported)
        default: throw PromptctlError(.usage, "export formats are csv, html and jsonl")
        }
    }

    /// Imports a filled CSV; returns the rows read and what the store did with them (a later answer replaces an
    /// earlier one, which stays in the history).
    public func importFeedback(_ path: String) throws -> (rows: Int, saved: FeedbackSaveCounts) {
        guard let data = FileManager.default.contents(atPath: workspace.absolute(path)) else {
            throw PromptctlError(.usage, "cannot read \(path)")
        }
        let database = try database()
        let weekOfItem = try database.reviewItemWeeks()
        var itemsInWeek: [String: Int] = [:]
        for week in weekOfItem.values { itemsInWeek[week, default: 0] += 1 }
        let rows = try FeedbackImport.parse(
            String(decoding: data, as: UTF8.self), file: path, knownItems: Set(weekOfItem.keys), weekOfItem: weekOfItem,
            itemsInWeek: itemsInWeek)
        return (rows.count, try database.saveFeedback(rows, source: "csv"))
    }

    /// Agreement between nurses and the rubric.
    public func agreement(week: String?) throws -> [CriterionAgreement] {
        AgreementAnalysis.analyze(try database().feedback(week: try week.map { try ISOWeek($0).description }))
    }

    /// Creates a reviewer's secret link token for a week; only its hash is stored.
    public func invite(reviewer: String, week text: String) throws -> String {
        let week = try ISOWeek(text)
        var bytes = [UInt8](repeating: 0, count: 24)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let token = ContentHash.hex(bytes)
        try database().addReviewer(name: reviewer, week: week.description, tokenSHA256: ContentHash.sha256(token))
        return token
    }
}

/// Runs the review form on 127.0.0.1.
public struct ReviewWebService: Sendable {
    /// The workspace.
    public let workspace: Workspace

    /// Creates the service.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// Serves until cancelled; `ready` receives the base URL once listening.
    public func serve(port: Int, ready: @escaping @Sendable (String) -> Void) async throws {
        let database = try ReviewService(workspace: workspace).database()
        let privacy = try Privacy(environment: workspace.environment)
        var secret = [UInt8](repeating: 0, count: 32)
        for index in secret.indices { secret[index] = UInt8.random(in: 0...255) }
        let router = ReviewApplication.buildRouter(database: database, privacy: privacy, secret: secret)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "promptctl-review"),
            onServerRunning: { channel in ready("http://127.0.0.1:\(channel.localAddress?.port ?? port)") })
        try await app.runService()
    }
}
