import Foundation
import PromptctlCore
import PromptctlEval
import PromptctlReports
import PromptctlStore

/// What a finished shard leaves in its bundle folder (`reports/RUN_ID/shard-I-of-N/`) beside its reports and its
/// complete results (`results.jsonl`): enough for `promptctl report merge` to join it with the other shards on
/// another machine, with no access to the shard's store.
public struct ShardBundle: Sendable, Codable {
    /// The bundle format.
    public var format = 1
    /// The run the shard belongs to (shared by its shards).
    public var runID: String
    /// The shard's own run in its store (`eval --resume` takes it).
    public var storeRunID: String
    /// Which shard.
    public var shard: EvalShard
    /// The shard's plan.
    public var plan: EvalPlan
    /// Results in `results.jsonl`.
    public var resultCount: Int
    /// The shard's own summary (for people; the merge recomputes the run's from the results).
    public var summary: EvalSummary

    /// The bundle's description file.
    public static let fileName = "bundle.json"

    /// Writes `bundle.json` into the folder.
    func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
    }

    /// Reads a bundle folder's description; a folder without one is a shard that never finished.
    static func read(from directory: URL) throws -> ShardBundle {
        let file = directory.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PromptctlError(
                .usage, "\(directory.path) is not a finished shard bundle (no \(fileName))",
                remedy: "give the folders 'eval --shard I/N' wrote; a shard that was interrupted finishes with "
                    + "'promptctl eval --resume RUN_ID-shard-I-of-N'")
        }
        do {
            return try JSONDecoder().decode(ShardBundle.self, from: data)
        } catch {
            throw PromptctlError(.usage, "\(file.path) is not a readable shard bundle", cause: error)
        }
    }

    /// The plan with what differs between shards of one run blanked, to check that bundles belong together.
    var comparablePlan: EvalPlan {
        var plan = plan.unsharded(
            versions: plan.versions.map {
                var v = $0
                v.items = 0
                return v
            }, itemCount: 0)
        plan.shardOfRun = nil
        return plan
    }
}

extension ReportService {
    /// Joins shard bundles into one run in the store, with one report and one gate verdict.
    ///
    /// Every shard of the run must be given exactly once and be complete; a missing, duplicated, unfinished or
    /// foreign bundle, or a result found in two bundles, is a usage error (exit 2), never a partial pass.
    public func merge(_ directories: [String], reportsDirectory: String?) throws -> EvalRunOutcome {
        guard !directories.isEmpty else {
            throw PromptctlError(
                .usage, "report merge needs the shard bundle folders", remedy: "promptctl report merge DIR...")
        }
        let folders = directories.map { URL(fileURLWithPath: workspace.absolute($0)) }
        let bundles = try folders.map(ShardBundle.read)
        let first = bundles[0]
        let count = first.shard.count
        for (bundle, folder) in zip(bundles, folders) {
            guard bundle.runID == first.runID else {
                throw PromptctlError(
                    .usage, "\(folder.path) belongs to run \(bundle.runID), not \(first.runID)",
                    remedy: "merge the shards of one run (eval --shard I/N --run-id ID)")
            }
            guard bundle.shard.count == count, bundle.comparablePlan == first.comparablePlan else {
                throw PromptctlError(
                    .usage, "\(folder.path) was planned differently from \(folders[0].path)",
                    remedy: "every shard must run the same suite, prompts, providers and thresholds with the same N")
            }
            guard bundle.resultCount == bundle.plan.itemCount else {
                throw PromptctlError(
                    .usage,
                    "shard \(bundle.shard) is incomplete: \(bundle.resultCount) of \(bundle.plan.itemCount) results",
                    remedy: "finish it with 'promptctl eval --resume \(bundle.storeRunID)' and merge again")
            }
        }
        var seen: [Int: String] = [:]
        for (bundle, folder) in zip(bundles, folders) {
            if let other = seen[bundle.shard.index] {
                throw PromptctlError(
                    .usage, "shard \(bundle.shard) is given twice (\(other) and \(folder.path))",
                    remedy: "give each shard's bundle once")
            }
            seen[bundle.shard.index] = folder.path
        }
        let missing = (1...count).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw PromptctlError(
                .usage,
                "run \(first.runID) has \(count) shards; missing: \(missing.map { "\($0)/\(count)" }.joined(separator: ", "))",
                remedy: "download every shard's bundle before merging; a run without all its shards has no verdict")
        }
        let project = try workspace.loadProject()
        let database = try workspace.openStore(config: project.config)
        var versions = first.plan.versions.map {
            var v = $0
            v.items = 0
            return v
        }
        for bundle in bundles {
            for (index, version) in bundle.plan.versions.enumerated() { versions[index].items += version.items }
        }
        let plan = first.plan.unsharded(
            versions: versions, itemCount: bundles.reduce(0) { $0 + $1.plan.itemCount })
        let runID = first.runID
        if try database.run(id: runID)?.id == runID { try database.deleteRun(id: runID) }  // a merge done again
        try database.createRun(
            id: runID, suite: plan.suite, suiteFile: plan.suiteFile, plan: try JSONEncoder().encode(plan),
            gitRef: nil, candidates: plan.pairings.map { RunCandidate(candidate: $0.candidate, baseline: $0.baseline) })
        let base = URL(fileURLWithPath: workspace.absolute(reportsDirectory ?? "reports")).appendingPathComponent(runID)
        do {
            let stream = try ReportStream(directory: base, plan: plan)
            let decoder = JSONDecoder()
            for (bundle, folder) in zip(bundles, folders).sorted(by: { $0.0.shard.index < $1.0.shard.index }) {
                let path = folder.appendingPathComponent(JSONReport.resultsFile).path
                let reader = try JSONLinesReader(path: path)
                var batch: [StoredResult] = []
                var lines = 0
                while let (line, number) = try reader.next() {
                    let result: EvalItemResult
                    do {
                        result = try decoder.decode(EvalItemResult.self, from: line)
                    } catch {
                        throw PromptctlError(.usage, "\(path):\(number):1: not a result", cause: error)
                    }
                    guard bundle.shard.contains(caseID: result.item.caseID) else {
                        throw PromptctlError(
                            .usage, "\(path):\(number):1: case \(result.item.caseID) is not in shard \(bundle.shard)")
                    }
                    batch.append(try RunRecords.stored(result, runID: runID, detail: line))
                    try stream.add(result, encoded: line)
                    lines += 1
                    if batch.count >= 512 {
                        try database.importResults(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                try database.importResults(batch)
                guard lines == bundle.resultCount else {
                    throw PromptctlError(
                        .usage, "\(path) has \(lines) results; its bundle says \(bundle.resultCount)",
                        remedy: "the bundle was changed or cut short; copy it again from the shard")
                }
            }
            let summary = try RunRecords.summarize(
                plan: plan, totals: stream.totals, runID: runID, database: database)
            try database.finishRun(id: runID, status: .finished, summary: try JSONEncoder().encode(summary))
            let stored = try database.run(id: runID)
            let data = try RunRecords.reportData(
                runID: runID, startedAt: stored?.startedAt ?? Date(), gitRef: nil, plan: plan, summary: summary,
                stream: stream, database: database)
            return EvalRunOutcome(report: data, reportFiles: try stream.finish(data))
        } catch {
            try? database.deleteRun(id: runID)
            throw error
        }
    }
}
