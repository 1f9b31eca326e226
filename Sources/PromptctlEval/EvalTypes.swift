import Foundation
import PromptctlCore
import PromptctlGuards
import PromptctlLLM

/// One cell of the matrix prompts × providers × cases × repeats.
public struct EvalPlanItem: Sendable, Hashable, Codable {
    /// Unique within a run; results are keyed by it, so a resumed run never duplicates one.
    public var key: String
    /// Candidate or baseline.
    public var side: EvalSide
    /// The prompt id.
    public var promptID: String
    /// Its version.
    public var promptVersion: String
    /// Its language.
    public var language: String
    /// Its persona.
    public var persona: String
    /// The provider's name.
    public var provider: String
    /// The case id.
    public var caseID: String
    /// Which repeat.
    public var repeatIndex: Int

    /// `id@version`.
    public var promptKey: String { "\(promptID)@\(promptVersion)" }
}

/// A candidate and the baseline version it is compared with.
public struct EvalPairing: Sendable, Hashable, Codable {
    /// `id@version` of the candidate.
    public var candidate: String
    /// `id@version` of the baseline, when the suite has one and it differs.
    public var baseline: String?

    /// Creates a pairing.
    public init(candidate: String, baseline: String?) {
        self.candidate = candidate
        self.baseline = baseline
    }
}

/// One prompt version of a run, on one side, and how many items it has in the run (its shard, if sharded).
public struct PlannedVersion: Sendable, Hashable, Codable {
    /// Candidate or baseline.
    public var side: EvalSide
    /// The prompt id.
    public var promptID: String
    /// Its version.
    public var promptVersion: String
    /// Its language.
    public var language: String
    /// Its persona.
    public var persona: String
    /// Items planned for it.
    public var items: Int

    /// `id@version`.
    public var promptKey: String { "\(promptID)@\(promptVersion)" }

    /// Creates a planned version.
    public init(side: EvalSide, promptID: String, promptVersion: String, language: String, persona: String, items: Int)
    {
        self.side = side
        self.promptID = promptID
        self.promptVersion = promptVersion
        self.language = language
        self.persona = persona
        self.items = items
    }
}

/// A deterministic slice of a suite's cases: case `c` is in shard `index` of `count` when the stable hash of its id
/// modulo `count` is `index - 1`, on every machine and in every run.
public struct EvalShard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1-based.
    public var index: Int
    /// How many shards.
    public var count: Int

    /// Creates a shard; `index` in 1...count.
    public init(index: Int, count: Int) throws {
        guard count >= 1, (1...count).contains(index) else {
            throw PromptctlError(
                .usage, "shard \(index)/\(count) does not exist", remedy: "write --shard I/N with 1 ≤ I ≤ N")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw PromptctlError(.usage, "--shard takes I/N (for example 2/4), not '\(text)'")
        }
        try self.init(index: index, count: count)
    }

    /// Whether the case belongs to this shard.
    public func contains(caseID: String) -> Bool {
        StableHash.fnv1a64(caseID) % UInt64(count) == UInt64(index - 1)
    }

    public var description: String { "\(index)/\(count)" }

    /// `shard-I-of-N`, the bundle's folder.
    public var directoryName: String { "shard-\(index)-of-\(count)" }
}

/// The matrix of a run, stored with it so that `--resume` and `report` need nothing else but the suite's cases.
///
/// Items are not listed: they are derived case by case (`items(for:)`) while the cases stream from the suite, so a
/// plan stays a few kilobytes whatever the number of cases.
public struct EvalPlan: Sendable, Hashable, Codable {
    /// The suite's name.
    public var suite: String
    /// The suite's file.
    public var suiteFile: String
    /// Every version evaluated, baselines first, with its item count.
    public var versions: [PlannedVersion]
    /// Providers, in order.
    public var providers: [String]
    /// Repeats of each case.
    public var repeats: Int
    /// Items in the run (its shard's, if sharded).
    public var itemCount: Int
    /// The slice of the cases this run evaluates; nil for all.
    public var shard: EvalShard?
    /// For a shard: the id of the run its bundle belongs to (`reports/RUN_ID/shard-I-of-N/`).
    public var shardOfRun: String?
    /// Candidates and their baselines.
    public var pairings: [EvalPairing]
    /// The rubrics.
    public var rubrics: [String]
    /// The thresholds.
    public var thresholds: SuiteThresholds
    /// Rubric thresholds by name, for the gate.
    public var rubricThresholds: [String: Double]
    /// Whether judge criteria ran.
    public var judge: String?

    /// Creates a plan.
    public init(
        suite: String, suiteFile: String, versions: [PlannedVersion], providers: [String], repeats: Int,
        itemCount: Int, shard: EvalShard?, pairings: [EvalPairing], rubrics: [String], thresholds: SuiteThresholds,
        rubricThresholds: [String: Double], judge: String?
    ) {
        self.suite = suite
        self.suiteFile = suiteFile
        self.versions = versions
        self.providers = providers
        self.repeats = repeats
        self.itemCount = itemCount
        self.shard = shard
        self.pairings = pairings
        self.rubrics = rubrics
        self.thresholds = thresholds
        self.rubricThresholds = rubricThresholds
        self.judge = judge
    }

    enum CodingKeys: String, CodingKey {
        case suite, suiteFile, versions, providers, repeats, itemCount, shard, shardOfRun, pairings, rubrics
        case thresholds, rubricThresholds, judge
        /// Plans stored before issue 14 listed every item instead of the versions.
        case items
    }

    /// Decodes a plan; one stored by an older promptctl (with `items` and no `versions`) is read by deriving the
    /// versions, providers, repeats and count from its items, so its runs can still be reported and resumed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        suite = try container.decode(String.self, forKey: .suite)
        suiteFile = try container.decode(String.self, forKey: .suiteFile)
        pairings = try container.decode([EvalPairing].self, forKey: .pairings)
        rubrics = try container.decode([String].self, forKey: .rubrics)
        thresholds = try container.decode(SuiteThresholds.self, forKey: .thresholds)
        rubricThresholds = try container.decode([String: Double].self, forKey: .rubricThresholds)
        judge = try container.decodeIfPresent(String.self, forKey: .judge)
        shard = try container.decodeIfPresent(EvalShard.self, forKey: .shard)
        shardOfRun = try container.decodeIfPresent(String.self, forKey: .shardOfRun)
        if let versions = try container.decodeIfPresent([PlannedVersion].self, forKey: .versions) {
            self.versions = versions
            providers = try container.decode([String].self, forKey: .providers)
            repeats = try container.decode(Int.self, forKey: .repeats)
            itemCount = try container.decode(Int.self, forKey: .itemCount)
            return
        }
        let items = try container.decode([EvalPlanItem].self, forKey: .items)
        var versions: [PlannedVersion] = []
        var providers: [String] = []
        for item in items {
            if let index = versions.firstIndex(where: { $0.promptKey == item.promptKey && $0.side == item.side }) {
                versions[index].items += 1
            } else {
                versions.append(
                    PlannedVersion(
                        side: item.side, promptID: item.promptID, promptVersion: item.promptVersion,
                        language: item.language, persona: item.persona, items: 1))
            }
            if !providers.contains(item.provider) { providers.append(item.provider) }
        }
        // Baselines first, as new plans order them.
        self.versions = versions.filter { $0.side == .baseline } + versions.filter { $0.side == .candidate }
        self.providers = providers
        repeats = (items.map(\.repeatIndex).max() ?? 0) + 1
        itemCount = items.count
    }

    /// Encodes the plan (never with `items`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(suite, forKey: .suite)
        try container.encode(suiteFile, forKey: .suiteFile)
        try container.encode(versions, forKey: .versions)
        try container.encode(providers, forKey: .providers)
        try container.encode(repeats, forKey: .repeats)
        try container.encode(itemCount, forKey: .itemCount)
        try container.encodeIfPresent(shard, forKey: .shard)
        try container.encodeIfPresent(shardOfRun, forKey: .shardOfRun)
        try container.encode(pairings, forKey: .pairings)
        try container.encode(rubrics, forKey: .rubrics)
        try container.encode(thresholds, forKey: .thresholds)
        try container.encode(rubricThresholds, forKey: .rubricThresholds)
        try container.encodeIfPresent(judge, forKey: .judge)
    }

    /// Whether a case is evaluated by this run (its shard).
    public func includes(_ evalCase: EvalCase) -> Bool { shard?.contains(caseID: evalCase.id) ?? true }

    /// Whether a version runs a case: the case's primary language is the prompt's, or the case has none.
    public static func matches(_ evalCase: EvalCase, _ version: PlannedVersion) -> Bool {
        evalCase.language.map { LanguageTag.primary($0) == LanguageTag.primary(version.language) } ?? true
    }

    /// The items of one case: each version whose language it matches × providers × repeats.
    public func items(for evalCase: EvalCase) -> [EvalPlanItem] {
        guard includes(evalCase) else { return [] }
        var items: [EvalPlanItem] = []
        for version in versions where Self.matches(evalCase, version) {
            for provider in providers {
                for repeatIndex in 0..<repeats {
                    items.append(
                        EvalPlanItem(
                            key:
                                "\(version.side.rawValue)|\(version.promptKey)|\(provider)|\(evalCase.id)|\(repeatIndex)",
                            side: version.side, promptID: version.promptID, promptVersion: version.promptVersion,
                            language: version.language, persona: version.persona, provider: provider,
                            caseID: evalCase.id, repeatIndex: repeatIndex))
                }
            }
        }
        return items
    }

    /// The same plan for the whole suite, as a merge of every shard sees it.
    public func unsharded(versions: [PlannedVersion], itemCount: Int) -> EvalPlan {
        var plan = self
        plan.shard = nil
        plan.versions = versions
        plan.itemCount = itemCount
        return plan
    }
}

/// What happened to one item: the exchange, the guard decision, the scores and the verdict.
public struct EvalItemResult: Sendable, Hashable, Codable {
    /// The item.
    public var item: EvalPlanItem
    /// The rendered messages sent.
    public var messages: [ChatMessage]
    /// Her message.
    public var userMessage: String
    /// The model that answered (as the provider reported it).
    public var model: String?
    /// The model's answer, when there was one.
    public var output: String?
    /// What may be released after the guards.
    public var releasedText: String?
    /// The provider or render error, when the item failed to produce an answer.
    public var error: String?
    /// Token counts.
    public var usage: TokenUsage
    /// Dollars charged in this run.
    public var costUSD: Double
    /// Wall time.
    public var latencyMs: Double
    /// Served from the cache.
    public var cacheHit: Bool
    /// The release pipeline's decision.
    public var guardDecision: GuardDecision?
    /// The guard decision the case expected, if any.
    public var expectedGuard: String?
    /// Each rubric.
    public var rubrics: [RubricResult]
    /// The case's and suite's assertions.
    public var assertions: [CriterionResult]
    /// Passed every rubric, assertion and guard expectation, with no error.
    public var passed: Bool
    /// Mean of the rubric scores.
    public var score: Double?
    /// Why it failed, in short phrases.
    public var failures: [String]
}

extension EvalPlanItem: SortedJSONEncodable {
    /// Writes the item with its keys sorted.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        writer.field("caseID", caseID)
        writer.field("key", key)
        writer.field("language", language)
        writer.field("persona", persona)
        writer.field("promptID", promptID)
        writer.field("promptVersion", promptVersion)
        writer.field("provider", provider)
        writer.field("repeatIndex", repeatIndex)
        writer.field("side", side.rawValue)
        writer.endObject()
    }
}

extension EvalItemResult: SortedJSONEncodable {
    /// Writes the result with its keys sorted: the form the store, `results.jsonl` and the JSON report hold.
    public func write(to writer: inout SortedJSONWriter) throws {
        writer.beginObject()
        try writer.field("assertions", assertions)
        writer.field("cacheHit", cacheHit)
        try writer.field("costUSD", costUSD)
        writer.field("error", error)
        writer.field("expectedGuard", expectedGuard)
        writer.field("failures", failures)
        try writer.field("guardDecision", guardDecision)
        try writer.field("item", item)
        try writer.field("latencyMs", latencyMs)
        try writer.field("messages", messages)
        writer.field("model", model)
        writer.field("output", output)
        writer.field("passed", passed)
        writer.field("releasedText", releasedText)
        try writer.field("rubrics", rubrics)
        try writer.field("score", score)
        try writer.field("usage", usage)
        writer.field("userMessage", userMessage)
        writer.endObject()
    }
}
