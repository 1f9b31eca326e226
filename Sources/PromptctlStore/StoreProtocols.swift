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
    @discardableResult func saveFeedback(_ rows: [ReviewFeedback], source: String) throws -> FeedbackSaveCounts
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

/// What `eval`, `report` and the shard merge read of a run's results beyond `EvalRunStore`: per-case tallies grouped
/// in the store, and the results one at a time, so a run of any size is never held in memory.
public protocol EvalResultStreamStore: Sendable {
    /// Per version of a run: how many cases it has results for, how many passed in every repeat, and the first
    /// `listed` failing case ids (sorted by code point).
    func caseTallies(runID: String, listed: Int) throws -> [StoredCaseTally]
    /// Cases the baseline passed in every repeat and the candidate failed in at least one, joined by case id.
    func caseRegressions(runID: String, candidate: StoredVersionKey, baseline: StoredVersionKey, listed: Int) throws
        -> StoredCaseRegressions
    /// Hands every result's JSON detail of a run to `body`, in insertion order, one at a time.
    func forEachResultDetail(runID: String, _ body: (Data) throws -> Void) throws
    /// The JSON details of some items of a run, by item key (missing keys are absent).
    func resultDetails(runID: String, itemKeys: [String]) throws -> [String: Data]
    /// How many results a run has.
    func resultCount(runID: String) throws -> Int
    /// Stores results imported from shard bundles in one transaction; a result for an item the run already has is a
    /// usage error (exit 2), never silently kept or dropped.
    func importResults(_ results: [StoredResult]) throws
    /// Deletes a run and its results in one transaction.
    func deleteRun(id: String) throws
}

/// What a long writer needs of the engine under it: which failures waiting cures, and a point to tidy up at.
public protocol StoreWriteHealth: Sendable {
    /// Whether an error is one that waiting and trying again cures: another connection's lock on SQLite; a
    /// serialization failure, a deadlock, or a server that is unreachable or restarting on PostgreSQL.
    func isTransient(_ error: any Error) -> Bool
    /// Moves what the engine buffers into its main storage now (SQLite's write-ahead log); a no-op where there is
    /// nothing to move.
    func checkpoint() throws
}

/// What the weekly sample reads: candidates never sampled before, and sampled items' weeks and sources.
public protocol ReviewSamplingStore: Sendable {
    /// Keys of the candidates in [from, to) never sampled before: production messages answered without error and
    /// candidate-side evaluation answers (in no significant order: the draw hashes each key).
    func reviewCandidateKeys(from: Date, to: Date) throws -> [SampleKey]
    /// Full candidates for the given keys, in the keys' order (unknown keys are left out).
    func reviewCandidates(keys: [String]) throws -> [ReviewCandidate]
    /// Each sampled item's week.
    func reviewItemWeeks() throws -> [Int64: String]
    /// Every sampled item's id, week and source key, in id order.
    func reviewItemSources() throws -> [(id: Int64, week: String, sourceKey: String)]
}

/// The review in Notion: which page holds each pushed item, and answers pulled back.
public protocol NotionPageStore: Sendable {
    /// The pages already pushed to a data source, by item.
    func notionPages(dataSourceID: String) throws -> [Int64: NotionPageRecord]
    /// Remembers the page an item was pushed to (keeping what the last pull saw when the page is the same).
    func saveNotionPage(dataSourceID: String, itemID: Int64, pageID: String) throws
    /// Stores pulled answers and each page's version in one transaction; an answer older than the same nurse's later
    /// CSV or web answer is not applied.
    @discardableResult func savePulledFeedback(_ answers: [PulledAnswer], dataSourceID: String) throws
        -> PulledSaveCounts
}

/// What `promptctl serve` writes and reads: exchanges, canary statistics and client keys.
public protocol GatewayExchangeStore: Sendable {
    /// Writes exchanges (message and call) in one transaction; when it returns they are stored for any later reader.
    func recordExchanges(_ exchanges: [GatewayExchange]) async throws
    /// Exchanges of one prompt since a moment, by canary arm (exchanges outside a rollout are left out).
    func canaryArmStats(promptID: String, since: Date) throws -> [CanaryArm: ArmStats]
    /// Exchanges the gateway wrote, oldest first.
    func gatewayExchanges(limit: Int) throws -> [GatewayExchange]
    /// Stores a client key's hash under a name; a name already used is a usage error.
    func addClientKey(name: String, sha256: String) throws
    /// Removes a client key by name; returns whether there was one.
    @discardableResult func removeClientKey(name: String) throws -> Bool
    /// The name of the client whose key hashes to `sha256`, if any.
    func clientKeyName(sha256: String) throws -> String?
    /// Every client key's name, hash and creation time, by name.
    func clientKeys() throws -> [(name: String, sha256: String, createdAt: Date)]
    /// Starts the upkeep a long-running server needs off its request path (SQLite: the log's checkpoints, every
    /// `interval` seconds); the server stops it when it stops.
    func startServingUpkeep(interval: Double) throws -> ServingUpkeep
}

/// What the Prometheus exposition reads.
public protocol MetricsStore: Sendable {
    /// Calls grouped by prompt, version, model and status (in that order, by code point), with latency buckets.
    func callMetricGroups() throws -> [CallMetricGroup]
    /// Guard decisions by category and action, from evaluation results and production messages.
    func guardDecisionCounts() throws -> [(category: String, action: String, count: Int)]
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
    EvalRunStore & EvalResultStreamStore & StoreWriteHealth & CallAndCacheStore & ProductionCostStore
    & ReviewFeedbackStore & ReviewSamplingStore & NotionPageStore & GatewayExchangeStore & MetricsStore
    & SchemaVersionedStore & TableCopyStore

extension AppDatabase: EvalRunStore, EvalResultStreamStore, StoreWriteHealth, CallAndCacheStore,
    ProductionCostStore, ReviewFeedbackStore, ReviewSamplingStore, NotionPageStore, GatewayExchangeStore,
    MetricsStore, SchemaVersionedStore
{
    /// The file's path.
    public var displayLocation: String { path }

    /// Whether an error is another connection's lock (busy or locked), which waiting and trying again cures.
    public func isTransient(_ error: any Error) -> Bool { Self.isTransient(error) }
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

extension FeedbackSaveCounts {
    /// No rows saved yet.
    public static var none: FeedbackSaveCounts { FeedbackSaveCounts() }
}

extension ReviewItem {
    /// A stored sample item.
    public static func make(id: Int64, week: String, position: Int, stratum: String, candidate: ReviewCandidate)
        -> ReviewItem
    {
        ReviewItem(id: id, week: week, position: position, stratum: stratum, candidate: candidate)
    }
}

extension StoredCaseTally {
    /// A per-version tally.
    public static func make(
        side: EvalSide, promptID: String, promptVersion: String, cases: Int, casesAllPassed: Int,
        failingCases: [String]
    ) -> StoredCaseTally {
        StoredCaseTally(
            side: side, promptID: promptID, promptVersion: promptVersion, cases: cases, casesAllPassed: casesAllPassed,
            failingCases: failingCases)
    }
}

extension StoredCaseRegressions {
    /// Regressions found.
    public static func make(count: Int, caseIDs: [String]) -> StoredCaseRegressions {
        StoredCaseRegressions(count: count, caseIDs: caseIDs)
    }
}

extension CallMetricGroup {
    /// One group of calls.
    public static func make(
        prompt: String, version: String, model: String, status: CallStatus, calls: Int, promptTokens: Double,
        cachedTokens: Double, completionTokens: Double, costUSD: Double, latencyMsSum: Double,
        latencyBucketCounts: [Int]
    ) -> CallMetricGroup {
        CallMetricGroup(
            prompt: prompt, version: version, model: model, status: status, calls: calls, promptTokens: promptTokens,
            cachedTokens: cachedTokens, completionTokens: completionTokens, costUSD: costUSD,
            latencyMsSum: latencyMsSum, latencyBucketCounts: latencyBucketCounts)
    }
}
