import Foundation
import PromptctlCore

// The store's operations as protocols, so that the same callers run on SQLite (`AppDatabase`, GRDB) and on a
// PostgreSQL server (`PromptctlPostgres`). Every requirement returns the typed records of this module; no SQL and no
// driver type crosses them.

/// Runs of `promptctl eval` and their results.
public protocol EvalRunStore: Sendable {
    /// Records a new run with its plan and the candidates it evaluates.
    func createRun(
        id: String, suite: String, suiteFile: String, plan: Data, gitRef: String?, candidates: [RunCandidate]
    ) throws
    /// The newest finished run that evaluated `candidate`, with the baseline it was compared with.
    func latestFinishedRun(candidate: String) throws -> (run: StoredRun, baseline: String?)?
    /// Stores results in one transaction; a second result for the same (run, item) is an error.
    func insertResults(_ results: [StoredResult]) throws
    /// Keys of the items a run already has results for.
    func completedItemKeys(runID: String) throws -> Set<String>
    /// Every result's JSON detail, in insertion order.
    func resultDetails(runID: String) throws -> [Data]
    /// Marks a run finished (or interrupted) with its summary.
    func finishRun(id: String, status: RunStatus, summary: Data?) throws
    /// A run by id, or by unique prefix.
    func run(id: String) throws -> StoredRun?
    /// Recent runs, newest first.
    func recentRuns(limit: Int) throws -> [StoredRun]
}

/// The response cache and the call log of the LLM client.
public protocol CallAndCacheStore: ResponseCache, CallLog {
    /// What the cache holds.
    func cacheStatistics() throws -> CacheStatistics
    /// Deletes cache entries, all or those older than `olderThan`; returns how many.
    @discardableResult func clearCache(olderThan: Date?) throws -> Int
    /// Call records, oldest first.
    func callRecords(limit: Int) throws -> [CallRecord]
}

/// Production messages and the hourly cost rollup that the cost report and the alert read.
public protocol ProductionCostStore: Sendable {
    /// Keys of `messages` already stored with other content.
    func conflictingMessageKeys(_ messages: [ProductionMessage]) throws -> [String]
    /// Imports messages in one transaction; a message already imported (same key) is skipped. Returns how many
    /// were new.
    @discardableResult func importMessages(_ messages: [ProductionMessage]) throws -> Int
    /// Messages, tokens and cost per time bucket and group, in [from, to).
    func costReport(bucket: CostBucket, grouping: CostGrouping, from: Date, to: Date) throws -> [CostRow]
    /// Aggregates of [from, to) for the alert check.
    func windowStats(from: Date, to: Date) throws -> WindowStats
}

/// Review items, reviewers and their feedback, and what the agreement reads.
public protocol ReviewFeedbackStore: Sendable {
    /// Stores a week's sample; a week is sampled once.
    func saveSample(week: String, items: [(ReviewCandidate, String)]) throws
    /// A week's sample, in order.
    func reviewItems(week: String) throws -> [ReviewItem]
    /// Stores feedback rows in one transaction: the latest answer wins, every changed answer is kept in history.
    @discardableResult func saveFeedback(_ rows: [ReviewFeedback], source: String) throws
        -> AppDatabase.FeedbackSaveCounts
    /// Every answer a reviewer gave on an item, oldest first.
    func feedbackHistory(itemID: Int64, reviewer: String) throws -> [ReviewFeedback]
    /// How many answers the history holds.
    func feedbackHistoryCount() throws -> Int
    /// Every feedback row with its item, for the agreement.
    func feedback(week: String?) throws -> [(ReviewFeedback, ReviewCandidate)]
    /// Registers a reviewer's token (only its hash is stored).
    func addReviewer(name: String, week: String, tokenSHA256: String) throws
    /// The reviewer and week a token belongs to.
    func reviewer(tokenSHA256: String) throws -> (name: String, week: String)?
    /// Item ids a reviewer has answered.
    func answeredItems(reviewer: String) throws -> Set<Int64>
}

/// The schema of a store: which versioned migrations it has.
public protocol SchemaVersionedStore: Sendable {
    /// The applied migrations, oldest first.
    func appliedMigrations() throws -> [String]
    /// Where the store is, with no secret in it (a path, or a URL without its password).
    var displayLocation: String { get }
}

/// Every operation of the shared store, whichever engine holds it.
public typealias PromptctlStoreEngine =
    EvalRunStore & CallAndCacheStore & ProductionCostStore & ReviewFeedbackStore & SchemaVersionedStore
    & TableCopyStore

extension AppDatabase: EvalRunStore, CallAndCacheStore, ProductionCostStore, ReviewFeedbackStore,
    SchemaVersionedStore
{
    /// The file's path.
    public var displayLocation: String { path }
}

// Public factories of the records (their memberwise initialisers are internal), so that another engine's module
// can build them.

extension StoredRun {
    /// A run record.
    public static func make(
        id: String, suite: String, suiteFile: String, startedAt: Date, finishedAt: Date?, status: RunStatus,
        gitRef: String?, plan: Data, summary: Data?
    ) -> StoredRun {
        StoredRun(
            id: id, suite: suite, suiteFile: suiteFile, startedAt: startedAt, finishedAt: finishedAt, status: status,
            gitRef: gitRef, plan: plan, summary: summary)
    }
}

extension WindowStats {
    /// Empty window aggregates.
    public static var empty: WindowStats {
        WindowStats(messages: 0, errors: 0, costUSD: 0, p95LatencyMs: nil, byGroup: [:])
    }
}

extension WindowStats.GroupStats {
    /// One group's aggregates.
    public static func make(messages: Int, costUSD: Double) -> WindowStats.GroupStats {
        WindowStats.GroupStats(messages: messages, costUSD: costUSD)
    }
}

extension AppDatabase.FeedbackSaveCounts {
    /// No rows saved yet.
    public static var none: AppDatabase.FeedbackSaveCounts { AppDatabase.FeedbackSaveCounts() }
}

extension ReviewItem {
    /// A stored sample item.
    public static func make(id: Int64, week: String, position: Int, stratum: String, candidate: ReviewCandidate)
        -> ReviewItem
    {
        ReviewItem(id: id, week: week, position: position, stratum: stratum, candidate: candidate)
    }
}
